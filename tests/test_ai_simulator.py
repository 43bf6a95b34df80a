"""The offline simulator: a battery of demo questions, exact persona values, follow-ups, tools, streaming."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from persona_kit import generate_persona, get_mode
from persona_kit.ai import GroundingCheck, SimulatorResponder, check_reply, simulate_reply, word_chunks
from persona_kit.ai.answers import simulator_for, subject_rules
from persona_kit.ai.intents import intent_for
from persona_kit.facts import persona_facts
from persona_kit.models.modes import Mode
from persona_kit.protocol import ChatChunkMessage, ChatStartMessage, ToolResultMessage
from persona_kit.session import Session
from persona_kit.triggers import custom_mode

# Conversations per mode: each line is (question, the topic it must be read as). Later lines of a
# conversation may lean on earlier ones ("and my savings?"). None marks an in-character fallback.
BATTERY: dict[str, list[list[tuple[str, str | None]]]] = {
    "banking": [
        [
            ("Hi there!", "greeting"),
            ("What's my checking balance?", "balance"),
            ("and my savings?", "balance"),
            ("What about both together?", "balance"),
            ("Are you sure?", "balance"),
        ],
        [
            ("How much money do I have?", "balance"),
            ("Show my balances as a chart", "balance"),
            ("Just savings please", "balance"),
            ("What is my savings account balance?", "balance"),
        ],
        [
            ("What's my credit score?", "credit_score"),
            ("Is that a good FICO score?", "credit_score"),
            ("Chart my credit score", "credit_score"),
            ("Show it as a bar chart", "credit_score"),
        ],
        [
            ("What's my credit limit?", "credit_limit"),
            ("How much have I used?", "credit_used"),
            ("How much available credit do I have?", "available_credit"),
            ("What's my credit utilization?", "utilization"),
            ("How much do I owe on my card?", "credit_used"),
            ("Chart my credit line usage as a pie", "credit_limit"),
            ("How much can I still spend on my card?", "available_credit"),
        ],
        [
            ("Show me my recent transactions", "transactions"),
            ("What was my last transaction?", "transactions"),
            ("and the one after that?", "transactions"),
            ("and after that?", "transactions"),
            ("What's my biggest purchase?", "transactions"),
            ("And the smallest?", "transactions"),
            ("Chart my recent transactions", "transactions"),
        ],
        [
            ("How much did I spend on groceries?", "spending"),
            ("And on dining?", "spending"),
            ("What about gas?", "spending"),
            ("How much did I spend on travel?", "spending"),
            ("Show my spending by category", "spending"),
            ("Show my spending as a pie chart", "spending"),
            ("Break down my expenses by category as a bar chart", "spending"),
        ],
        [
            ("Where does my money go?", "spending"),
            ("What's my total spending?", "spending"),
            ("How much did I spend on shopping?", "spending"),
            ("and utilities?", "spending"),
            ("Show me my healthcare expenses", "spending"),
            ("What did I spend on entertainment?", "spending"),
            ("How much went to transfers?", "spending"),
        ],
        [
            ("Did I get paid this month?", "income"),
            ("What deposits did I receive?", "income"),
            ("Any income recently?", "income"),
            ("Show my refunds", "income"),
        ],
        [
            ("What's my account number?", "account_number"),
            ("What are the last four digits of my account?", "account_number"),
            ("Can you tell me my password?", "security"),
            ("What's my PIN?", "security"),
        ],
        [
            ("How long have I been a member?", "member_since"),
            ("When did I join?", "member_since"),
            ("What's my email on file?", "identity"),
            ("What phone number do you have for me?", "identity"),
            ("What address do you have?", "identity"),
            ("How old am I?", "identity"),
            ("Who am I?", "identity"),
        ],
        [
            ("Give me an overview of my accounts", "overview"),
            ("Show my key metrics", None),
            ("Summarize my finances at a glance", "overview"),
            ("Show my dashboard metrics", None),
        ],
        [
            ("What can you do?", "help"),
            ("Thanks!", "thanks"),
            ("What's the weather like?", None),
            ("Can you book me a flight?", None),
            ("Tell me a joke", None),
            ("Goodbye", "goodbye"),
        ],
        [
            ("Show me a chart", None),
            ("What's in my checking account?", "balance"),
            ("Chart it", "balance"),
            ("What's my checking balance?", "balance"),
            ("How much is in savings?", "balance"),
            ("What's my total balance across both accounts?", "balance"),
        ],
        [
            ("How much did I spend at Parcelpoint Online?", "spending"),
            ("Show my purchases at Green Basket Market", "transactions"),
            ("What was my largest transaction?", "transactions"),
            ("What's my most recent charge?", "transactions"),
            ("What was the second transaction?", "transactions"),
            ("And the third?", "transactions"),
        ],
    ],
    "insurance": [
        [
            ("Hello", "greeting"),
            ("What policies do I have?", "policies"),
            ("What's my total coverage?", "coverage"),
            ("How much is my premium?", "premium"),
            ("What's that per year?", "premium"),
            ("Are you sure?", "premium"),
        ],
        [
            ("What's the deductible on my home policy?", "deductible"),
            ("and the premium?", "premium"),
            ("what about my auto policy?", "premium"),
            ("When does it renew?", "renewal"),
            ("How much coverage does it give me?", "coverage"),
        ],
        [
            ("When is my next renewal?", "renewal"),
            ("and the one after that?", "renewal"),
            ("and the next one after that?", "renewal"),
            ("When does my life policy expire?", "renewal"),
        ],
        [
            ("Do I have any claims?", "claims"),
            ("Do I have any open claims?", "claims"),
            ("What's the status of my latest claim?", "claims"),
            ("Will my claim be approved?", "claim_outcome"),
            ("How much has been paid out on my claims?", "claims"),
            ("Chart my claims", "claims"),
        ],
        [
            ("What's my risk score?", "risk_score"),
            ("Show my risk score trend", "risk_score"),
            ("Why is my risk rating what it is?", "risk_score"),
        ],
        [
            ("Do I have renters insurance?", "policies"),
            ("Do I have an umbrella policy?", "policies"),
            ("What car insurance do I have?", "policies"),
            ("Tell me about my home policy", "policies"),
            ("What are my policy numbers?", "policies"),
        ],
        [
            ("How much am I covered for in total?", "coverage"),
            ("Chart my coverage", "coverage"),
            ("Show it as a bar chart", "coverage"),
            ("What does my auto coverage look like?", "coverage"),
        ],
        [
            ("How much do I pay each month?", "premium"),
            ("Show premiums by policy as a chart", "premium"),
            ("Show my premium trend over time", "premium"),
            ("What's my monthly bill for home insurance?", "premium"),
        ],
        [
            ("What are my deductibles?", "deductible"),
            ("What's the deductible on my car?", "deductible"),
            ("and on life?", "deductible"),
            ("What's my excess on the home policy?", "deductible"),
        ],
        [
            ("How long have I been a customer?", "member_since"),
            ("When did I become a member?", "member_since"),
            ("What's my email?", "identity"),
            ("What's my date of birth?", "identity"),
        ],
        [
            ("Give me a summary", "overview"),
            ("Show my metrics", None),
            ("Show my key numbers as cards", None),
            ("Where do I stand overall?", "overview"),
        ],
        [
            ("What can you help with?", "help"),
            ("Can you lower my premium?", "premium"),
            ("What's the weather?", None),
            ("Can you file a new claim for me?", "claims"),
            ("Is my neighbour insured with you?", None),
            ("Thank you", "thanks"),
        ],
        [
            ("Show me a chart", None),
            ("Which insurance do I have?", "policies"),
            ("Cost of my policies?", "premium"),
            ("What do my policies cost per year?", "premium"),
            ("How much protection do I have?", "coverage"),
        ],
        [
            ("Tell me about my claims history", "claims"),
            ("What about auto claims?", "claims"),
            ("Show open claims", "claims"),
            ("Guarantee my claim gets paid", "claim_outcome"),
        ],
    ],
    "healthcare": [
        [
            ("Hi", "greeting"),
            ("What's my deductible?", "deductible"),
            ("How much of it have I met?", "deductible"),
            ("How much out of pocket have I spent?", "out_of_pocket"),
            ("What's my out-of-pocket max?", "out_of_pocket"),
            ("Are you sure?", "out_of_pocket"),
        ],
        [
            ("When is my next appointment?", "appointments"),
            ("and the one after that?", "appointments"),
            ("Where is it?", "appointments"),
            ("What time is my first appointment?", "appointments"),
            ("Do I have any appointments?", "appointments"),
            ("When is my last appointment?", "appointments"),
        ],
        [
            ("Do I have a cardiology appointment?", "appointments"),
            ("When do I see the dentist?", "appointments"),
            ("Any eye doctor visits coming up?", "appointments"),
            ("When is my checkup?", "appointments"),
            ("Do I have physical therapy scheduled?", "appointments"),
        ],
        [
            ("What prescriptions am I on?", "prescriptions"),
            ("How many refills do I have?", "refills"),
            ("Do I take atorvastatin?", "prescriptions"),
            ("What's the dosage?", "prescriptions"),
            ("How many refills are left on it?", "refills"),
            ("Who prescribed it?", "prescriptions"),
        ],
        [
            ("What medications do I take?", "prescriptions"),
            ("Do I take metformin?", "prescriptions"),
            ("What about lisinopril?", "prescriptions"),
            ("How often do I take my meds?", "prescriptions"),
            ("Chart my refills", "refills"),
        ],
        [
            ("Who is my primary care provider?", "pcp"),
            ("Who is my doctor?", "pcp"),
            ("What plan am I on?", "plan"),
            ("Is it a PPO or an HMO?", "plan"),
            ("What's my member ID?", "member_id"),
            ("What's on my ID card?", "member_id"),
        ],
        [
            ("Should I stop taking my medication?", "medical_advice"),
            ("What are the side effects?", "medical_advice"),
            ("I have chest pain, what should I do?", "medical_advice"),
            ("Can you diagnose my rash?", "medical_advice"),
        ],
        [
            ("Show my deductible as a chart", "deductible"),
            ("Chart my out-of-pocket spending over time", "out_of_pocket"),
            ("Show my out of pocket as a bar chart", "out_of_pocket"),
            ("Show me a chart", None),
        ],
        [
            ("Give me an overview", "overview"),
            ("Show my metrics", None),
            ("Show my key numbers", None),
            ("Summarize my health plan at a glance", "overview"),
        ],
        [
            ("What's my email address?", "identity"),
            ("What's my phone number?", "identity"),
            ("What's my date of birth?", "identity"),
            ("How old am I?", "identity"),
        ],
        [
            ("What can you do?", "help"),
            ("What's the weather?", None),
            ("Can you order me a pizza?", None),
            ("Thanks a lot", "thanks"),
            ("Bye", "goodbye"),
        ],
        [
            ("How much is left on my deductible?", "deductible"),
            ("How much until my out-of-pocket maximum?", "out_of_pocket"),
            ("What's my network?", "plan"),
            ("Do I have any visits booked?", "appointments"),
            ("What's the reason for my next visit?", "appointments"),
            ("Which doctor is it with?", "appointments"),
        ],
        [
            ("Do I need any refills?", "refills"),
            ("Which medications have no refills left?", "refills"),
            ("What's my dose of levothyroxine?", "prescriptions"),
            ("And how many refills?", "refills"),
        ],
    ],
}
# Off-target questions: a qualifier the records cannot meet (a rate, another period, a peril, a yearly figure, a
# price, an action). Each is (question, the topic it is read as, what the reply must say is missing, facts it
# must quote as the closest answer). Every one also joins the battery as one more conversation per mode.
OFF_TARGET: dict[str, list[tuple[str, str | None, str, tuple[str, ...]]]] = {
    "banking": [
        ("What's my savings interest rate?", "balance", "I don't have interest rates", ("savings_balance",)),
        ("Transfer $500 to savings", "balance", "I can't make changes from this chat", ("savings_balance",)),
        ("How much did I spend last week?", "spending", "I can only see your recent transactions",
         ("derived.total_spent", "recent_transactions[0].date")),
        ("What's my APR?", None, "I don't have APRs", ("credit_limit",)),
        ("What did I buy yesterday?", "transactions", "I can't narrow your activity", ("recent_transactions[0].date",)),
        ("What was my balance last year?", "balance", "I don't have figures for other periods", ("checking_balance",)),
        ("Are there any fees on my account?", "balance", "I don't have fees", ("checking_balance",)),
        ("Pay my credit card bill", None, "I can't make changes from this chat", ("credit_used",)),
        ("Will my balance go up next month?", "balance", "I can't predict future figures", ("savings_balance",)),
        ("How much did I spend on groceries in 2024?", "spending", "I can't narrow your activity", ()),
    ],
    "insurance": [
        ("What's my auto premium per year?", "premium", "I don't have a yearly premium for each policy",
         ("monthly_premium", "derived.annual_premium")),
        ("Am I covered for flood?", "coverage", "I don't have the perils", ("total_coverage",)),
        ("How many claims did I file in 2024?", "claims", "I don't have your claims broken down by period", ()),
        ("Does my home policy cover earthquakes?", "coverage", "I don't have the perils", ()),
        ("Is theft covered?", "coverage", "I don't have the perils", ("total_coverage",)),
        ("Will my premium go up at renewal?", "renewal", "I can't predict future figures", ("monthly_premium",)),
        ("What was my premium last year?", "premium", "I don't have figures for other", ("derived.annual_premium",)),
        ("Cancel my auto policy", "policies", "I can't make changes from this chat", ()),
        ("What's my flood deductible?", "deductible", "I don't have the perils", ()),
    ],
    "healthcare": [
        ("What's my copay for a specialist?", None, "I don't have premiums, copays",
         ("deductible", "out_of_pocket_max")),
        ("What's my monthly premium?", None, "I don't have premiums, copays", ("plan_name", "out_of_pocket_spent")),
        ("Does my plan cover physical therapy?", "plan", "I don't have your plan's covered services", ("plan_name",)),
        ("How much did I spend out of pocket last year?", "out_of_pocket", "only totals for the current plan",
         ("out_of_pocket_spent",)),
        ("What's my out-of-pocket per month?", "out_of_pocket", "I don't have monthly figures",
         ("out_of_pocket_spent",)),
        ("Book an appointment with my doctor", "appointments", "I can't make changes from this chat", ()),
        ("Will I hit my out-of-pocket max next month?", "out_of_pocket", "I can't predict future figures",
         ("out_of_pocket_max",)),
        ("Is Dr. Smith in network?", "plan", "in-network providers", ("plan_name",)),
        ("How much of my deductible did I meet last month?", "deductible", "only totals for the current plan",
         ("deductible",)),
    ],
}  # fmt: skip
for _mode, _cases in OFF_TARGET.items():
    BATTERY[_mode].append([(question, topic) for question, topic, _, _ in _cases])

CUSTOM = [
    [("Hi", "greeting"), ("How many loyalty points do I have?", "points"), ("What tier am I?", "tier"),
     ("What's my account value?", "account_value"), ("Chart my points", "points"),
     ("When was my last activity?", "last_activity"), ("How many interactions have I had?", "activity"),
     ("How long have I been a customer?", "member_since"), ("Give me an overview", "overview"),
     ("Show my metrics", None), ("What's the weather?", None),
     ("What was my account value last year?", "account_value"), ("How many interactions this year?", "activity"),
     ("Redeem my points", "points")],
]  # fmt: skip

SEEDS = (7, 12, 2024)
LOCALES = ("en_US", "de_DE", "fr_FR", "ja_JP", "en_GB")
FALLBACK = re.compile(r"^I'm sorry, \S+, I don't have that")
DECLINED = re.compile(r"^I'm sorry, \S+, I don't have (that|[\w ,']+) in your .+ records")
"""A decline, saying "that" or naming what the records lack ("the weather or the time of day")."""
UNAVAILABLE = re.compile(r"\b(I don't have|I can't|I only have|I can only see)\b")


def _questions(mode: str) -> int:
    return sum(len(conv) for conv in BATTERY[mode])


def _conversations(mode: Mode, persona: object, convs: list[list[tuple[str, str | None]]]) -> Iterator[tuple]:
    for conv in convs:
        history: list[str] = []
        for question, topic in conv:
            yield history[:], question, topic
            history.append(question)


def test_battery_has_at_least_200_questions_across_the_three_modes() -> None:
    sizes = {mode: _questions(mode) for mode in BATTERY}
    assert sum(sizes.values()) >= 200, sizes
    assert min(sizes.values()) >= 60, sizes


@pytest.mark.parametrize("mode_id", sorted(BATTERY))
def test_battery_questions_are_read_as_intended(mode_id: str) -> None:
    persona = generate_persona(mode_id, 7)
    rules = subject_rules(persona)
    wrong = []
    for history, question, topic in _conversations(get_mode(mode_id), persona, BATTERY[mode_id]):
        intent = intent_for(simulator_for(persona).grammar, history, question, rules)
        if intent.topic != topic and not (topic is None and (intent.metrics or intent.chart)):
            wrong.append((question, topic, intent.topic))
    assert not wrong


@pytest.mark.parametrize("mode_id", sorted(BATTERY))
@pytest.mark.parametrize("locale", LOCALES)
def test_every_claim_in_every_battery_reply_is_grounded_exactly(mode_id: str, locale: str) -> None:
    mode = get_mode(mode_id)
    claims = 0
    for seed in SEEDS if locale == "en_US" else SEEDS[:2]:
        persona = generate_persona(mode_id, seed, locale=locale)
        grounding = GroundingCheck(persona)
        for history, question, topic in _conversations(mode, persona, BATTERY[mode_id]):
            reply = simulate_reply(mode, persona, history, question)
            report = grounding.check(reply.text)
            bad = [c for c in report.claims if not (c.grounded and c.exact)]
            assert not bad, f"{question!r} -> {reply.text!r}\n{report}"
            claims += len(report.claims)
            if topic is not None:
                assert not FALLBACK.match(reply.text), (question, reply.text)
    assert claims > 100


def test_custom_mode_answers_are_grounded() -> None:
    mode = custom_mode("Bookshop", company_name="Paper Lantern Books")
    for seed in SEEDS:
        persona = generate_persona(mode, seed)
        for history, question, _ in _conversations(mode, persona, CUSTOM):
            reply = simulate_reply(mode, persona, history, question)
            assert check_reply(persona, reply.text).ok, reply.text


@pytest.mark.parametrize("mode_id", sorted(BATTERY))
def test_unknown_questions_get_a_helpful_fallback_without_numbers(mode_id: str) -> None:
    mode = get_mode(mode_id)
    persona = generate_persona(mode_id, 7)
    for question in ("What's the weather tomorrow?", "Can you order me a pizza?", "Who won the game last night?"):
        reply = simulate_reply(mode, persona, [], question)
        # A request to act ("order me a pizza") is refused as one; anything else gets the fallback.
        assert DECLINED.match(reply.text) or reply.text.startswith("I can't make changes from this chat")
        assert mode.company_name in reply.text
        assert not re.search(r"\d", reply.text)
        assert reply.tools == ()


def test_exact_values_and_follow_ups_banking() -> None:
    mode, p = get_mode("banking"), generate_persona("banking", 7)
    checking = "$" + f"{p.checking_balance:,.2f}"
    first = simulate_reply(mode, p, [], "What's my checking balance?")
    assert first.text == f"Your checking balance is {checking}."
    savings = simulate_reply(mode, p, ["What's my checking balance?"], "and my savings?")
    assert savings.text == f"Your savings balance is ${p.savings_balance:,.2f}."
    again = simulate_reply(mode, p, ["What's my checking balance?"], "What's my checking balance?")
    assert again == first  # ask again, same answer


def test_next_one_follows_the_list_in_the_history() -> None:
    mode, p = get_mode("healthcare"), generate_persona("healthcare", 8)  # two visits with different providers
    assert len(p.upcoming_appointments) >= 2
    history = ["Do I have any appointments?"]
    nxt = simulate_reply(mode, p, history, "when is the next one?")
    assert p.upcoming_appointments[0].provider in nxt.text
    after = simulate_reply(mode, p, [*history, "when is the next one?"], "and the one after that?")
    assert p.upcoming_appointments[1].provider in after.text
    assert p.upcoming_appointments[0].provider not in after.text


def test_subject_carries_into_a_related_follow_up() -> None:
    mode, p = get_mode("insurance"), generate_persona("insurance", 7)
    home = next(pol for pol in p.active_policies if pol.type == "Home")
    reply = simulate_reply(mode, p, ["What's the deductible on my home policy?"], "and the premium?")
    assert home.policy_number in reply.text
    assert f"${home.premium:,.2f}" in reply.text


def test_same_persona_history_and_text_give_the_same_messages() -> None:
    view = Session("determinism", mode="insurance").view()
    first = list(SimulatorResponder().respond(view, "Chart my coverage and show my metrics"))
    second = list(SimulatorResponder().respond(view, "Chart my coverage and show my metrics"))
    assert first == second
    assert [m.type for m in first].count("tool_result") == 2


def test_reply_streams_word_chunks_then_tools_then_done() -> None:
    view = Session("stream", mode="banking").view()
    messages = list(SimulatorResponder().respond(view, "Show my spending as a pie chart"))
    assert isinstance(messages[0], ChatStartMessage)
    last = messages[-1]
    assert isinstance(last, ChatChunkMessage)
    assert last.payload.done
    assert last.payload.text == ""
    chunks = [m for m in messages[1:-1] if isinstance(m, ChatChunkMessage)]
    tools = [m for m in messages if isinstance(m, ToolResultMessage)]
    assert messages[1 : 1 + len(chunks)] == chunks  # text first, tools after
    assert all(not c.payload.done for c in chunks)
    assert all(len(c.payload.text.split()) == 1 for c in chunks)
    reply = simulate_reply(view.mode, view.persona, [], "Show my spending as a pie chart")
    assert "".join(c.payload.text for c in chunks) == reply.text
    assert len(tools) == 1
    assert tools[0].payload.tool == "show_chart"
    assert tools[0].payload.result.chart_type == "pie"


def test_word_chunks_join_back_exactly() -> None:
    text = "  Lead space.\n- line one: $1,234.50\n\n- line two  "
    assert "".join(word_chunks(text)) == text
    assert word_chunks("") == []


def test_delay_sleeps_between_words_and_defaults_to_zero() -> None:
    slept: list[float] = []
    view = Session("delay", mode="banking").view()
    list(SimulatorResponder().respond(view, "What's my checking balance?"))
    assert SimulatorResponder().delay == 0
    messages = list(SimulatorResponder(delay=0.05, sleep=slept.append).respond(view, "What's my checking balance?"))
    words = sum(1 for m in messages if isinstance(m, ChatChunkMessage) and m.payload.text)
    assert slept == [0.05] * (words - 1)
    for bad in (-1, "fast", True, 11):
        with pytest.raises(ValueError, match="delay"):
            SimulatorResponder(delay=bad)  # type: ignore[arg-type]


def test_balance_history_trends_to_current_values_without_zeros() -> None:
    mode, p = get_mode("banking"), generate_persona("banking", 12)
    reply = simulate_reply(mode, p, [], "Chart my balances")
    (tool,) = reply.tools
    result = tool.payload.result
    assert result.chart_type == "line"
    labels = [point.label for point in result.data]
    assert all(re.fullmatch(r"\d{4}-\d{2} - (Checking|Savings)", label) for label in labels)
    assert labels[-2:] == [f"{p.as_of:%Y-%m} - Checking", f"{p.as_of:%Y-%m} - Savings"]
    assert [pt.value for pt in result.data[-2:]] == [round(p.checking_balance, 2), round(p.savings_balance, 2)]
    assert all(pt.value != 0 for pt in result.data)


@pytest.mark.parametrize(
    ("mode_id", "question", "tool"),
    [
        ("banking", "Chart my credit score", "show_chart"),
        ("banking", "Chart my recent transactions", "show_chart"),
        ("banking", "Show my key metrics", "show_metrics"),
        ("insurance", "Show my premium trend over time", "show_chart"),
        ("insurance", "Show premiums by policy as a chart", "show_chart"),
        ("insurance", "Show my risk score trend", "show_chart"),
        ("insurance", "Show my metrics", "show_metrics"),
        ("healthcare", "Show my deductible as a chart", "show_chart"),
        ("healthcare", "Chart my out-of-pocket spending over time", "show_chart"),
        ("healthcare", "Show my metrics", "show_metrics"),
    ],
)
def test_tool_results_have_no_zeros_and_end_at_current_values(mode_id: str, question: str, tool: str) -> None:
    mode = get_mode(mode_id)
    for seed in SEEDS:
        persona = generate_persona(mode_id, seed)
        reply = simulate_reply(mode, persona, [], question)
        for result in reply.tools:
            assert result.payload.tool == tool
            if result.payload.tool == "show_chart":
                assert all(pt.value != 0 for pt in result.payload.result.data)
                assert result.payload.result.data
            else:
                assert [m.label for m in result.payload.result.metrics]
                assert all(m.value != 0 or m.label.startswith(("Open", "Upcoming", "Active")) for m in
                           result.payload.result.metrics)  # fmt: skip


def test_trend_series_end_at_the_current_value_for_every_mode() -> None:
    p = generate_persona("insurance", 7)
    (chart,) = simulate_reply(get_mode("insurance"), p, [], "Show my premium trend over time").tools
    assert chart.payload.result.data[-1].value == round(p.monthly_premium, 2)
    h = generate_persona("healthcare", 7)
    (area,) = simulate_reply(get_mode("healthcare"), h, [], "Chart my out-of-pocket spending over time").tools
    values = [pt.value for pt in area.payload.result.data]
    assert values == sorted(values)
    assert values[-1] == round(h.out_of_pocket_spent, 2)
    assert area.payload.result.data[0].label == f"{h.as_of.year}-01"


def test_metrics_match_the_persona() -> None:
    p = generate_persona("banking", 7)
    (tool,) = simulate_reply(get_mode("banking"), p, [], "Show my metrics").tools
    cards = {m.label: (m.value, m.unit) for m in tool.payload.result.metrics}
    # display values in the persona's locale, printed as is by every dashboard (no unit suffix)
    assert cards["Checking"] == (f"${p.checking_balance:,.2f}", "")
    assert cards["Credit score"] == (p.credit_score, "")


def test_simulator_is_the_session_responder_and_history_feeds_follow_ups() -> None:
    session = Session("follow-ups", mode="banking", responder=SimulatorResponder())
    list(session.handle({"type": "chat", "payload": {"text": "What's my checking balance?"}}))
    out = list(session.handle({"type": "chat", "payload": {"text": "and my savings?"}}))
    text = "".join(m.payload.text for m in out if isinstance(m, ChatChunkMessage))
    assert text == f"Your savings balance is ${session.persona.savings_balance:,.2f}."
    assert [turn.role for turn in session.history] == ["user", "assistant", "user", "assistant"]


def test_answers_use_the_as_of_date_not_the_clock() -> None:
    p = generate_persona("healthcare", 7, as_of=dt.date(2030, 1, 15))
    reply = simulate_reply(get_mode("healthcare"), p, [], "Chart my out-of-pocket spending over time")
    for tool in reply.tools:
        assert tool.payload.result.data[-1].label.startswith("2030-01")


def test_requests_to_act_are_declined_in_character_with_the_facts() -> None:
    persona = generate_persona("insurance", 7)
    reply = simulate_reply(get_mode("insurance"), persona, [], "Can you lower my premium?")
    assert reply.text.startswith("I can't make changes from this chat")
    assert check_reply(persona, reply.text).ok
    assert not simulate_reply(
        get_mode("healthcare"), generate_persona("healthcare", 7), [], "What's on my ID card?"
    ).tools


def test_replies_are_the_same_in_another_process_with_another_hash_seed() -> None:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from persona_kit.session import Session; from persona_kit.ai import SimulatorResponder\n"
        "s = Session('x-proc', mode='healthcare', responder=SimulatorResponder())\n"
        "out = [m.model_dump(mode='json') for q in ('Show my metrics', 'Chart my out-of-pocket spending over time',"
        " 'What prescriptions am I on?') for m in s.handle({'type': 'chat', 'payload': {'text': q}})]\n"
        "print(json.dumps(out))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])


@pytest.mark.parametrize("mode_id", sorted(OFF_TARGET))
def test_off_target_questions_say_what_is_missing_then_give_the_closest_facts(mode_id: str) -> None:
    mode = get_mode(mode_id)
    for locale in ("en_US", "de_DE", "ja_JP"):
        for seed in SEEDS:
            persona = generate_persona(mode_id, seed, locale=locale)
            facts = {fact.field: fact.text for fact in persona_facts(persona)}
            for question, _, missing, fields in OFF_TARGET[mode_id]:
                reply = simulate_reply(mode, persona, [], question)
                where = f"{locale}/{seed} {question!r} -> {reply.text!r}"
                assert missing in reply.text, where
                assert UNAVAILABLE.search(reply.text), where
                assert not FALLBACK.match(reply.text), where
                report = check_reply(persona, reply.text)
                assert report.ok, f"{where}\n{report}"
                assert all(c.exact for c in report.claims), f"{where}\n{report}"
                for field in fields:
                    assert field not in facts or facts[field] in reply.text, (field, where)
                for figure in re.findall(r"\$[\d,.]+", question):
                    assert figure not in reply.text, where  # nothing from the question is repeated as a fact


def test_the_reviewers_examples_get_the_honest_answer() -> None:
    bank, p = get_mode("banking"), generate_persona("banking", 7)
    savings = f"${p.savings_balance:,.2f}"
    assert simulate_reply(bank, p, [], "What's my savings interest rate?").text == (
        f"I don't have interest rates in your records. Your savings balance is {savings}."
    )
    transfer = simulate_reply(bank, p, [], "Transfer $500 to savings").text
    assert transfer.startswith("I can't make changes from this chat") and "$500" not in transfer
    week = simulate_reply(bank, p, [], "How much did I spend last week?").text
    oldest, newest = p.recent_transactions[-1].date, p.recent_transactions[0].date
    assert week.startswith(
        "I can't narrow your activity to that period: I can only see your recent transactions, "
        f"from {oldest:%b} {oldest.day}, {oldest.year} to {newest:%b} {newest.day}, {newest.year}. "
        "Your recent spending comes to "
    )
    listed = simulate_reply(bank, p, [], "What were my transactions last week?").text
    assert "most recent transaction" not in listed  # "last week" is a period, not the last item

    ins = get_mode("insurance")
    q = generate_persona("insurance", 2024)
    auto = next(pol for pol in q.active_policies if pol.type == "Auto")
    yearly = simulate_reply(ins, q, [], "What's my auto premium per year?").text
    assert yearly.startswith("I don't have a yearly premium for each policy, only a monthly one.")
    assert f"${auto.premium:,.2f}" in yearly and f"${q.monthly_premium * 12:,.2f} a year" in yearly
    assert f"${auto.premium * 12:,.2f}" not in yearly  # no per-policy annual figure: it is not a fact
    flood = simulate_reply(ins, q, [], "Am I covered for flood?").text
    assert flood.startswith("I don't have the perils") and f"${q.total_coverage:,.2f}" in flood
    claims = simulate_reply(ins, q, [], "How many claims did I file in 2024?").text
    assert claims.startswith("I don't have your claims broken down by period, so here is everything on file.")
    assert all(c.claim_id in claims for c in q.claims_history) and len(q.claims_history) >= 2


def test_questions_the_records_cover_get_no_note() -> None:
    cases = {
        "banking": ["What's my balance today?", "Make a chart of my spending", "Can you add up my spending?",
                    "Chart my credit score over the past year"],
        "insurance": ["How much is my monthly premium?", "What's my premium per year?", "Update me on my claims"],
        "healthcare": ["How much of my deductible have I met this year?", "Do I have appointments next month?"],
    }  # fmt: skip
    for mode_id, questions in cases.items():
        persona = generate_persona(mode_id, 7)
        for question in questions:
            reply = simulate_reply(get_mode(mode_id), persona, [], question)
            assert not UNAVAILABLE.search(reply.text), (question, reply.text)
            assert not FALLBACK.match(reply.text), (question, reply.text)
