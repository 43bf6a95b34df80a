"""Answers for a customer of a custom mode: account value, activity, loyalty points and status tier."""

from __future__ import annotations

from collections.abc import Callable

from persona_kit.ai.answers.common import Ask, Reply, bullets, common_reply, fallback
from persona_kit.ai.charts import Trend, chart_result, metrics_result, money_value, month_labels, trend
from persona_kit.ai.intents import SubjectRule
from persona_kit.models.generic import GenericPersona
from persona_kit.protocol import ToolResultMessage

TOPICS = "your account value, activity, loyalty points and status tier"


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
    text = f"You have {q('loyalty_points')} loyalty points, which puts you at {q('status_tier')} status."
    if ask.persona.status_tier != "Platinum":
        text += f" Next tier: {q('derived.next_tier')}."
    chart = _trend_chart(ask, "loyalty_points", ask.persona.loyalty_points, "Loyalty points by month", True)
    return Reply(text, (chart,) if chart and ask.intent.chart else ())


def _tier(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    if ask.persona.status_tier == "Platinum":
        return Reply(f"You're at {q('status_tier')} status, the top tier, with {q('loyalty_points')} loyalty points.")
    return Reply(
        f"You're at {q('status_tier')} status with {q('loyalty_points')} loyalty points: {q('derived.next_tier')}."
    )


def _value(ask: Ask[GenericPersona]) -> Reply:
    text = f"Your account value with {ask.mode.company_name} is {ask.q('account_value')}."
    if not ask.intent.chart:
        return Reply(text)
    value = money_value(ask.persona.account_value, ask.currency)
    chart = _trend_chart(ask, "account_value", value, "Account value by month", False)
    return Reply(text + " The trend is on your dashboard.", (chart,) if chart else ())


def metrics(ask: Ask[GenericPersona]) -> ToolResultMessage:
    """Account value, loyalty points, activity and status tier as metric cards."""
    p, cur = ask.persona, ask.currency
    return metrics_result(
        [
            ("Account value", money_value(p.account_value, cur), cur),
            ("Loyalty points", p.loyalty_points, "points"),
            ("Activity", p.activity_count, "interactions"),
            ("Status tier", p.status_tier, "tier"),
        ]
    )


def _overview(ask: Ask[GenericPersona]) -> Reply:
    q = ask.q
    lines = [
        f"Customer since: {q('customer_since')}",
        f"Account value: {q('account_value')}",
        f"Loyalty points: {q('loyalty_points')} ({q('status_tier')})",
        f"Last activity: {q('last_activity_date')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (metrics(ask),))


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
        (metrics(ask),),
    )


_HANDLERS: dict[str, Callable[[Ask[GenericPersona]], Reply]] = {
    "points": _points,
    "tier": _tier,
    "account_value": _value,
    "overview": _overview,
    "activity": _activity,
    "last_activity": _last_activity,
    "member_since": _member_since,
}


def answer(ask: Ask[GenericPersona]) -> Reply:
    """The reply to a question in a custom mode; a chart request without a topic charts loyalty points."""
    topic = ask.intent.topic
    if ask.intent.metrics and topic in {None, "overview"}:
        return _key_numbers(ask)
    handler = _HANDLERS.get(topic or ("points" if ask.intent.chart else ""))
    return handler(ask) if handler else common_reply(ask, TOPICS) or fallback(ask, TOPICS)
