"""The grounding check: claims found, matched to persona fields, and altered figures caught."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from scaling import LINEAR_LIMIT, fill, growth
from test_ai_simulator import BATTERY, _conversations

from persona_kit import generate_persona, get_mode
from persona_kit.ai import GroundingCheck, check_reply, simulate_reply
from persona_kit.ai.claims import extractor_for
from persona_kit.ai.grounding import MAX_CHECK_CHARS
from persona_kit.facts import persona_facts
from persona_kit.formatting import formatter_for

NUMERIC = {"amount", "percentage", "count", "date", "time", "dosage", "phone"}


def _claims(report: object) -> dict[str, tuple[str, bool, str | None]]:
    return {c.text: (c.kind, c.grounded, c.field) for c in report.claims}  # type: ignore[attr-defined]


def test_each_claim_kind_is_found_and_matched_to_its_field() -> None:
    b = generate_persona("banking", 7)
    f = formatter_for(b)
    t = b.recent_transactions[0]
    text = (
        f"Your checking balance is {f.money(b.checking_balance)}, your credit score is {b.credit_score} and you use "
        f"{f.share(b.credit_used / b.credit_limit)} of your limit. On {f.day(t.date)} you paid {f.money(t.amount)}. "
        f"Your account ends in {b.account_number_last4}."
    )
    found = _claims(check_reply(b, text))
    assert found[f.money(b.checking_balance)] == ("amount", True, "checking_balance")
    assert found[str(b.credit_score)] == ("count", True, "credit_score")
    assert found[f.share(b.credit_used / b.credit_limit)] == ("percentage", True, "derived.credit_utilization")
    assert found[f.day(t.date)][:2] == ("date", True)
    assert found[f.money(t.amount)] == ("amount", True, "recent_transactions[0].amount")
    assert found[b.account_number_last4] == ("id", True, "account_number_last4")

    h = generate_persona("healthcare", 11)
    rx, visit = h.active_prescriptions[1], h.upcoming_appointments[0]
    text = (
        f"{rx.medication} {rx.dosage} from {rx.prescriber}. Member {h.member_id}. See {visit.provider} at {visit.time}."
    )
    found = _claims(check_reply(h, text))
    assert found[rx.medication] == ("medication", True, "active_prescriptions[1].medication")
    assert found[rx.dosage] == ("dosage", True, "active_prescriptions[1].dosage")
    assert found[rx.prescriber][:2] == ("provider", True)
    assert found[h.member_id] == ("id", True, "member_id")
    assert found[visit.provider][:2] == ("provider", True)
    assert found[visit.time] == ("time", True, "upcoming_appointments[0].time")


def test_a_reply_with_one_number_altered_is_caught() -> None:
    p = generate_persona("banking", 7)
    reply = simulate_reply(get_mode("banking"), p, [], "What's my credit limit?").text
    assert check_reply(p, reply).ok
    limit = formatter_for(p).money(p.credit_limit)
    altered = reply.replace(limit, limit[:-1] + str((int(limit[-1]) + 1) % 10), 1)
    report = check_reply(p, altered)
    assert not report.ok
    (bad,) = report.ungrounded
    assert bad.kind == "amount"
    assert bad.field is None
    assert altered[bad.start : bad.end] == bad.text


def _alter(text: str, start: int, end: int, taken: set[str]) -> str | None:
    """The text with one digit of text[start:end] changed so the claim no longer spells any fact; None if impossible."""
    span = text[start:end]
    for pos in reversed([i for i, ch in enumerate(span) if ch.isdigit()]):
        for step in range(1, 10):
            new = span[:pos] + str((int(span[pos]) + step) % 10) + span[pos + 1 :]
            if new not in taken and new.lstrip("-") not in taken:
                return text[:start] + new + text[end:]
    return None


@pytest.mark.parametrize("mode_id", sorted(BATTERY))
@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP"])
def test_every_single_number_altered_in_the_battery_is_caught(mode_id: str, locale: str) -> None:
    """Each numeric claim of each battery reply, altered by one digit, makes the reply fail the check.

    The new digit is chosen so the altered figure does not spell another fact of the persona
    (e.g. a transaction date moved onto another transaction's date): such a figure is true of
    the persona, and no check on text alone can call it invented.
    """
    mode = get_mode(mode_id)
    persona = generate_persona(mode_id, 12, locale=locale)
    grounding = GroundingCheck(persona)
    spelled = {c.text for fact in persona_facts(persona) for c in grounding.claims(fact.text)}
    altered_count = 0
    for history, question, _ in _conversations(mode, persona, BATTERY[mode_id]):
        reply = simulate_reply(mode, persona, history, question).text
        for claim in grounding.check(reply).claims:
            if claim.kind not in NUMERIC:
                continue
            altered = _alter(reply, claim.start, claim.end, spelled)
            assert altered is not None
            assert not grounding.check(altered).ok, (question, claim.text, altered)
            altered_count += 1
    assert altered_count > 50


@pytest.mark.parametrize("mode_id", sorted(BATTERY))
def test_every_digit_of_a_simulator_reply_is_inside_a_checked_claim(mode_id: str) -> None:
    mode = get_mode(mode_id)
    for locale in ("en_US", "fr_FR"):
        persona = generate_persona(mode_id, 7, locale=locale)
        grounding = GroundingCheck(persona)
        for history, question, _ in _conversations(mode, persona, BATTERY[mode_id]):
            reply = simulate_reply(mode, persona, history, question).text
            covered = {i for c in grounding.check(reply).claims for i in range(c.start, c.end)}
            loose = [i for i, ch in enumerate(reply) if ch.isdigit() and i not in covered]
            assert not loose, (reply, [reply[max(0, i - 10) : i + 10] for i in loose])


def test_same_value_written_differently_is_grounded_but_not_exact() -> None:
    p = generate_persona("healthcare", 11)
    visit, rx = p.upcoming_appointments[0], p.active_prescriptions[0]
    hour, minute = map(int, visit.time.split(":"))
    twelve = f"{(hour - 1) % 12 + 1}:{minute:02d} {'PM' if hour >= 12 else 'AM'}"
    text = (
        f"Your deductible is ${p.deductible:.2f}. Visit on {visit.date:%B} {visit.date.day}, {visit.date.year} "
        f"at {twelve}, also written {visit.date.isoformat()}. Keep taking {rx.medication.lower()}."
    )
    report = check_reply(p, text)
    assert report.ok, str(report)
    assert all(not c.exact for c in report.claims)
    assert {c.kind for c in report.claims} == {"amount", "date", "time", "medication"}


def test_invented_figures_names_and_ids_are_not_grounded() -> None:
    p = generate_persona("healthcare", 7)
    assert not p.active_prescriptions  # so any medication named is invented
    text = (
        "You have 17 upcoming appointments, the next on Dec 25, 2031 at 09:45 with Dr. Imaginary Person. "
        "Take Metformin 500 mg. Your member ID is MBR-AAAAAAAA and you have paid $123,456.78 (87%)."
    )
    report = check_reply(p, text)
    kinds = sorted(c.kind for c in report.ungrounded)
    assert kinds == sorted(["count", "date", "time", "provider", "medication", "dosage", "id", "amount", "percentage"])
    assert report.grounded_share == 0
    assert "NO " in str(report)


def test_a_count_is_checked_against_the_facts_its_noun_names() -> None:
    p = generate_persona("insurance", 7)
    policies = len(p.active_policies)
    assert check_reply(p, f"You have {policies} active policies.").ok
    assert not check_reply(p, f"You have {policies} claims on file.").ok  # a true number, the wrong fact
    assert check_reply(p, f"Active policies: {policies}").ok
    assert check_reply(p, f"Your risk score is {p.risk_points}.").ok
    assert not check_reply(p, f"Your risk score is {p.risk_points + 1}.").ok


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP"])
def test_a_category_count_is_attributed_to_the_category_its_line_names(locale: str) -> None:
    """ "Gas: $47.58 (1 transaction)" names the Gas row, not the first category that also has 1 transaction."""
    checked = shared = 0
    for seed in range(40):
        p = generate_persona("banking", seed, locale=locale)
        text = simulate_reply(get_mode("banking"), p, [], "Show my spending by category").text
        counts: dict[str, int] = {}
        for t in p.recent_transactions:
            if t.amount < 0:
                counts[t.category] = counts.get(t.category, 0) + 1
        for c in check_reply(p, text).claims:
            if c.kind != "count" or not (c.field or "").startswith("derived.spending["):
                continue
            line = text[: c.start].rsplit("\n", 1)[-1]
            category = next(name for name in counts if name in line)
            assert c.field == f"derived.spending[{category}].count", (line, c.fields)
            checked += 1
            shared += len(c.fields) > 1
    assert checked > 100
    assert shared > 20  # the case that went wrong: another category has the same count


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"])
def test_amounts_dates_and_shares_in_each_locale(locale: str) -> None:
    p = generate_persona("banking", 5, locale=locale)
    f = formatter_for(p)
    t = p.recent_transactions[-1]
    text = f"Limit {f.money(p.credit_limit)}; on {f.day(t.date)}: {f.money(t.amount)}; {f.share(0.5)} more."
    report = check_reply(p, text)
    assert [c.kind for c in report.claims] == ["amount", "date", "amount", "percentage"], str(report)
    assert [c.grounded for c in report.claims] == [True, True, True, f.share(0.5) in {x.text for x in persona_facts(p)}]


def test_a_reply_without_claims_is_ok() -> None:
    report = check_reply(generate_persona("banking", 1), "Happy to help! What would you like to know?")
    assert report.ok
    assert report.claims == ()
    assert report.grounded_share == 1.0


def test_digits_glued_to_words_are_not_claims() -> None:
    p = generate_persona("banking", 1)
    report = check_reply(p, "Use code ABC123 at example42.com or call the covid19 line.")
    assert report.claims == ()
    assert re.search(r"\d", report.text)


@pytest.mark.parametrize(
    ("text", "claim", "value", "quantum"),
    [
        ("$1.5M coverage", "$1.5M", "1500000", "100000"),
        ("up to $250K.", "$250K", "250000", "1000"),
        ("a $1.2k deductible", "$1.2k", "1200", "100"),
        ("-$1.50M", "-$1.50M", "-1500000", "10000"),  # the sign is kept: a debit is not a credit
        ("$1,500K", "$1,500K", "1500000", "1000"),
        ("USD 2 bn", "USD 2 bn", "2000000000", "1000000000"),
        ("$3.2 million in total", "$3.2 million", "3200000", "100000"),
        ("1.5 million dollars", "1.5 million dollars", "1500000", "100000"),
        ("€2,5 Mio.", "€2,5 Mio.", None, "100000"),  # another currency: an amount no dollar fact can back
    ],
)
def test_amounts_rounded_to_a_magnitude_are_amount_claims(
    text: str, claim: str, value: str | None, quantum: str
) -> None:
    (found,) = extractor_for("en_US", "USD")(text)
    assert (found.kind, found.text) == ("amount", claim)
    assert found.value == (None if value is None else Decimal(value))
    assert found.quantum == Decimal(quantum)


@pytest.mark.parametrize("text", ["1.5 million members", "$5 millionaire", "$5mg", "$2Mx"])
def test_a_magnitude_without_a_currency_or_glued_to_a_word_is_not_a_rounded_amount(text: str) -> None:
    assert all(c.quantum is None for c in extractor_for("en_US", "USD")(text))


def _rounded(value: float, step: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(("locale", "seed"), [("en_US", 5), ("de_DE", 9)])
def test_a_rounded_amount_is_grounded_but_not_exact_when_the_fact_rounds_to_it(locale: str, seed: int) -> None:
    """ "$1.6M" stands for a fact that rounds half-up to 1.6M at 0.1M: the total coverage, not a policy's."""
    p = generate_persona("insurance", seed, locale=locale)
    assert len(p.active_policies) >= 2
    assert p.total_coverage >= 1_000_000
    assert min(x.coverage for x in p.active_policies) >= 100_000  # so no single policy rounds to the total
    millions = _rounded(p.total_coverage / 1_000_000, "0.1")
    thousands = _rounded(p.total_coverage / 1000, "1")
    if locale == "en_US":
        true = [f"${millions}M", f"${thousands}K", f"{millions} million dollars", f"${millions} million"]
        false = [f"${millions + Decimal('0.1')}M", f"${thousands + 1}K", f"{millions - Decimal('0.1')} million dollars"]
    else:
        comma = str(millions).replace(".", ",")
        true = [f"{comma} Mio. €", f"€{thousands}K", f"{comma} Millionen Euro"]
        wrong = str(millions + Decimal("0.1")).replace(".", ",")
        false = [f"{wrong} Mio. €", f"{thousands - 1} Tsd. €"]
    for text in true:
        (claim,) = check_reply(p, f"Your coverage: {text}.").claims
        assert (claim.kind, claim.text, claim.grounded, claim.exact) == ("amount", text, True, False), text
        assert claim.field == "total_coverage", text
    for text in false:
        (claim,) = check_reply(p, f"Your coverage: {text}.").claims
        assert (claim.kind, claim.text, claim.grounded, claim.field) == ("amount", text, False, None), text


def test_the_nearest_fact_comes_first_and_another_currency_is_never_grounded() -> None:
    p = generate_persona("insurance", 5)
    coverages = [x.coverage for x in p.active_policies]
    assert 280_000 in coverages
    assert 250_000 in coverages
    (claim,) = check_reply(p, "About $0.3M of it.").claims  # 250K and 280K both round (half-up) to 0.3M
    assert (claim.grounded, claim.exact) == (True, False)
    assert claim.fields == (
        f"active_policies[{coverages.index(280_000)}].coverage",
        f"active_policies[{coverages.index(250_000)}].coverage",
    )
    assert claim.field == claim.fields[0]
    (foreign,) = check_reply(p, "About €0.3M of it.").claims
    assert (foreign.kind, foreign.grounded, foreign.field) == ("amount", False, None)


# --- hostile input: time linear in the reply's size ---------------------------------------------------------------

HOSTILE_REPLIES = {
    "counts": lambda n: fill("1 ", n),
    "counts on lines": lambda n: fill("1\n", n),
    "counts after a noun": lambda n: fill("refills: 3 ", n),
    "amounts": lambda n: fill("$1 ", n),
    "digit groups": lambda n: "1" + fill(" 111", n),
    "apostrophe groups": lambda n: "1" + fill("'111", n),
    "letters": lambda n: "a" * n,
    "titles": lambda n: fill("医師", n),
    "names before titles": lambda n: fill("山田 太郎 医師", n),
    "white space": lambda n: fill("1" + " " * 999, n),
    "named figures": lambda n: fill("Your checking balance is $1 ", n),
    "figures after a colon": lambda n: fill("checking: $1, ", n),
    "conjunctions after figures": lambda n: fill("$1 and your savings balance is ", n),
    "links": lambda n: fill("is of: ", n),
    "signs": lambda n: fill("-$1 ", n),
    "minus words": lambda n: fill("minus $1 ", n),
    "paid": lambda n: fill("you paid $1 ", n),
    "number words": lambda n: fill("three open claims ", n),
    "number words without a noun": lambda n: fill("one one ", n),
    "dashes": lambda n: fill("- ", n),
}


@pytest.mark.parametrize("make", HOSTILE_REPLIES.values(), ids=HOSTILE_REPLIES.keys())
def test_check_time_is_linear_in_the_reply_size(make: Callable[[int], str]) -> None:
    check = GroundingCheck(generate_persona("healthcare", 7, locale="ja_JP")).check
    assert growth(check, make, 4 * 1024, 32 * 1024, repeat=3) < LINEAR_LIMIT


def test_long_figures_are_still_claims() -> None:
    """Digit groups are bounded (no figure is rescanned from every group in it) far beyond any real figure."""
    text = "You owe $1,000,000,000,000,000,000.00, a 1,000,000,000% rise."
    report = check_reply(generate_persona("banking", 7), text)
    assert [(c.kind, c.text) for c in report.claims] == [
        ("amount", "$1,000,000,000,000,000,000.00"),
        ("percentage", "1,000,000,000%"),
    ]


# --- which field a figure is about ---------------------------------------------------------------------------------


def test_a_figure_named_as_one_field_must_be_that_fields_value() -> None:
    p = generate_persona("banking", 7)
    f = formatter_for(p)
    checking, savings = f.money(p.checking_balance), f.money(p.savings_balance)
    assert checking != savings
    (right,) = check_reply(p, f"Your checking balance is {checking}.").claims
    assert (right.grounded, right.exact, right.field, right.named) == (
        True,
        True,
        "checking_balance",
        ("checking_balance",),
    )
    assert right.subject == "checking balance"
    (wrong,) = check_reply(p, f"Your checking balance is {savings}.").claims
    assert (wrong.grounded, wrong.field, wrong.named) == (False, None, ("checking_balance",))
    assert wrong.value_of == ("savings_balance",)  # the right figure under the wrong name
    assert wrong.note == "named checking_balance, but it is savings_balance"
    assert right.note == "checking_balance"
    assert "named checking_balance by 'checking balance'; it is savings_balance" in str(
        check_reply(p, f"Your checking balance is {savings}.")
    )
    # today's behaviour without field words: any fact with the value backs it
    (bare,) = check_reply(p, f"That makes {savings}.").claims
    assert (bare.grounded, bare.field, bare.named) == (True, "savings_balance", ())
    for text, ok in [
        (f"Checking: {checking}", True),
        (f"Checking: {savings}", False),
        (f"Savings: {savings}", True),
        (f"Your credit limit is {f.money(p.credit_used)}.", False),
        (f"Your credit limit is {f.money(p.credit_limit)}.", True),
        (f"You've been a member since {f.day(p.identity.date_of_birth)}.", False),
        (f"You've been a member since {f.day(p.member_since)}.", True),
        (f"Your credit score is {p.identity.age}.", False),
        (f"Your checking balance is {checking} and your savings balance is {savings}.", True),
        (f"Your checking balance is {savings} and your savings balance is {checking}.", False),
    ]:
        assert check_reply(p, text).ok is ok, text


def test_words_before_a_link_name_fields_but_a_verb_alone_does_not() -> None:
    """ "In all you pay $24.93 a month" names no field: only a noun phrase before is/was/of/: is read as a subset."""
    p = generate_persona("telecom", 3)
    f = formatter_for(p)
    monthly = f.money(sum(d.monthly_instalment for d in p.devices))
    assert check_reply(p, f"In all you pay {monthly} a month in instalments.").ok
    balance = f.money(sum(d.instalment_balance for d in p.devices))
    assert balance != monthly
    assert check_reply(p, f"Device balance left to pay: {balance}").ok
    assert not check_reply(p, f"Device balance left to pay: {monthly}").ok


def test_a_row_named_in_the_clause_narrows_a_list_field_to_that_row() -> None:
    p = generate_persona("insurance", 22)
    f = formatter_for(p)
    first, second = p.active_policies[0], p.active_policies[1]
    assert first.deductible != second.deductible
    own = f"The deductible on your {first.type} ({first.policy_number}) policy is {f.money(first.deductible)}."
    other = f"The deductible on your {first.type} ({first.policy_number}) policy is {f.money(second.deductible)}."
    assert check_reply(p, own).ok
    report = check_reply(p, other)
    assert not report.ok
    (bad,) = report.ungrounded
    assert bad.named == ("active_policies[0].deductible",)
    assert bad.value_of == ("active_policies[1].deductible",)


def test_the_longer_label_wins_between_two_summary_fields() -> None:
    """ "Open claims" names the open-claim count, not the count of all claims ("Claims on file")."""
    p = generate_persona("insurance", 22)
    assert len(p.claims_history) == 2 and not [c for c in p.claims_history if c.status in {"pending", "in_review"}]
    assert check_reply(p, "Open claims: 0").ok
    assert not check_reply(p, "Open claims: 2").ok
    assert check_reply(p, "Claims on file: 2").ok


def test_every_battery_reply_names_fields_and_all_such_claims_hold() -> None:
    named = 0
    for mode_id in sorted(BATTERY):
        mode, persona = get_mode(mode_id), generate_persona(mode_id, 12)
        grounding = GroundingCheck(persona)
        for history, question, _ in _conversations(mode, persona, BATTERY[mode_id]):
            for claim in grounding.check(simulate_reply(mode, persona, history, question).text).claims:
                if claim.named:
                    assert claim.grounded and claim.field in claim.named, (question, claim)
                    named += 1
    assert named > 150


# --- signs ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP"])
def test_a_debit_is_not_a_credit(locale: str) -> None:
    p = generate_persona("banking", 7, locale=locale)
    f = formatter_for(p)
    on_file = {fact.text for fact in persona_facts(p)}
    # a debit whose size is no other fact (a one-purchase category's total is also its size)
    i, debit = next(
        (i, t) for i, t in enumerate(p.recent_transactions) if t.amount < 0 and f.money(-t.amount) not in on_file
    )
    signed = f.money(debit.amount)  # as the prompt and the simulator write it: "-$57.26", "-57,26 €"
    unsigned = f.money(-debit.amount)
    assert signed.startswith("-")
    (claim,) = check_reply(p, f"{debit.description}, {signed}").claims
    assert (claim.grounded, claim.exact, claim.field) == (True, True, f"recent_transactions[{i}].amount")
    assert not check_reply(p, f"{debit.description}, {unsigned}").ok  # a payment in, not the one out
    assert not check_reply(p, f"{debit.description}, +{unsigned}").ok
    (minus,) = check_reply(p, f"{debit.description}: minus {unsigned}").claims
    assert (minus.grounded, minus.exact) == (True, False)
    (paid,) = check_reply(p, f"You paid {unsigned} to {debit.description}.").claims  # its size, money going out
    assert (paid.grounded, paid.exact) == (True, False)
    assert not check_reply(p, f"Your checking balance is -{f.money(p.checking_balance).lstrip('-')}.").ok
    assert not check_reply(p, f"Your checking balance is minus {f.money(p.checking_balance)}.").ok


def test_a_dash_with_a_space_is_not_a_sign() -> None:
    p = generate_persona("banking", 7)
    savings = formatter_for(p).money(p.savings_balance)
    (claim,) = check_reply(p, f"Your savings balance - {savings}").claims
    assert (claim.text, claim.grounded) == (savings, True)
    (bullet,) = check_reply(p, f"Here you go:\n- {savings}").claims
    assert (bullet.text, bullet.grounded) == (savings, True)


# --- numbers in words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "claim", "value"),
    [
        ("You have three open claims.", "three", 3),
        ("twelve transactions", "twelve", 12),
        ("a dozen transactions", "a dozen", 12),
        ("Twenty-one refills remaining", "Twenty-one", 21),
        ("forty two policies", "forty two", 42),
        ("zero upcoming appointments", "zero", 0),
        ("one transaction", "one", 1),
    ],
)
def test_small_numbers_in_words_before_a_count_noun_are_counts(text: str, claim: str, value: int) -> None:
    (found,) = extractor_for("en_US", "USD")(text)
    assert (found.kind, found.text, found.value) == ("count", claim, Decimal(value))


@pytest.mark.parametrize("text", ["the one after that", "three times daily", "one of your policies", "someone"])
def test_number_words_without_a_count_noun_are_not_claims(text: str) -> None:
    assert list(extractor_for("en_US", "USD")(text)) == []


def test_a_count_in_words_is_checked_against_the_count_its_noun_names() -> None:
    p = generate_persona("banking", 19)
    assert len(p.recent_transactions) == 12
    (claim,) = check_reply(p, "You made a dozen transactions.").claims
    assert (claim.grounded, claim.exact, claim.field) == (True, False, "derived.transaction_count")
    assert check_reply(p, "You made twelve transactions.").ok
    assert not check_reply(p, "You made eleven transactions.").ok
    q = generate_persona("insurance", 22)
    assert check_reply(q, "You have two claims on file and zero open claims.").ok
    assert not check_reply(q, "You have three claims on file.").ok
    assert not check_reply(q, "You have two open claims.").ok  # two claims, but none open


# --- size ----------------------------------------------------------------------------------------------------------


def test_a_text_over_the_limit_is_reported_too_long_not_read() -> None:
    p = generate_persona("banking", 7)
    report = check_reply(p, "1 " * (MAX_CHECK_CHARS // 2 + 1))
    assert report.too_long
    assert not report.ok
    assert report.claims == ()
    assert "over the 131,072-character limit" in str(report)
    assert not check_reply(p, "1 " * (MAX_CHECK_CHARS // 2)).too_long


def test_a_text_that_is_not_a_string_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="takes the reply text as a str, got bytes"):
        GroundingCheck(generate_persona("banking", 7)).check(b"$1.00")  # type: ignore[arg-type]


def test_a_count_of_all_transactions_is_not_backed_by_one_categorys_count() -> None:
    """ "Transactions" labels both the count of all and each category's: a category's only on its own line."""
    p = generate_persona("banking", 7)
    f = formatter_for(p)
    shopping = [t for t in p.recent_transactions if t.category == "Shopping"]
    assert len(shopping) == 3 and len(p.recent_transactions) == 9
    total = f.money(-sum(t.amount for t in shopping))
    assert check_reply(p, f"- Shopping: {total} (3 transactions)").ok
    assert check_reply(p, f"- Shopping: {total} (three transactions)").ok
    report = check_reply(p, "Here are your 3 recent transactions.")
    (bad,) = report.ungrounded
    assert bad.named == ("derived.transaction_count",)
    assert bad.value_of == ("derived.spending[Shopping].count",)
    assert check_reply(p, "Here are your 9 recent transactions.").ok
