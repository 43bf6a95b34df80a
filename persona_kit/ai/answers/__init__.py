"""The simulator's answers, one module per persona kind, and the dispatch between them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from persona_kit.ai.answers import banking, gaps, generic, healthcare, insurance
from persona_kit.ai.answers.common import Ask, Reply
from persona_kit.ai.charts import persona_key
from persona_kit.ai.intents import Intent, SubjectRule, intent_for, normalise, parse_intent
from persona_kit.generate import Persona
from persona_kit.models.banking import BankingPersona
from persona_kit.models.generic import GenericPersona
from persona_kit.models.healthcare import HealthcarePersona
from persona_kit.models.insurance import InsurancePersona
from persona_kit.models.modes import Mode
from persona_kit.prompt import persona_facts
from persona_kit.protocol import ToolResultMessage

__all__ = ["Reply", "answer", "subject_rules"]


def subject_rules(persona: Persona) -> list[SubjectRule]:
    """What a question about this persona can name: accounts, categories, policy types, medications, ..."""
    if isinstance(persona, BankingPersona):
        return banking.subject_rules(persona)
    if isinstance(persona, InsurancePersona):
        return insurance.subject_rules(persona)
    if isinstance(persona, HealthcarePersona):
        return healthcare.subject_rules(persona)
    return generic.subject_rules(persona)


def _append(reply: Reply, sentence: str, *tools: ToolResultMessage) -> Reply:
    gap = "\n\n" if "\n" in reply.text else " "  # after a list, a new paragraph
    return Reply(f"{reply.text}{gap}{sentence}", (*reply.tools, *tools))


def _finish(reply: Reply, intent: Intent, metrics: Callable[[], ToolResultMessage]) -> Reply:
    """Say where a chart went (or that there is none), and add metric cards when they were asked for."""
    has = {tool.payload.tool for tool in reply.tools}
    if intent.chart and "show_chart" in has and "dashboard" not in reply.text:
        reply = _append(reply, "The chart is on your dashboard.")
    elif intent.chart and "show_chart" not in has and intent.topic is not None:
        reply = _append(
            reply,
            "There is no chart for that one." if intent.topic in CHARTLESS else "There is nothing to chart there.",
        )
    if intent.metrics and "show_metrics" not in has:
        reply = _append(reply, "Your key numbers are on the dashboard too.", metrics())
    return reply


# Topics whose answers never draw a chart: a chart request there gets a sentence saying so.
CHARTLESS = frozenset(
    {"account_number", "security", "member_since", "identity", "member_id", "pcp", "plan", "medical_advice"}
    | {"claim_outcome", "renewal", "deductible", "policies", "income", "prescriptions", "appointments", "tier"}
    | {"activity", "last_activity", "overview", "greeting", "help", "thanks", "goodbye"}
)


def _dispatch(mode: Mode, persona: Persona, intent: Intent, text: str) -> Reply:
    """Answer from the mode's records; say first what they do not hold, or that this chat cannot act."""
    return _answer(mode, persona, gaps.focus(persona.kind, intent, text), text)


def _answer(mode: Mode, persona: Persona, intent: Intent, text: str) -> Reply:
    facts = {fact.field: fact.text for fact in persona_facts(persona)}
    key = persona_key(persona)
    if isinstance(persona, BankingPersona):
        b = Ask(mode, persona, intent, text, facts, key)
        return _finish(gaps.bridge(b, banking.answer(b)), intent, lambda: banking.metrics(b))
    if isinstance(persona, InsurancePersona):
        i = Ask(mode, persona, intent, text, facts, key)
        return _finish(gaps.bridge(i, insurance.answer(i)), intent, lambda: insurance.metrics(i))
    if isinstance(persona, HealthcarePersona):
        h = Ask(mode, persona, intent, text, facts, key)
        return _finish(gaps.bridge(h, healthcare.answer(h)), intent, lambda: healthcare.metrics(h))
    g: Ask[GenericPersona] = Ask(mode, persona, intent, text, facts, key)
    return _finish(gaps.bridge(g, generic.answer(g)), intent, lambda: generic.metrics(g))


def answer(mode: Mode, persona: Persona, history: Sequence[str], text: str) -> Reply:
    """The simulator's reply to ``text``, after the user's earlier messages ``history`` (oldest first).

    "Are you sure?" repeats the answer to the last real question, word for word.
    """
    rules = subject_rules(persona)
    if parse_intent(persona.kind, text, rules).repeat:
        for j in range(len(history) - 1, -1, -1):
            if not parse_intent(persona.kind, history[j], rules).repeat:
                again = answer(mode, persona, history[:j], history[j])
                return Reply(f"Yes, I double-checked. {again.text}", again.tools)
    intent = intent_for(persona.kind, history, text, rules)
    return _dispatch(mode, persona, intent, normalise(text))
