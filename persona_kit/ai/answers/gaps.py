"""Questions the records answer only in part: say what is not there, then give the closest facts that are.

A question can carry a qualifier the persona's records cannot meet: a rate ("my savings interest rate"), a
period other than the one the data covers ("last week", "in 2024"), a forecast, a peril ("am I covered for
flood?"), a yearly figure where only monthly ones exist, a price, or a request to act. The intent reader notices
these (``Intent.gaps``, ``Intent.action``); each industry's :class:`~persona_kit.ai.answers.common.Simulator`
decides whether its records cover them. When they do not, the reply opens by saying so, then gives the closest
facts, each labelled for what it is ("your recent spending", "your current balance"). No figure is computed or
guessed to fit the question.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from persona_kit.ai.answers.common import DEFER, Ask, Reply, Simulator
from persona_kit.ai.intents import Intent
from persona_kit.generate import Persona

# Topics that never get a note in any industry: small talk.
NO_NOTE = frozenset({"greeting", "help", "thanks", "ack", "goodbye"})
# Topics answered with dates or standing details in any industry: the reply itself shows when.
DATED = NO_NOTE | {"identity", "member_since"}

CURRENT = "I don't have figures for other periods, only your current ones."
FORECAST = "I can't predict future figures; I only have your current ones."
WHAT_IF = "I can't work out what-ifs; I only have your current figures."
OTHERS = "I don't have other customers' figures to compare with, only yours."


def focus(sim: Simulator[Any], intent: Intent, text: str) -> Intent:
    """The intent with a topic to answer from when the question named only a missing detail ("What's my APR?").

    Also steers a question whose words first name another topic: "Will my premium go up at renewal?" is about
    the premium, and "How much is my home insurance a year?" about a price, not the policy's details.
    """
    if intent.metrics and intent.topic is None:
        return intent
    topic = sim.focus(intent, text)
    return intent if topic == intent.topic else replace(intent, topic=topic)


def _period_note(sim: Simulator[Any], ask: Ask[Persona], topic: str) -> str | None:
    """What to say when the question names a period (or a future) the records do not cover."""
    if topic in DATED or topic in sim.no_note or topic in sim.dated:
        return None
    note = sim.period_note(ask, topic)
    if note is not DEFER:
        return note
    gaps = ask.intent.gaps
    if ask.intent.chart:
        return None  # a trend chart is the answer to "over the last year"
    if "forecast" in gaps:
        return FORECAST
    return CURRENT if "window" in gaps else None  # "today" and "this month" are now, for a balance or a score


def _shared_note(ask: Ask[Persona], topic: str) -> str | None:
    """What no industry's records hold, said before any figure: a what-if, or other customers' figures."""
    if topic in NO_NOTE:
        return None
    gaps = ask.intent.gaps
    return WHAT_IF if "what_if" in gaps else OTHERS if "others" in gaps else None


CANNOT_ACT = "I can't make changes from this chat"
"""The refusal to act that opens an answer to a request to act ("cancel my contract and tell me when it ends")."""
SEE = ", but here is what I can see."
"""What follows :data:`CANNOT_ACT` when the answer has nothing else before its figures."""


def bridge(sim: Simulator[Any], ask: Ask[Persona], reply: Reply) -> Reply:
    """``reply``, opened by what the records do not hold (and any refusal to act) when the question needs it."""
    intent, topic = ask.intent, ask.intent.topic
    if topic is None or topic in NO_NOTE or topic in sim.no_note:
        return reply
    shared = _shared_note(ask, topic)
    period = None if shared else _period_note(sim, ask, topic)
    notes = [note for note in (shared, sim.detail_note(ask, topic), period) if note]
    body = sim.revise(ask, topic, reply.text, notes)
    if intent.action:
        notes.insert(0, CANNOT_ACT + ("." if notes else SEE))
    return Reply(" ".join([*notes, body]), reply.tools) if notes or body != reply.text else reply


__all__ = ["CANNOT_ACT", "CURRENT", "DATED", "FORECAST", "NO_NOTE", "OTHERS", "SEE", "WHAT_IF", "bridge", "focus"]
