"""The simulator's answers: each industry's own (``Industry.simulator``), and the dispatch between them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from persona_kit.ai.answers import gaps
from persona_kit.ai.answers.common import Ask, Reply, Simulator, greeting, key_metrics
from persona_kit.ai.charts import persona_key
from persona_kit.ai.intents import Intent, SubjectRule, intent_for, normalise, parse_intent
from persona_kit.facts import persona_facts
from persona_kit.generate import Persona
from persona_kit.industries import industry_of
from persona_kit.models.modes import Mode
from persona_kit.protocol import ToolResultMessage

__all__ = ["Reply", "answer", "greeting_text", "simulator_for", "subject_rules"]

# Topics of every industry whose answers never draw a chart: a chart request there gets a sentence saying so.
CHARTLESS = frozenset({"member_since", "identity", "overview", "greeting", "help", "thanks", "goodbye"})


def simulator_for(persona: Persona) -> Simulator[Any]:
    """The simulator part of the persona's industry (its module is imported on first use)."""
    sim = industry_of(persona).simulator_module().SIMULATOR
    assert isinstance(sim, Simulator)
    return sim


def subject_rules(persona: Persona) -> list[SubjectRule]:
    """What a question about this persona can name: accounts, categories, policy types, medications, ..."""
    return simulator_for(persona).subject_rules(persona)


def _append(reply: Reply, sentence: str, *tools: ToolResultMessage) -> Reply:
    gap = "\n\n" if "\n" in reply.text else " "  # after a list, a new paragraph
    return Reply(f"{reply.text}{gap}{sentence}", (*reply.tools, *tools))


def _finish(sim: Simulator[Any], reply: Reply, intent: Intent, metrics: Callable[[], ToolResultMessage]) -> Reply:
    """Say where a chart went (or that there is none), and add metric cards when they were asked for."""
    has = {tool.payload.tool for tool in reply.tools}
    if intent.chart and "show_chart" in has and "dashboard" not in reply.text:
        reply = _append(reply, "The chart is on your dashboard.")
    elif intent.chart and "show_chart" not in has and intent.topic is not None:
        chartless = intent.topic in CHARTLESS or intent.topic in sim.chartless
        reply = _append(reply, "There is no chart for that one." if chartless else "There is nothing to chart there.")
    if intent.metrics and "show_metrics" not in has:
        reply = _append(reply, "Your key numbers are on the dashboard too.", metrics())
    return reply


def _answer(mode: Mode, persona: Persona, intent: Intent, text: str) -> Reply:
    """Answer from the mode's records; say first what they do not hold, or that this chat cannot act."""
    sim = simulator_for(persona)
    intent = gaps.focus(sim, intent, text)
    facts = {fact.field: fact.text for fact in persona_facts(persona)}
    ask: Ask[Any] = Ask(mode, persona, intent, text, facts, persona_key(persona))
    return _finish(sim, gaps.bridge(sim, ask, sim.answer(ask)), intent, lambda: key_metrics(ask))


def answer(mode: Mode, persona: Persona, history: Sequence[str], text: str) -> Reply:
    """The simulator's reply to ``text``, after the user's earlier messages ``history`` (oldest first).

    "Are you sure?" repeats the answer to the last real question, word for word.
    """
    sim = simulator_for(persona)
    rules = sim.subject_rules(persona)
    if parse_intent(sim.grammar, text, rules).repeat:
        for j in range(len(history) - 1, -1, -1):
            if not parse_intent(sim.grammar, history[j], rules).repeat:
                again = answer(mode, persona, history[:j], history[j])
                return Reply(f"Yes, I double-checked. {again.text}", again.tools)
    intent = intent_for(sim.grammar, history, text, rules)
    return _answer(mode, persona, intent, normalise(text))


def greeting_text(mode: Mode, persona: Persona) -> str:
    """The assistant's hello after a switch: in character, naming the customer and what it can help with."""
    facts = {fact.field: fact.text for fact in persona_facts(persona)}
    ask: Ask[Any] = Ask(mode, persona, Intent(topic="greeting"), "hello", facts, persona_key(persona))
    return greeting(ask, simulator_for(persona).help_topics).text
