"""Follow-ups and narrowed lists in the simulator: money in or out, the largest, bare "how much?", comparisons."""

from __future__ import annotations

import re

from persona_kit import generate_persona, get_mode
from persona_kit.ai.simulator import simulate_reply
from persona_kit.industries.banking.model import BankingPersona
from persona_kit.industries.insurance.model import OPEN_STATUSES
from tests.conversations import conversation


def _banking(seed: int) -> BankingPersona:
    persona = generate_persona("banking", seed)
    assert isinstance(persona, BankingPersona)
    return persona


def _money(text: str) -> list[str]:
    return re.findall(r"-?\$[\d,]+\.\d\d", text)


def test_a_purchase_is_money_out_and_being_paid_is_money_in() -> None:
    for seed in range(6):
        persona = _banking(seed)
        rows = persona.recent_transactions
        debits = [t for t in rows if t.amount < 0]
        credits = [t for t in rows if t.amount > 0]
        last, before = conversation(persona, "what was my last purchase", "and the one before that")
        assert debits[0].description in last and f"${-debits[0].amount:,.2f}" in last
        assert debits[1].description in before and f"${-debits[1].amount:,.2f}" in before
        if credits:
            (paid,) = conversation(persona, "when was i paid last")
            assert credits[0].description in paid and credits[0].date.strftime("%b %-d, %Y") in paid


def test_the_largest_purchase_stays_the_subject_of_when_was_that() -> None:
    persona = _banking(1)
    largest = min(persona.recent_transactions, key=lambda t: t.amount)
    first, when = conversation(persona, "biggest purchase?", "when was that")
    for reply in (first, when):
        assert largest.description in reply and largest.date.strftime("%b %-d, %Y") in reply
        assert len(_money(reply)) == 1


def test_a_bare_how_much_continues_the_topic_before_it() -> None:
    persona = _banking(1)
    deposits = [t for t in persona.recent_transactions if t.amount > 0]
    _, much = conversation(persona, "did my paycheck arrive", "how much")
    assert f"${deposits[0].amount:,.2f}" in much
    assert "don't have" not in much


def test_a_count_follow_up_keeps_the_category_and_a_category_comes_with_its_total() -> None:
    persona = _banking(1)
    shopping = [t for t in persona.recent_transactions if t.category == "Shopping"]
    total = f"${-sum(t.amount for t in shopping):,.2f}"
    first, count = conversation(persona, "how much on shopping", "how many purchases")
    for reply in (first, count):
        assert total in reply and f"across {len(shopping)} transaction" in reply


def test_is_that_more_than_gives_both_figures() -> None:
    persona = _banking(1)
    spent = {
        c: -sum(t.amount for t in persona.recent_transactions if t.category == c) for c in ("Shopping", "Groceries")
    }
    _, both = conversation(persona, "how much on shopping", "is that more than groceries")
    assert f"${spent['Shopping']:,.2f}" in both and f"${spent['Groceries']:,.2f}" in both


def _insurance(*turns: str, seed: int) -> list[str]:
    return conversation(generate_persona("insurance", seed), *turns)


def test_a_one_word_follow_up_keeps_the_policy_and_an_absent_one_stays_absent() -> None:
    held = {p.type for p in generate_persona("insurance", 0).active_policies}
    assert "Renters" not in held
    replies = _insurance("renters coverage?", "deductible?", "renewal?", seed=0)
    for reply in replies:
        assert "don't have a Renters policy" in reply
        assert not _money(reply)  # never another policy's figure
    (both,) = _insurance("renters premium and deductible", seed=0)
    assert both.count("don't have a Renters policy") == 1  # one part's refusal, not twice


def test_open_claims_stay_the_subject_of_a_follow_up() -> None:
    for seed in range(12):
        persona = generate_persona("insurance", seed)
        open_claims = [c for c in persona.claims_history if c.status in OPEN_STATUSES]
        closed = [c for c in persona.claims_history if c not in open_claims]
        if closed and not open_claims:
            _, what = _insurance("do i have any open claims", "what are they for", seed=seed)
            assert "no open claims" in what
            named = [c for c in closed if c.claim_id in what]
            assert named == closed[:1]  # only the latest closed claim, with its status
            assert f"status {closed[0].status}" in what.lower()
            return
    raise AssertionError("no persona with only closed claims among the first 12")


def test_telecom_bills_narrowed_by_what_was_asked() -> None:
    mode = get_mode("telecom")
    for seed in range(8):
        persona = generate_persona("telecom", seed)
        overdue = simulate_reply(mode, persona, [], "any overdue bills?").text
        late = [b for b in persona.recent_bills if b.status == "Overdue"]
        if late:
            assert "overdue" in overdue and all(b.date.strftime("%b %-d, %Y") in overdue for b in late)
        else:
            assert overdue.startswith("None of your recent bills is overdue")
            assert all(b.status in overdue for b in persona.recent_bills)
        bills = simulate_reply(mode, persona, [], "show me my recent bills").text
        assert bills.count("\n- ") == len(persona.recent_bills)
        monthly = simulate_reply(mode, persona, [], "how much do i pay a month").text
        assert f"${persona.monthly_price:,.2f} a month" in monthly


def test_a_custom_mode_reads_its_own_activity_and_declines_bookings() -> None:
    from persona_kit.triggers import custom_mode

    mode = custom_mode("airline")
    persona = generate_persona(mode, 0)
    last = simulate_reply(mode, persona, [], "last flght date").text
    assert persona.last_activity_date.strftime("%b %-d, %Y") in last
    count = simulate_reply(mode, persona, [], "how many flights have i taken").text
    assert str(persona.activity_count) in count
    for question in ("what's my seat on my next flight", "is my flight on time?"):
        reply = simulate_reply(mode, persona, [], question).text
        assert "don't have bookings" in reply and not re.search(r"\d", reply)
    tier = simulate_reply(mode, persona, [], "how many points to next tier").text
    assert f"{persona.loyalty_points:,}" in tier


def test_a_scene_setting_piece_gives_its_subject_and_a_how_much_question_is_no_action() -> None:
    held = {p.type for p in generate_persona("insurance", 4).active_policies}
    assert "Auto" not in held
    (reply,) = _insurance("I had a fender bender, how much do I need to pay before you cover the rest?", seed=4)
    assert "don't have an Auto policy" in reply
    assert "can't make changes" not in reply and "$" not in reply


def test_a_claim_names_its_policy_when_asked_which() -> None:
    persona = generate_persona("insurance", 4)
    claim = persona.claims_history[0]
    (reply,) = _insurance("which policy was my most recent claim under?", seed=4)
    assert claim.claim_id in reply and claim.policy_number in reply


def test_rent_asked_of_a_mortgage_payer_says_which_it_is() -> None:
    for seed in range(12):
        persona = _banking(seed)
        housing = [t for t in persona.recent_transactions if t.category == "Housing"]
        if housing and all(t.description.startswith("Mortgage") for t in housing):
            (rent,) = conversation(persona, "has my rent gone out yet?")
            assert rent.startswith("I don't see any rent payments; your housing payment is a mortgage.")
            (payment,) = conversation(persona, "how much is my mortgage")
            assert f"${-housing[0].amount:,.2f}" in payment
            (left,) = conversation(persona, "how much is left on my mortgage?")
            assert "don't have loan or mortgage details" in left
            return
    raise AssertionError("no mortgage payer among the first 12 banking personas")
