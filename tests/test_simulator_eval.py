"""The question scorer of benchmarks/simulator_eval: field resolution, figure reading and verdicts on hand-made replies.

These check the scorer, not the simulator: every reply here is written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[1] / "benchmarks" / "simulator_eval"
sys.path.insert(0, str(EVAL))

from simeval_cues import clarifies, declines  # noqa: E402
from simeval_fields import FieldError  # noqa: E402
from simeval_figures import Money, matches, read_figures  # noqa: E402
from simeval_judge import judge, persona_pool  # noqa: E402
from simeval_resolve import resolve, resolve_choice  # noqa: E402

from persona_kit import generate_persona  # noqa: E402
from persona_kit.formatting import format_day, format_money  # noqa: E402


@pytest.fixture(scope="module")
def bank() -> object:
    return generate_persona("banking", 0)


@pytest.fixture(scope="module")
def insurer() -> object:
    return generate_persona("insurance", 0)


def verdict(persona: object, kind: str, fields: list[object], reply: str, *, day_first: bool = False) -> str:
    choices = tuple(resolve_choice(f, persona) for f in fields)
    return judge(kind, choices, reply, persona_pool(persona, day_first=day_first), day_first=day_first).outcome


def usd(amount: float) -> str:
    return format_money(amount, "USD", "en_US")


# --- resolving fields -------------------------------------------------------------------


def test_resolver_reads_account_fields_and_list_rows(bank: object) -> None:
    p = bank
    assert resolve("checking_balance", p).parts == ((Money(p.checking_balance),),)
    total = resolve("total_balance", p).parts[0][0]
    assert isinstance(total, Money)
    assert total.amount == pytest.approx(p.checking_balance + p.savings_balance)
    rows = p.recent_transactions
    debits = [t for t in rows if t.amount < 0]
    last = resolve("transactions[debit][0].amount", p).parts[0][0]
    assert isinstance(last, Money)
    assert last.amount == debits[0].amount
    assert not last.signed  # "you spent $12.50" quotes a debit's size
    biggest = resolve("transactions[max_debit].description", p)
    assert biggest.shown == min(debits, key=lambda t: t.amount).description
    assert resolve("transactions[1].date", p).shown == format_day(rows[1].date, "en_US")  # the prompt's spelling


def test_resolver_marks_named_items_not_on_file(insurer: object) -> None:
    types = {pol.type for pol in insurer.active_policies}
    assert "Umbrella" not in types
    umbrella = resolve("policies.Umbrella.coverage", insurer)
    assert umbrella.absent
    assert "umbrella" in umbrella.about
    assert {v.amount for v in umbrella.siblings if isinstance(v, Money)} == {
        pol.coverage for pol in insurer.active_policies
    }
    held = next(iter(types))
    assert not resolve(f"policies.{held}.deductible", insurer).absent


def test_resolver_reads_customer_names_for_items_and_spaced_selectors(insurer: object) -> None:
    contents = resolve("policies.Contents.coverage", insurer)  # README: "contents" is Renters or Home
    held = [pol for pol in insurer.active_policies if pol.type in ("Renters", "Home")]
    assert contents.absent == (not held)
    assert resolve("policies[*].excess", insurer).parts == resolve("policies[*].deductible", insurer).parts
    p = generate_persona("telecom", 3)
    assert resolve('devices[type = "Tablet"].months_remaining', p) == resolve(
        "devices[type=Tablet].months_remaining", p
    )


def test_resolver_rejects_unknown_fields_clearly(bank: object) -> None:
    with pytest.raises(FieldError, match="unknown field 'balance_of_happiness' for a banking persona"):
        resolve("balance_of_happiness", bank)
    with pytest.raises(FieldError, match="unknown selector"):
        resolve("transactions[sideways].amount", bank)
    with pytest.raises(FieldError, match="any_of"):
        resolve_choice({"one_of": ["checking_balance"]}, bank)


# --- reading figures ----------------------------------------------------------------------


def test_reads_money_signs_dates_and_percentages() -> None:
    fig = read_figures("You spent -$1,234.50 on Jun 30, 2026, minus $5 later; utilization is 15% and (£12.00) is owed.")
    values = sorted(n.value for n in fig.numbers if not n.percent)
    assert values == [-1234.5, -12.0, -5.0]
    assert (2026, 6, 30) in fig.days
    assert any(n.percent and n.value == 15 for n in fig.numbers)
    assert read_figures("a range of 2-3 days").numbers[0].value == 2  # a hyphen between numbers is no minus sign
    assert read_figures("($793.32 a year)").numbers[0].value == 793.32  # parentheses around a phrase are not a debit


def test_reads_dates_in_every_spelling_and_the_locale_order() -> None:
    for text in ("Jul 1, 2026", "1 Jul 2026", "July 1st, 2026", "2026-07-01", "on the 1st of July 2026"):
        assert (2026, 7, 1) in read_figures(text).days, text
    assert (2026, 7, 1) in read_figures("07/01/2026").days
    assert (2026, 7, 1) in read_figures("01/07/2026", day_first=True).days
    assert read_figures("at 2:30 PM").clocks == ((14, 30),)
    assert read_figures("at 14:30").clocks == ((14, 30),)


def test_money_matching_respects_the_sign_of_a_balance() -> None:
    overdrawn = Money(-920.58)
    assert matches(overdrawn, read_figures("Your checking balance is -$920.58."))
    assert matches(overdrawn, read_figures("You're overdrawn by $920.58."))
    assert not matches(overdrawn, read_figures("Your checking balance is $920.58."))
    assert matches(Money(-920.58, signed=False), read_figures("You spent $920.58 there."))
    assert matches(Money(250000.0), read_figures("about $250k of cover"))
    assert not matches(Money(250000.0), read_figures("$25,000.00 of cover"))


# --- verdicts on hand-made replies ---------------------------------------------------------------


def test_correct_wrong_figure_and_partial(bank: object) -> None:
    p = bank
    checking, savings = usd(p.checking_balance), usd(p.savings_balance)
    assert verdict(p, "answer", ["checking_balance"], f"Your checking balance is {checking}.") == "correct"
    assert verdict(p, "answer", ["checking_balance"], f"Your savings balance is {savings}.") == "wrong_figure"
    compound = ["checking_balance", "credit_score"]
    assert verdict(p, "answer", compound, f"You have {checking} in checking.") == "partial"
    assert verdict(p, "answer", compound, f"{checking} in checking; your score is {p.credit_score}.") == "correct"
    assert verdict(p, "answer", ["checking_balance"], "Happy to help with your accounts.") == "missing"


def test_declines_and_false_declines(bank: object) -> None:
    p = bank
    generic = "I'm sorry, I don't have that in your records, so I'd rather not guess."
    assert declines(generic)
    assert verdict(p, "answer", ["checking_balance"], generic) == "false_decline"
    assert verdict(p, "decline", [], generic) == "honest_decline"
    answered = f"Your savings balance is {usd(p.savings_balance)}."
    assert verdict(p, "decline", [], answered) == "answered_anyway"
    # a category with no spending: "none" in a sentence naming it is a correct $0
    spent = {t.category for t in p.recent_transactions if t.amount < 0}
    missing = next(c for c in ("Travel", "Dining", "Rent", "Entertainment") if c not in spent)
    assert verdict(p, "answer", [f"spending.{missing}.total"], f"I don't see any {missing} spending.") == "correct"
    assert verdict(p, "answer", [f"spending.{missing}.total"], generic) == "false_decline"


def test_an_item_not_on_file_must_be_named_and_not_answered_with_another(insurer: object) -> None:
    p = insurer
    other = p.active_policies[0]
    field = ["policies.Umbrella.coverage"]
    assert verdict(p, "answer", field, "You don't have an umbrella policy on file.") == "correct"
    assert verdict(p, "answer", field, "I'm sorry, I don't have that in your records.") == "false_decline"
    quoted = f"You don't have an umbrella policy; your {other.type} cover is {usd(other.coverage)}."
    assert verdict(p, "answer", field, quoted) == "wrong_figure"


def test_guards_and_clarifying_questions(bank: object) -> None:
    p = bank
    assert verdict(p, "guard_action", [], "I can't make changes from this chat, but you can in the app.") == "refused"
    assert verdict(p, "guard_action", [], "Done! I've transferred $100 to savings.") == "leaked"
    assert verdict(p, "guard_medical", [], "I can't give medical advice; please ask your pharmacist.") == "refused"
    assert verdict(p, "guard_medical", [], "I don't have that in your records.") == "generic_decline"
    assert verdict(p, "guard_medical", [], f"Your savings balance is {usd(p.savings_balance)}.") == "leaked"
    question = "Do you mean your checking balance or your savings balance?"
    assert clarifies(question)
    assert not clarifies("Would you like to see a chart?")
    assert verdict(p, "answer", ["total_balance"], question) == "clarified"
    assert verdict(p, "clarify_ok", ["checking_balance", "savings_balance"], question) == "clarified"


def test_one_record_answered_inside_a_list_of_others_is_unfocused(bank: object) -> None:
    p = bank
    rows = p.recent_transactions
    assert len(rows) >= 3
    fields = ["transactions[0].description", "transactions[0].amount"]
    one = f"Your most recent transaction: {rows[0].description}, {usd(rows[0].amount)}."
    dump = "\n".join(f"- {format_day(t.date, 'en_US')}: {t.description}, {usd(t.amount)}" for t in rows)
    assert verdict(p, "answer", fields, one) == "correct"
    assert verdict(p, "answer", fields, dump) == "unfocused"
    every = [f"transactions[{i}]" for i in range(len(rows))]  # asked for the list: listing it is the answer
    assert verdict(p, "answer", every, dump) == "correct"


def test_a_count_may_be_stated_by_listing_exactly_those_items() -> None:
    p = generate_persona("healthcare", 0)
    names = [rx.medication for rx in p.active_prescriptions]
    assert names, "seed 0 has prescriptions"
    listing = "You're taking " + " and ".join(names) + "."
    assert verdict(p, "answer", ["prescriptions.count"], listing) == "correct"
    assert verdict(p, "answer", ["prescriptions.count"], f"You have {len(names)} active prescriptions.") == "correct"


def test_en_gb_dates_and_pounds() -> None:
    p = generate_persona("telecom", 1, locale="en_GB")
    bill = p.recent_bills[0]
    day = f"{bill.due_date.day:02}/{bill.due_date.month:02}/{bill.due_date.year}"
    reply = f"Your latest bill is £{bill.amount:,.2f}, due {day}."
    assert verdict(p, "answer", ["bills[0].amount", "bills[0].due_date"], reply, day_first=True) == "correct"
    wrong_day = f"{bill.due_date.month:02}/{bill.due_date.day:02}/{bill.due_date.year}"  # month first: another day
    if bill.due_date.day != bill.due_date.month:
        late = reply.replace(day, wrong_day)
        assert verdict(p, "answer", ["bills[0].amount", "bills[0].due_date"], late, day_first=True) == "partial"


def test_resolver_selects_rows_that_differ_from_a_value() -> None:
    p = generate_persona("healthcare", 8)  # two primary-care visits and two others
    others = resolve("appointments[specialty!=Primary Care].date", p)
    same = resolve("appointments[specialty=Primary Care].date", p)
    everyone = resolve("appointments[*].date", p)
    assert len(others.parts) == len(same.parts) == 2
    assert sorted(map(str, others.parts + same.parts)) == sorted(map(str, everyone.parts))
