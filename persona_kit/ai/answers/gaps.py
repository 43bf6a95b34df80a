"""Questions the records answer only in part: say what is not there, then give the closest facts that are.

A question can carry a qualifier the persona's records cannot meet: a rate ("my savings interest rate"), a
period other than the one the data covers ("last week", "in 2024"), a forecast, a peril ("am I covered for
flood?"), a yearly figure where only monthly ones exist, a price, or a request to act. The intent reader notices
these (``Intent.gaps``, ``Intent.action``); here each mode decides whether its records cover them. When they do
not, the reply opens by saying so, then gives the closest facts, each labelled for what it is ("your recent
spending", "your current balance"). No figure is computed or guessed to fit the question.
"""

from __future__ import annotations

import re
from dataclasses import replace

from persona_kit.ai.answers.common import Ask, Reply
from persona_kit.ai.intents import Intent
from persona_kit.generate import Persona
from persona_kit.models.insurance import InsurancePersona

# Topics that never get a note: small talk, and replies that already decline (security, advice, outcomes).
NO_NOTE = frozenset({"greeting", "help", "thanks", "goodbye", "security", "medical_advice", "claim_outcome"})
# Topics answered with dates or standing details: the reply itself shows when, so a period needs no note.
_DATED = NO_NOTE | {
    "identity", "account_number", "member_since", "renewal", "appointments", "prescriptions", "refills", "pcp",
    "plan", "member_id", "last_activity",
}  # fmt: skip
_ACTIVITY = frozenset({"spending", "transactions", "income"})  # banking: the recent-transactions window
_ACCRUED = frozenset({"deductible", "out_of_pocket"})  # healthcare: totals for the current plan year
_PERIL_TOPICS = frozenset({"coverage", "policies", "deductible", "premium", "overview"})
_PRICED = frozenset({"prescriptions", "refills", "appointments", "deductible", "out_of_pocket", "overview"})
_UNPRICED = r"\b(premiums?|co-?pays?|co-?insurance|prices?)\b"  # "out-of-pocket costs" are in the records
_RATE_NOUNS = (
    (r"\baprs?\b", "APRs"), (r"\bfees?\b", "fees"), (r"\boverdraft\b", "overdraft terms"),
    (r"\bexchange rates?\b", "exchange rates"), (r"\bdividends?\b", "dividends"),
)  # fmt: skip
_PRICE = re.compile(r"\b(premiums?|rates?|costs?|prices?|pay)\b")
_ANY_WINDOW = frozenset({"window", "today", "this_month", "this_year"})

CURRENT = "I only have your current figures, not ones for other periods."
FORECAST = "I can't predict future figures; I only have your current ones."


def focus(kind: str, intent: Intent, text: str) -> Intent:
    """The intent with a topic to answer from when the question named only a missing detail ("What's my APR?").

    Also steers a question whose words first name another topic: "Will my premium go up at renewal?" is about
    the premium, and "How much is my home insurance a year?" about a price, not the policy's details.
    """
    topic, gaps = intent.topic, intent.gaps
    if intent.metrics and topic is None:
        return intent
    if kind == "banking" and topic is None and ("rate" in gaps or intent.action):
        credit = re.search(r"\b(aprs?|card|credit|owe|borrow\w*|loans?|bill)\b", text)
        if credit or "rate" in gaps or re.search(r"\b(money|funds|checking|savings|account)\b|[$€£¥\d]", text):
            topic = ("credit_limit" if "rate" in gaps else "credit_used") if credit else "balance"
    elif kind == "insurance" and topic is None and "peril" in gaps:
        topic = "coverage"
    elif kind == "insurance" and (
        (topic == "renewal" and "forecast" in gaps and _PRICE.search(text))
        or (topic == "policies" and "per_year" in gaps)
    ):
        topic = "premium"
    elif kind == "healthcare" and topic is None and gaps & {"cost", "benefit"}:
        topic = "plan"
    return intent if topic == intent.topic else replace(intent, topic=topic)


def _activity_window(ask: Ask[Persona], *, narrow: bool = True) -> str | None:
    """The recent-transactions window by its dates; ``narrow``: the question asked for another period."""
    count = sum(1 for field in ask.facts if re.fullmatch(r"recent_transactions\[\d+\]\.date", field))
    if not count:
        return "I can't narrow your activity to that period; I only have your recent transactions." if narrow else None
    span = f"from {ask.q(f'recent_transactions[{count - 1}].date')} to {ask.q('recent_transactions[0].date')}"
    if narrow:
        return f"I can't narrow your activity to that period: I can only see your recent transactions, {span}."
    return f"I can see your recent transactions, {span}."


def _period_note(ask: Ask[Persona], kind: str, topic: str) -> str | None:  # noqa: PLR0911 - one note per case
    """What to say when the question names a period (or a future) the records do not cover."""
    gaps = ask.intent.gaps
    if topic in _DATED:
        return None
    if kind == "banking" and topic in _ACTIVITY:
        if gaps & {"window", "today", "this_year", "per_year"}:
            return _activity_window(ask)
        return _activity_window(ask, narrow=False) if "this_month" in gaps else None
    if kind == "insurance" and topic == "claims":
        return (
            "I don't have your claims broken down by period, so here is everything on file."
            if gaps & _ANY_WINDOW
            else None
        )
    if kind == "healthcare" and topic in _ACCRUED:
        if gaps & {"window", "today", "this_month"}:
            return "I only have totals for the current plan year, not figures for other periods."
        if "per_month" in gaps:
            return "I don't have monthly figures, only totals for the current plan year."
    if kind == "generic" and topic == "activity" and gaps & _ANY_WINDOW:
        return "I don't have your activity broken down by period, only your totals."
    if ask.intent.chart:
        return None  # a trend chart is the answer to "over the last year"
    if "forecast" in gaps:
        return FORECAST
    return CURRENT if "window" in gaps else None  # "today" and "this month" are now, for a balance or a score


def _detail_note(ask: Ask[Persona], kind: str, topic: str) -> str | None:
    """What to say when the question asks for a detail the records do not hold: a rate, a peril, a price."""
    gaps = ask.intent.gaps
    if kind == "banking" and "rate" in gaps and topic != "utilization":  # a utilization rate is in the records
        noun = next((noun for rx, noun in _RATE_NOUNS if ask.says(rx)), "interest rates")
        return f"I don't have {noun} in your records."
    if kind == "insurance" and "peril" in gaps and topic in _PERIL_TOPICS:
        return (
            "I don't have the perils your policies cover or exclude in your records; your policy documents list them."
        )
    if kind == "healthcare" and _unpriced(ask, topic):
        return "I don't have premiums, copays, coinsurance or prices in your records."
    if kind == "healthcare" and "benefit" in gaps:
        return (
            "I don't have your plan's covered services or in-network providers in your records; your plan "
            "documents or member services can confirm."
        )
    return None


def _unpriced(ask: Ask[Persona], topic: str) -> bool:
    """Whether a health question asks for a price the records lack (premiums, copays), not the spending they hold."""
    return "cost" in ask.intent.gaps and (topic not in _ACCRUED or ask.says(_UNPRICED))


def _plan_costs(ask: Ask[Persona]) -> str:
    q = ask.q
    return (
        f"You're on the {q('plan_name')} plan ({q('plan_type')}). Your deductible is {q('deductible')}, with "
        f"{q('deductible_met')} met so far, and your out-of-pocket maximum is {q('out_of_pocket_max')}, with "
        f"{q('out_of_pocket_spent')} spent so far."
    )


def _one_policy_premium(ask: Ask[Persona]) -> bool:
    """Whether a premium question is about some policies (by type) rather than all, the only monthly-only case."""
    subject, persona = ask.intent.subject, ask.persona
    if (
        subject is None
        or subject.kind != "policy_type"
        or ask.intent.total
        or not isinstance(persona, InsurancePersona)
    ):
        return False
    return any(policy.type == subject.value for policy in persona.active_policies)


def bridge(ask: Ask[Persona], reply: Reply) -> Reply:
    """``reply``, opened by what the records do not hold (and any refusal to act) when the question needs it."""
    intent, topic, kind = ask.intent, ask.intent.topic, ask.persona.kind
    if topic is None or topic in NO_NOTE:
        return reply
    body = reply.text
    notes = [note for note in (_detail_note(ask, kind, topic), _period_note(ask, kind, topic)) if note]
    if kind == "healthcare" and _unpriced(ask, topic) and topic not in _PRICED:
        body = _plan_costs(ask)
    if kind == "insurance" and topic == "premium" and "per_year" in intent.gaps and _one_policy_premium(ask):
        notes.append("I only have a monthly premium for each policy, not a yearly one.")
        body += "\n\n" if "\n" in body else " "
        body += (
            f"For all your policies together you pay {ask.q('monthly_premium')} a month, which is "
            f"{ask.q('derived.annual_premium')} a year."
        )
    if intent.action:
        notes.insert(0, "I can't make changes from this chat" + ("." if notes else ", but here is what I can see."))
    return Reply(" ".join([*notes, body]), reply.tools) if notes else reply
