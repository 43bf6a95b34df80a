"""Answers for a policyholder: policies, coverage, premiums, deductibles, renewals, claims and risk."""

from __future__ import annotations

import re
from collections.abc import Callable

from persona_kit.ai.answers.common import (
    DEFER,
    Ask,
    Defer,
    Reply,
    Simulator,
    bullets,
    join_words,
    key_metrics,
    newest_first,
    pick,
    plural,
)
from persona_kit.ai.charts import Trend, chart_result, money_value, month_labels, trend
from persona_kit.ai.intents import Grammar, Intent, SubjectRule, TopicRules, subject_rule
from persona_kit.ai.rules import industry_rules
from persona_kit.industries.insurance.generator import insurance_stats
from persona_kit.industries.insurance.model import OPEN_STATUSES, InsurancePersona
from persona_kit.protocol import ToolResultMessage

TOPICS = "your policies, coverage, premiums, deductibles, renewals, claims and your risk score"

_RULES = industry_rules("insurance")
"""Topic rules (ordered: the first that matches wins), facets, subject words and the handlers' patterns, from
``data/intents/en/rules/insurance.json``."""
TOPIC_RULES: TopicRules = _RULES.topics
GRAMMAR = Grammar(
    TOPIC_RULES,
    facets=_RULES.facets,
    subject_topics={
        "policy_type": frozenset({"policies", "coverage", "premium", "deductible", "renewal", "claims"}),
        "claim": frozenset({"claims", "claim_outcome"}),
    },
    subject_default={"policy_type": "policies", "claim": "claims"},
    yields=_RULES.yields,
)

_TYPE_WORDS = _RULES.subject_words("policy_type")


def subject_rules(persona: InsurancePersona) -> list[SubjectRule]:
    """Policy types (all of them, so one the customer lacks is recognised) and this persona's claim ids."""
    types = [t.type for t in insurance_stats().policy_types]
    types += [name for name in _TYPE_WORDS if name not in types]  # kinds no one holds here ("travel insurance")
    words = {name: list(_TYPE_WORDS.get(name, ())) for name in types}
    held = {pol.type for pol in persona.active_policies}
    if "Home" in held and "Renters" not in held:
        # a homeowner's contents are on the home policy (UK "buildings and contents"); a tenant's on renters
        shared = set(_RULES.subject_words("contents").get("Home", ()))
        words["Renters"] = [w for w in words.get("Renters", []) if w not in shared]
        words["Home"] = [*words.get("Home", []), *shared]
    rules = [subject_rule("policy_type", name, *words[name]) for name in types]
    rules += [subject_rule("claim", c.claim_id) for c in persona.claims_history]
    return rules


def _policies(ask: Ask[InsurancePersona]) -> list[int]:
    """The policies a question is about: those of the subject's type, else all."""
    subject, policies = ask.intent.subject, ask.persona.active_policies
    if subject is not None and subject.kind == "policy_type":
        return [i for i, pol in enumerate(policies) if pol.type == subject.value]
    return list(range(len(policies)))


def _label(ask: Ask[InsurancePersona], i: int) -> str:
    return f"{ask.persona.active_policies[i].type} ({ask.q(f'active_policies[{i}].policy_number')})"


def _missing_type(ask: Ask[InsurancePersona]) -> Reply:
    assert ask.intent.subject is not None
    held = join_words(sorted({p.type for p in ask.persona.active_policies}))
    article = "an" if ask.intent.subject.value[0] in "AEIOU" else "a"
    return Reply(
        f"You don't have {article} {ask.intent.subject.value} policy with {ask.mode.company_name}. "
        f"Your active policies are {held}."
    )


def _policy_list(ask: Ask[InsurancePersona]) -> Reply:
    keep, q = _policies(ask), ask.q
    if not keep:
        return _missing_type(ask)
    if len(keep) == 1 and ask.intent.subject is not None:
        i = keep[0]
        text = (
            f"Your {_label(ask, i)} policy covers {q(f'active_policies[{i}].coverage')} for a premium of "
            f"{q(f'active_policies[{i}].premium')} a month, with a {q(f'active_policies[{i}].deductible')} "
            f"deductible. It started on {q(f'active_policies[{i}].start_date')} and renews on "
            f"{q(f'active_policies[{i}].renewal_date')}."
        )
        return Reply(text)
    if "start" in ask.intent.facets:  # "when did my policies start": each one's start date
        return _field_reply(ask, "start_date", "start date")
    lines = [
        f"{_label(ask, i)}: coverage {q(f'active_policies[{i}].coverage')}, premium "
        f"{q(f'active_policies[{i}].premium')} a month, renews {q(f'active_policies[{i}].renewal_date')}"
        for i in keep
    ]
    head = f"You have {plural(q('derived.policy_count'), 'active policy', 'active policies')}"
    return Reply(f"{head}:\n{bullets(lines)}")


def _field_reply(ask: Ask[InsurancePersona], field: str, noun: str, suffix: str = "") -> Reply:
    keep, q = _policies(ask), ask.q
    if not keep:
        return _missing_type(ask)
    if len(keep) == 1:
        i = keep[0]
        return Reply(f"The {noun} on your {_label(ask, i)} policy is {q(f'active_policies[{i}].{field}')}{suffix}.")
    lines = [f"{_label(ask, i)}: {q(f'active_policies[{i}].{field}')}{suffix}" for i in keep]
    return Reply(f"Here is the {noun} on each of your policies:\n{bullets(lines)}")


def _coverage(ask: Ask[InsurancePersona]) -> Reply:
    if "start" in ask.intent.facets and not ask.intent.chart:  # "when did my cover start"
        return _policy_list(ask)
    tools = _by_policy_chart(ask, "coverage", "Coverage by policy", "pie") if ask.intent.chart else ()
    if ask.intent.subject is not None and (not ask.intent.total or not _policies(ask)):
        return Reply(_field_reply(ask, "coverage", "coverage").text, tools)
    q = ask.q
    parts = [f"{_label(ask, i)} {q(f'active_policies[{i}].coverage')}" for i in _policies(ask)]
    text = (
        f"Your total coverage is {q('total_coverage')} across "
        f"{plural(q('derived.policy_count'), 'active policy', 'active policies')}: {join_words(parts)}."
    )
    return Reply(text, tools)


def _premium(ask: Ask[InsurancePersona]) -> Reply:
    q, p = ask.q, ask.persona
    tools: tuple[ToolResultMessage, ...] = ()
    if ask.intent.chart and ask.intent.chart_type in {"line", "area"}:
        history = trend(ask.key, "monthly_premium", p.monthly_premium, Trend(spread=0.12, jitter=0.01))
        chart = chart_result(
            ask.chart_type("line"), "Monthly premium by month", list(zip(month_labels(p.as_of), history, strict=True))
        )
        tools = (chart,) if chart else ()
    elif ask.intent.chart:
        tools = _by_policy_chart(ask, "premium", "Monthly premium by policy", "bar")
    if ask.intent.subject is not None and not ask.intent.total:
        return Reply(_field_reply(ask, "premium", "monthly premium").text, tools)
    parts = [f"{_label(ask, i)} {q(f'active_policies[{i}].premium')}" for i in range(len(p.active_policies))]
    text = (
        f"You pay {q('monthly_premium')} a month for all your policies ({q('derived.annual_premium')} a year): "
        f"{join_words(parts)}."
    )
    return Reply(text, tools)


def _by_policy_chart(ask: Ask[InsurancePersona], field: str, title: str, default: str) -> tuple[ToolResultMessage, ...]:
    policies = ask.persona.active_policies
    types = [pol.type for pol in policies]
    points = [
        (
            pol.type if types.count(pol.type) == 1 else f"{pol.type} {pol.policy_number}",
            money_value(getattr(pol, field), ask.currency),
        )
        for pol in policies
    ]
    chart = chart_result(ask.chart_type("pie" if default == "pie" else "bar"), title, points)
    return (chart,) if chart else ()


def _renewal(ask: Ask[InsurancePersona]) -> Reply:
    q, policies = ask.q, ask.persona.active_policies
    order = sorted(_policies(ask), key=lambda i: (policies[i].renewal_date, policies[i].policy_number))
    if not order:
        return _missing_type(ask)
    index = pick(order, ask.intent.ordinal if ask.intent.ordinal is not None else 0)
    if index is None:
        return Reply(
            f"There are no more: you have {plural(q('derived.policy_count'), 'active policy', 'active policies')}."
        )
    i = order[index]
    when = q(f"active_policies[{i}].renewal_date")
    if ask.intent.subject is not None and len(order) == 1:
        return Reply(f"Your {_label(ask, i)} policy renews on {when}.")
    which = "next renewal is" if index == 0 else "renewal after that is"
    text = f"Your {which} your {_label(ask, i)} policy on {when}."
    later = [f"{_label(ask, j)} on {q(f'active_policies[{j}].renewal_date')}" for j in order[index + 1 :]]
    if later and index == 0 and ask.intent.subject is None:
        text += f" Then: {join_words(later)}."
    return Reply(text)


def _claim_line(ask: Ask[InsurancePersona], i: int) -> str:
    c, q = ask.persona.claims_history[i], ask.q
    paid = f", {q(f'claims_history[{i}].paid_amount')} paid" if c.paid_amount > 0 else ""
    policy = f" policy {q(f'claims_history[{i}].policy_number')}," if ask.says(_RULES.pattern("which_policy")) else ""
    return (
        f"{q(f'claims_history[{i}].claim_id')} ({c.type},{policy} filed {q(f'claims_history[{i}].date')}): "
        f"{q(f'claims_history[{i}].amount')} claimed, status {q(f'claims_history[{i}].status')}{paid}"
    )


def _claims(ask: Ask[InsurancePersona]) -> Reply:
    p, q, intent = ask.persona, ask.q, ask.intent
    if not p.claims_history:
        return Reply("You have no claims on file. If something has happened, I can tell you about your coverage.")
    rows = list(range(len(p.claims_history)))
    if intent.subject is not None and intent.subject.kind == "claim":
        rows = [i for i in rows if p.claims_history[i].claim_id == intent.subject.value]
    elif intent.subject is not None and intent.subject.kind == "policy_type":
        rows = [i for i in rows if p.claims_history[i].type == intent.subject.value]
        if not rows:
            return Reply(f"You have no {intent.subject.value} claims on file.")
    if "open" in intent.facets:
        rows = [i for i in rows if p.claims_history[i].status in OPEN_STATUSES]
        if not rows:
            latest = f" Your latest claim, {_claim_line(ask, 0)}." if p.claims_history else ""
            return Reply(f"You have no open claims right now.{latest}")
    tools = _claims_chart(ask, rows) if intent.chart else ()
    index = pick(rows, newest_first(intent.ordinal))
    if (len(rows) == 1 and intent.ordinal in (None, -1, 0)) or index is not None:
        return Reply(f"Claim {_claim_line(ask, rows[index or 0])}.", tools)
    if intent.ordinal is not None:
        return Reply(
            f"There are no more: you have {plural(q('derived.claim_count'), 'claim', 'claims')} on file.", tools
        )
    text = (
        f"You have {plural(q('derived.claim_count'), 'claim', 'claims')} on file, "
        f"{q('derived.open_claim_count')} open. In total {q('derived.total_claimed')} was claimed and "
        f"{q('derived.total_paid')} paid out:\n{bullets([_claim_line(ask, i) for i in rows])}"
    )
    return Reply(text, tools)


def _claims_chart(ask: Ask[InsurancePersona], rows: list[int]) -> tuple[ToolResultMessage, ...]:
    claims = ask.persona.claims_history
    points = [
        (f"{claims[i].date.isoformat()[:7]} - {claims[i].claim_id}", money_value(claims[i].amount, ask.currency))
        for i in reversed(rows)
    ]
    chart = chart_result(ask.chart_type("bar"), "Claims by amount", points)
    return (chart,) if chart else ()


def _claim_outcome(ask: Ask[InsurancePersona]) -> Reply:
    p = ask.persona
    subject = ask.intent.subject
    rows = [i for i, c in enumerate(p.claims_history) if c.status in OPEN_STATUSES]
    if subject is not None and subject.kind == "claim":
        rows = [i for i, c in enumerate(p.claims_history) if c.claim_id == subject.value]
    head = "I can't promise how a claim will be decided; our claims team reviews each one on its merits."
    if not rows:
        return Reply(f"{head} You have no open claims right now.")
    return Reply(f"{head} Here is where things stand: claim {_claim_line(ask, rows[0])}.")


def _risk(ask: Ask[InsurancePersona]) -> Reply:
    p = ask.persona
    text = (
        f"Your risk level is {ask.q('risk_score')}, from {ask.q('risk_points')} risk points; "
        "more points mean a higher expected risk."
    )
    if not ask.intent.chart:
        return Reply(text)
    shape = Trend(spread=0.2, jitter=0.03, low=1, high=99, integer=True)
    history = trend(ask.key, "risk_score", p.risk_points, shape)
    chart = chart_result(
        ask.chart_type("line"), "Risk score by month", list(zip(month_labels(p.as_of), history, strict=True))
    )
    return Reply(text + " The recent trend is on your dashboard.", (chart,) if chart else ())


def _overview(ask: Ask[InsurancePersona]) -> Reply:
    q = ask.q
    lines = [
        f"Active policies: {q('derived.policy_count')}",
        f"Total coverage: {q('total_coverage')}",
        f"Monthly premium: {q('monthly_premium')}",
        f"Next renewal: {q('derived.next_renewal')}",
        f"Open claims: {q('derived.open_claim_count')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (key_metrics(ask),))


def _deductible(ask: Ask[InsurancePersona]) -> Reply:
    return _field_reply(ask, "deductible", "deductible")


def _member_since(ask: Ask[InsurancePersona]) -> Reply:
    return Reply(f"You've been with {ask.mode.company_name} since {ask.q('member_since')}.")


def _key_numbers(ask: Ask[InsurancePersona]) -> Reply:
    q = ask.q
    return Reply(
        f"Here are your key numbers, {ask.first_name}: total coverage {q('total_coverage')} and a "
        f"monthly premium of {q('monthly_premium')}.",
        (key_metrics(ask),),
    )


_HANDLERS: dict[str, Callable[[Ask[InsurancePersona]], Reply]] = {
    "policies": _policy_list,
    "coverage": _coverage,
    "premium": _premium,
    "deductible": _deductible,
    "renewal": _renewal,
    "claims": _claims,
    "claim_outcome": _claim_outcome,
    "risk_score": _risk,
    "overview": _overview,
    "member_since": _member_since,
}


# --- what the records do not hold ----------------------------------------------

_PERIL_TOPICS = frozenset({"coverage", "policies", "deductible", "premium", "overview"})
_PRICE = re.compile(_RULES.pattern("price"))
_ANY_WINDOW = frozenset({"window", "today", "this_month", "this_year"})


def _focus(intent: Intent, text: str) -> str | None:
    """A peril alone asks about coverage; a price at renewal, or a policy's yearly cost, asks about the premium."""
    topic, gaps = intent.topic, intent.gaps
    if topic is None and "peril" in gaps:
        return "coverage"
    if (topic == "renewal" and "forecast" in gaps and _PRICE.search(text)) or (
        topic == "policies" and "per_year" in gaps
    ):
        return "premium"
    return topic


def _period_note(ask: Ask[InsurancePersona], topic: str) -> str | Defer | None:
    if topic != "claims":
        return DEFER
    if ask.intent.gaps & _ANY_WINDOW:
        return "I don't have your claims broken down by period, so here is everything on file."
    return None


def _detail_note(ask: Ask[InsurancePersona], topic: str) -> str | None:
    if "peril" in ask.intent.gaps and topic in _PERIL_TOPICS:
        return (
            "I don't have the perils your policies cover or exclude in your records; your policy documents list them."
        )
    return None


def _one_policy_premium(ask: Ask[InsurancePersona]) -> bool:
    """Whether a premium question is about some policies (by type) rather than all, the only monthly-only case."""
    subject = ask.intent.subject
    if subject is None or subject.kind != "policy_type" or ask.intent.total:
        return False
    return any(policy.type == subject.value for policy in ask.persona.active_policies)


def _revise(ask: Ask[InsurancePersona], topic: str, body: str, notes: list[str]) -> str:
    """A yearly premium for one policy is not on file: say so and give the yearly total for all of them."""
    if topic == "premium" and "per_year" in ask.intent.gaps and _one_policy_premium(ask):
        notes.append("I don't have a yearly premium for each policy, only a monthly one.")
        body += "\n\n" if "\n" in body else " "
        body += (
            f"For all your policies together you pay {ask.q('monthly_premium')} a month, which is "
            f"{ask.q('derived.annual_premium')} a year."
        )
    return body


SIMULATOR: Simulator[InsurancePersona] = Simulator(
    grammar=GRAMMAR,
    help_topics=TOPICS,
    subject_rules=subject_rules,
    handlers=_HANDLERS,
    key_numbers=_key_numbers,
    chart_topic="coverage",  # a chart request with no topic
    focus=_focus,
    detail_note=_detail_note,
    period_note=_period_note,
    revise=_revise,
    chartless=frozenset({"claim_outcome", "renewal", "deductible", "policies"}),
    no_note=frozenset({"claim_outcome"}),
    dated=frozenset({"renewal"}),
)
