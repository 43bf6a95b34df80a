"""Answers for a customer of a custom mode: account value, activity, loyalty points and status tier."""

from __future__ import annotations

from collections.abc import Callable

from persona_kit.ai.answers.common import (
    DEFER,
    Ask,
    Defer,
    Reply,
    Simulator,
    bullets,
    key_metrics,
)
from persona_kit.ai.charts import Trend, chart_result, money_value, month_labels, trend
from persona_kit.ai.intents import Grammar, SubjectRule, TopicRules
from persona_kit.ai.rules import industry_rules
from persona_kit.industries.generic.model import GenericPersona
from persona_kit.protocol import ToolResultMessage

TOPICS = "your account value, activity, loyalty points and status tier"

_RULES = industry_rules("generic")
"""Topic rules (ordered: the first that matches wins), facets, subject words and the handlers' patterns, from
``data/intents/en/rules/generic.json``."""
TOPIC_RULES: TopicRules = _RULES.topics
GRAMMAR = Grammar(TOPIC_RULES, subject_topics={}, subject_default={}, yields=_RULES.yields)


def subject_rules(persona: GenericPersona) -> list[SubjectRule]:
    """A generic account has no named sub-accounts."""
    return []


def _trend_chart(
    ask: Ask[GenericPersona], name: str, current: float, title: str, integer: bool
) -> ToolResultMessage | None:
    p = ask.persona
    history = trend(ask.key, name, current, Trend(spread=0.3, jitter=0.03, low=0.0, integer=integer))
    return chart_result(ask.chart_type("line"), title, list(zip(month_labels(p.as_of), history, strict=True)))


def _points(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    text = f"You have {q('loyalty_points')} loyalty points, which puts you at {q('status')} status."
    if ask.persona.status != "Platinum":
        text += f" Next tier: {q('derived.next_tier')}."
    chart = _trend_chart(ask, "loyalty_points", ask.persona.loyalty_points, "Loyalty points by month", True)
    return Reply(text, (chart,) if chart and ask.intent.chart else ())


def _tier(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    if ask.persona.status == "Platinum":
        return Reply(f"You're at {q('status')} status, the top tier, with {q('loyalty_points')} loyalty points.")
    return Reply(f"You're at {q('status')} status with {q('loyalty_points')} loyalty points: {q('derived.next_tier')}.")


def _value(ask: Ask[GenericPersona]) -> Reply:
    text = f"Your account value with {ask.mode.company_name} is {ask.q('account_value')}."
    if not ask.intent.chart:
        return Reply(text)
    value = money_value(ask.persona.account_value, ask.currency)
    chart = _trend_chart(ask, "account_value", value, "Account value by month", False)
    return Reply(text + " The trend is on your dashboard.", (chart,) if chart else ())


def _overview(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    lines = [
        f"Customer since: {q('customer_since')}",
        f"Account value: {q('account_value')}",
        f"Loyalty points: {q('loyalty_points')} ({q('status')})",
        f"Last activity: {q('last_activity_date')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (key_metrics(ask),))


def _activity(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    return Reply(
        f"You've had {q('activity_count')} interactions with {ask.mode.company_name}; the most recent "
        f"was on {q('last_activity_date')}."
    )


def _last_activity(ask: Ask[GenericPersona]) -> Reply:
    return Reply(f"Your last activity was on {ask.q('last_activity_date')}.")


def _member_since(ask: Ask[GenericPersona]) -> Reply:
    return Reply(f"You've been a {ask.mode.company_name} customer since {ask.q('customer_since')}.")


def _key_numbers(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    return Reply(
        f"Here are your key numbers, {ask.first_name}: an account value of {q('account_value')} and "
        f"{q('loyalty_points')} loyalty points.",
        (key_metrics(ask),),
    )


def _upcoming(ask: Ask[GenericPersona]) -> Reply:
    """Bookings, schedules and what each visit bought or earned: not in a custom mode's records."""
    if ask.intent.action:  # "book me on the next flight"
        return Reply(
            f"I can't make bookings or changes from this chat, {ask.first_name}: please use the "
            f"{ask.mode.company_name} app or website. Here I can help with {TOPICS}."
        )
    return Reply(
        f"I'm sorry, {ask.first_name}, I don't have bookings, schedules or the details of single visits in your "
        f"{ask.mode.company_name} records, so I'd rather not guess. I can help with {TOPICS}."
    )


_HANDLERS: dict[str, Callable[[Ask[GenericPersona]], Reply]] = {
    "upcoming": _upcoming,
    "points": _points,
    "tier": _tier,
    "account_value": _value,
    "overview": _overview,
    "activity": _activity,
    "last_activity": _last_activity,
    "member_since": _member_since,
}


_ANY_WINDOW = frozenset({"window", "today", "this_month", "this_year"})


def _period_note(ask: Ask[GenericPersona], topic: str) -> str | Defer | None:
    if topic == "activity" and ask.intent.gaps & _ANY_WINDOW:
        return "I don't have your activity broken down by period, only your totals."
    return DEFER


SIMULATOR: Simulator[GenericPersona] = Simulator(
    grammar=GRAMMAR,
    help_topics=TOPICS,
    subject_rules=subject_rules,
    handlers=_HANDLERS,
    key_numbers=_key_numbers,
    chart_topic="points",  # a chart request with no topic
    period_note=_period_note,
    chartless=frozenset({"tier", "activity", "last_activity", "upcoming"}),
    no_note=frozenset({"upcoming"}),
    dated=frozenset({"last_activity"}),
)
