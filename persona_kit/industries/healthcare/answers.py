"""Answers for a health-plan member: plan, cost sharing, appointments, prescriptions and the care team."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from persona_kit.ai.answers.common import (
    DEFER,
    Ask,
    Defer,
    Reply,
    Simulator,
    bullets,
    join_words,
    key_metrics,
    pick,
    plural,
)
from persona_kit.ai.charts import chart_result, cumulative, money_value, month_labels
from persona_kit.ai.intents import Grammar, Intent, SubjectRule, TopicRules, subject_rule
from persona_kit.ai.rules import industry_rules
from persona_kit.industries.healthcare.generator import healthcare_stats
from persona_kit.industries.healthcare.model import HealthcarePersona
from persona_kit.protocol import ToolResultMessage

TOPICS = (
    "your plan, deductible, out-of-pocket costs, upcoming appointments, prescriptions and refills, "
    "and your primary care provider"
)

_RULES = industry_rules("healthcare")
"""Topic rules (ordered: the first that matches wins), facets, subject words and the handlers' patterns, from
``data/intents/en/rules/healthcare.json``."""
TOPIC_RULES: TopicRules = _RULES.topics
GRAMMAR = Grammar(
    TOPIC_RULES,
    subject_topics={
        "medication": frozenset({"prescriptions", "refills"}),
        "drug_class": frozenset({"prescriptions", "refills"}),
        "specialty": frozenset({"appointments"}),
        "provider": frozenset({"appointments", "prescriptions"}),
    },
    subject_default={
        "medication": "prescriptions",
        "drug_class": "prescriptions",
        "specialty": "appointments",
        "provider": "appointments",
    },
    future_lists=frozenset({"appointments"}),
    yields=_RULES.yields,
)

_SPECIALTY_WORDS = _RULES.subject_words("specialty")
_DRUG_CLASS_WORDS = _RULES.subject_words("drug_class")
"""Per drug class (``drug_class`` in the medication stats), what members call it; the first is how a reply names it."""


def _surname(provider: str) -> str:
    """The family name in a provider's display name: last word, or the first before 医師 (ja_JP)."""
    words = provider.split()
    return words[0] if words[-1] == "医師" else words[-1]


def subject_rules(persona: HealthcarePersona) -> list[SubjectRule]:
    """Medications (the whole pool, so one the member does not take is recognised), specialties and providers."""
    rules = list(_catalogue_rules())
    providers = sorted({a.provider for a in persona.upcoming_appointments})
    rules += [subject_rule("provider", name, _surname(name)) for name in providers]
    # "my own doctor", "my GP": the primary care provider, whether or not a visit with them is booked
    rules += [subject_rule("provider", persona.primary_care_provider, *_RULES.subject_words("pcp").get("phrases", ()))]
    return rules


@cache
def _catalogue_rules() -> tuple[SubjectRule, ...]:
    """The rules every member shares (medications, drug classes, other medicines, specialties), built once."""
    stats = healthcare_stats()
    rules = [subject_rule("medication", m.name, m.name.split()[0]) for m in stats.medications]
    nouns = _RULES.subject_words("medication_noun").get("nouns", ())
    conditions = _RULES.subject_words("drug_condition")
    for code, words in _DRUG_CLASS_WORDS.items():
        # "my sugar tablets", "the cholesterol one": what it treats, then what it is
        named = [f"{condition} {noun}" for condition in conditions.get(code, ()) for noun in nouns]
        rules.append(subject_rule("drug_class", code, *words, *named))
    # other common medicines, so "I'm sure I'm on warfarin" is known to be none of the member's
    rules += [subject_rule("medication", name) for name in _RULES.subject_words("other_medication").get("names", ())]
    rules += [subject_rule("specialty", s.name, *_SPECIALTY_WORDS.get(s.name, ())) for s in stats.specialties]
    return tuple(rules)


def _deductible(ask: Ask[HealthcarePersona]) -> Reply:
    q, p = ask.q, ask.persona
    if p.deductible_met >= p.deductible:
        text = f"You've met your full deductible of {q('deductible')} for this plan year."
    else:
        text = (
            f"Your deductible is {q('deductible')}. You've met {q('deductible_met')} of it "
            f"({q('derived.deductible_met_share')}), so {q('derived.deductible_remaining')} remains."
        )
    if not ask.intent.chart:
        return Reply(text)
    cur = ask.currency
    points = [
        ("Met", money_value(p.deductible_met, cur)),
        ("Remaining", money_value(p.deductible - p.deductible_met, cur)),
    ]
    chart = chart_result(ask.chart_type("bar"), "Deductible progress", points)
    return Reply(text + " Your progress is on the dashboard.", (chart,) if chart else ())


def _out_of_pocket(ask: Ask[HealthcarePersona]) -> Reply:
    q, p = ask.q, ask.persona
    text = (
        f"Your out-of-pocket maximum is {q('out_of_pocket_max')}. You've spent {q('out_of_pocket_spent')} so "
        f"far, leaving {q('derived.out_of_pocket_remaining')} before the plan pays in full."
    )
    if not ask.intent.chart:
        return Reply(text)
    cur = ask.currency
    if ask.intent.chart_type in {"line", "area"} and p.out_of_pocket_spent > 0:
        months = month_labels(p.as_of, p.as_of.month)
        values = cumulative(ask.key, "out_of_pocket", money_value(p.out_of_pocket_spent, cur), len(months))
        chart = chart_result(
            ask.chart_type("area"), "Out-of-pocket spending this plan year", list(zip(months, values, strict=True))
        )
    else:
        remaining = money_value(p.out_of_pocket_max - p.out_of_pocket_spent, cur)
        points = [("Spent", money_value(p.out_of_pocket_spent, cur)), ("Remaining", remaining)]
        chart = chart_result(ask.chart_type("bar"), "Out-of-pocket spending", points)
    return Reply(text + " I've added a chart to your dashboard.", (chart,) if chart else ())


def _visit(ask: Ask[HealthcarePersona], i: int) -> str:
    a, q = ask.persona.upcoming_appointments[i], ask.q
    return (
        f"{q(f'upcoming_appointments[{i}].date')} at {q(f'upcoming_appointments[{i}].time')} with "
        f"{q(f'upcoming_appointments[{i}].provider')} ({a.specialty}) at {a.location}, reason: {a.reason}"
    )


def _appointments(ask: Ask[HealthcarePersona]) -> Reply:  # noqa: PLR0911 - one early return per shape of answer
    p, q, intent = ask.persona, ask.q, ask.intent
    rows = list(range(len(p.upcoming_appointments)))
    if not rows:
        return Reply(
            f"You have no upcoming appointments. Your primary care provider is "
            f"{q('primary_care_provider')} if you'd like to book one."
        )
    subject = intent.subject
    if subject is not None and subject.kind in {"specialty", "provider"}:
        field = "specialty" if subject.kind == "specialty" else "provider"
        rows = [i for i in rows if getattr(p.upcoming_appointments[i], field) == subject.value]
        if not rows:
            if subject.kind == "provider":
                return Reply(f"You have no upcoming appointments with {subject.value}.")
            return Reply(f"You have no upcoming {subject.value} appointments.")
    index = pick(rows, intent.ordinal)
    if index == 0:
        return Reply(f"Your next appointment is on {_visit(ask, rows[0])}.")
    if index is not None:
        return Reply(f"After that, you're seeing the doctor on {_visit(ask, rows[index])}.")
    count = plural(q("derived.appointment_count"), "upcoming appointment", "upcoming appointments")
    if intent.ordinal is not None:
        return Reply(f"There's no appointment after that one: you have {count}.")
    if len(rows) == 1:
        head = f"You have {count}" if len(p.upcoming_appointments) == 1 else "You have one matching appointment"
        return Reply(f"{head}, on {_visit(ask, rows[0])}.")
    head = f"You have {count}" if len(rows) == len(p.upcoming_appointments) else "Here they are"
    return Reply(f"{head}, soonest first:\n{bullets([_visit(ask, i) for i in rows])}")


def _script(ask: Ask[HealthcarePersona], i: int) -> str:
    rx, q = ask.persona.active_prescriptions[i], ask.q
    refills = plural(q(f"active_prescriptions[{i}].refills_remaining"), "refill", "refills")
    return (
        f"{q(f'active_prescriptions[{i}].medication')} {q(f'active_prescriptions[{i}].dosage')}, "
        f"{rx.frequency.lower()}, {refills} remaining, prescribed by {q(f'active_prescriptions[{i}].prescriber')}"
    )


def _taking(ask: Ask[HealthcarePersona]) -> str:
    """The member's active medications, named as the records do."""
    names = [ask.q(f"active_prescriptions[{i}].medication") for i in range(len(ask.persona.active_prescriptions))]
    return join_words(names)


def _medication_rows(ask: Ask[HealthcarePersona]) -> list[int] | Reply:
    p, subject = ask.persona, ask.intent.subject
    rows = list(range(len(p.active_prescriptions)))
    if not rows:
        return Reply("You have no active prescriptions on file.")
    if subject is not None and subject.kind == "drug_class":
        members = {m.name for m in healthcare_stats().medications if subject.value in m.drug_classes}
        rows = [i for i in rows if p.active_prescriptions[i].medication in members]
        if not rows:
            name = (_DRUG_CLASS_WORDS.get(subject.value) or (subject.value,))[0]
            return Reply(f"You have no {name} among your active prescriptions. You're taking {_taking(ask)}.")
    elif subject is not None and subject.kind == "medication":
        rows = [i for i in rows if p.active_prescriptions[i].medication == subject.value]
        if not rows:
            # the asked-for name is not repeated: a reply names only medications the member takes
            return Reply(f"You have no such medication among your active prescriptions. You're taking {_taking(ask)}.")
    elif subject is not None and subject.kind == "provider":
        rows = [i for i in rows if p.active_prescriptions[i].prescriber == subject.value] or rows
    return rows


def _prescriptions(ask: Ask[HealthcarePersona]) -> Reply:
    rows = _medication_rows(ask)
    if isinstance(rows, Reply):
        return rows
    if len(rows) == 1:
        return Reply(f"You're taking {_script(ask, rows[0])}.")
    count = plural(ask.q("derived.prescription_count"), "active prescription", "active prescriptions")
    return Reply(f"You have {count}:\n{bullets([_script(ask, i) for i in rows])}")


def _refills(ask: Ask[HealthcarePersona]) -> Reply:
    rows = _medication_rows(ask)
    if isinstance(rows, Reply):
        return rows
    p, q = ask.persona, ask.q
    lines = []
    for i in rows:
        rx = p.active_prescriptions[i]
        left = plural(q(f"active_prescriptions[{i}].refills_remaining"), "refill", "refills")
        tail = f"; ask {q(f'active_prescriptions[{i}].prescriber')} to renew it" if rx.refills_remaining == 0 else ""
        lines.append(f"{q(f'active_prescriptions[{i}].medication')}: {left} remaining{tail}")
    tools: tuple[ToolResultMessage, ...] = ()
    if ask.intent.chart:
        points = [
            (p.active_prescriptions[i].medication, float(p.active_prescriptions[i].refills_remaining)) for i in rows
        ]
        chart = chart_result(ask.chart_type("bar"), "Refills remaining", points)
        tools = (chart,) if chart else ()
    if len(lines) == 1:
        return Reply(lines[0] + ".", tools)
    return Reply(f"Here are your refills:\n{bullets(lines)}", tools)


def _overview(ask: Ask[HealthcarePersona]) -> Reply:
    q = ask.q
    lines = [
        f"Plan: {q('plan_name')}",
        f"Deductible: {q('deductible_met')} met of {q('deductible')}",
        f"Out-of-pocket: {q('out_of_pocket_spent')} spent of {q('out_of_pocket_max')}",
        f"Upcoming appointments: {q('derived.appointment_count')}",
        f"Active prescriptions: {q('derived.prescription_count')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (key_metrics(ask),))


def _pcp(ask: Ask[HealthcarePersona]) -> Reply:
    q, p = ask.q, ask.persona
    text = f"Your primary care provider is {q('primary_care_provider')}."
    visits = [i for i, a in enumerate(p.upcoming_appointments) if a.provider == p.primary_care_provider]
    if visits:
        text += f" Your next visit with them is on {q(f'upcoming_appointments[{visits[0]}].date')}."
    return Reply(text)


def _advice(ask: Ask[HealthcarePersona]) -> Reply:
    q, p = ask.q, ask.persona
    text = (
        "I can't give medical advice or change a treatment. Please contact your clinician - your primary care "
        f"provider is {q('primary_care_provider')} - and in an emergency call your local emergency number."
    )
    if p.upcoming_appointments:
        text += f" Your next appointment is on {q('upcoming_appointments[0].date')}."
    return Reply(text)


def _plan(ask: Ask[HealthcarePersona]) -> Reply:
    q = ask.q
    return Reply(f"You're on the {q('plan_name')} plan ({q('plan_type')}). Your member ID is {q('member_id')}.")


def _member_id(ask: Ask[HealthcarePersona]) -> Reply:
    return Reply(f"Your member ID is {ask.q('member_id')}.")


def _key_numbers(ask: Ask[HealthcarePersona]) -> Reply:
    q = ask.q
    return Reply(
        f"Here are your key numbers, {ask.first_name}: {q('deductible_met')} of your deductible met and "
        f"{q('out_of_pocket_spent')} spent out of pocket.",
        (key_metrics(ask),),
    )


_HANDLERS: dict[str, Callable[[Ask[HealthcarePersona]], Reply]] = {
    "deductible": _deductible,
    "out_of_pocket": _out_of_pocket,
    "appointments": _appointments,
    "prescriptions": _prescriptions,
    "refills": _refills,
    "pcp": _pcp,
    "medical_advice": _advice,
    "overview": _overview,
    "plan": _plan,
    "member_id": _member_id,
}


# --- what the records do not hold ----------------------------------------------

_ACCRUED = frozenset({"deductible", "out_of_pocket"})  # totals for the current plan year
_PRICED = frozenset({"prescriptions", "refills", "appointments", "deductible", "out_of_pocket", "overview"})
_UNPRICED = _RULES.pattern("unpriced")  # "out-of-pocket costs" are in the records


def _focus(intent: Intent, text: str) -> str | None:
    """A price or a benefit with no topic asks about the plan."""
    if intent.topic is None and intent.gaps & {"cost", "benefit"}:
        return "plan"
    return intent.topic


def _unpriced(ask: Ask[HealthcarePersona], topic: str) -> bool:
    """Whether a question asks for a price the records lack (premiums, copays), not the spending they hold."""
    return "cost" in ask.intent.gaps and (topic not in _ACCRUED or ask.says(_UNPRICED))


def _period_note(ask: Ask[HealthcarePersona], topic: str) -> str | Defer | None:
    gaps = ask.intent.gaps
    if topic in _ACCRUED:
        if gaps & {"window", "today", "this_month"}:
            return "I don't have figures for other periods, only totals for the current plan year."
        if "per_month" in gaps:
            return "I don't have monthly figures, only totals for the current plan year."
    return DEFER


def _detail_note(ask: Ask[HealthcarePersona], topic: str) -> str | None:
    if _unpriced(ask, topic):
        return "I don't have premiums, copays, coinsurance or prices in your records."
    if "benefit" in ask.intent.gaps:
        return (
            "I don't have your plan's covered services or in-network providers in your records; your plan "
            "documents or member services can confirm."
        )
    return None


def _revise(ask: Ask[HealthcarePersona], topic: str, body: str, notes: list[str]) -> str:
    """A price question about something unpriced gets the plan's cost sharing instead."""
    if not (_unpriced(ask, topic) and topic not in _PRICED):
        return body
    q = ask.q
    return (
        f"You're on the {q('plan_name')} plan ({q('plan_type')}). Your deductible is {q('deductible')}, with "
        f"{q('deductible_met')} met so far, and your out-of-pocket maximum is {q('out_of_pocket_max')}, with "
        f"{q('out_of_pocket_spent')} spent so far."
    )


SIMULATOR: Simulator[HealthcarePersona] = Simulator(
    grammar=GRAMMAR,
    help_topics=TOPICS,
    subject_rules=subject_rules,
    handlers=_HANDLERS,
    key_numbers=_key_numbers,
    chart_topic="deductible",  # a chart request with no topic
    focus=_focus,
    detail_note=_detail_note,
    period_note=_period_note,
    revise=_revise,
    chartless=frozenset({"member_id", "pcp", "plan", "medical_advice", "deductible", "prescriptions", "appointments"}),
    no_note=frozenset({"medical_advice"}),
    dated=frozenset({"appointments", "prescriptions", "refills", "pcp", "plan", "member_id"}),
)
