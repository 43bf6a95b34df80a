"""What every mode's answers share: the question being answered, the reply, and the small-talk replies.

Every figure an answer quotes is taken from :func:`persona_kit.prompt.persona_facts`,
so it is spelled exactly as the system prompt spells it and the grounding
check can find it. Answers never compute a new number for the text.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from persona_kit.ai.charts import metrics_result
from persona_kit.ai.intents import ChartType, Grammar, Intent, SubjectRule
from persona_kit.formatting import formatter_for
from persona_kit.generate import Persona
from persona_kit.industries import industry_of
from persona_kit.models.modes import Mode
from persona_kit.protocol import ToolResultMessage

P_co = TypeVar("P_co", bound=Persona, covariant=True)
P = TypeVar("P", bound=Persona)


@dataclass(frozen=True)
class Reply:
    """An answer: its text, and any tool results the dashboard should render."""

    text: str
    tools: tuple[ToolResultMessage, ...] = ()
    offers: tuple[str, ...] = ()
    """For a clarifying question, the questions it offers, in the order named ("my checking balance", ...)."""


@dataclass(frozen=True)
class Ask(Generic[P_co]):
    """One question in context: the mode, the persona, the resolved intent and the persona's quotable facts."""

    mode: Mode
    persona: P_co
    intent: Intent
    text: str
    facts: Mapping[str, str]
    key: bytes

    def q(self, field: str) -> str:
        """The fact at ``field``, spelled as the prompt spells it."""
        return self.facts[field]

    def says(self, pattern: str) -> bool:
        """Whether the (normalised) question contains ``pattern``, a regular expression."""
        return re.search(pattern, self.text) is not None

    def chart_type(self, default: ChartType) -> ChartType:
        """The chart type asked for, else ``default``."""
        return self.intent.chart_type or default

    @property
    def first_name(self) -> str:
        """How the assistant addresses the customer."""
        return self.persona.identity.first_name

    @property
    def currency(self) -> str:
        """The persona's ISO currency code, the unit of money metrics."""
        return self.persona.identity.currency


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def bullets(lines: Sequence[str]) -> str:
    """A Markdown list, one line per item."""
    return "\n".join(f"- {line}" for line in lines)


def plural(count_text: str, one: str, many: str) -> str:
    """``1 policy`` / ``3 policies``: the noun follows the count as the prompt spells it."""
    return f"{count_text} {one if count_text == '1' else many}"


def newest_first(ordinal: int | None) -> int | None:
    """An ordinal into a list kept newest first: "the last one" (``-1``) is the latest, at the top; "the oldest"
    (``-2``) is at the bottom."""
    return 0 if ordinal == -1 else -1 if ordinal == -2 else ordinal


def pick(items: Sequence[object], ordinal: int | None) -> int | None:
    """The index an ordinal points at (``-1`` is the last), or None when it is out of range."""
    if ordinal is None or not items:
        return None
    index = len(items) - 1 if ordinal < 0 else ordinal
    return index if 0 <= index < len(items) else None


# --- replies every mode gives ---------------------------------------------------


def greeting(ask: Ask[Persona], topics: str) -> Reply:
    """Hello, by first name, with what the assistant can do."""
    return Reply(f"Hello {ask.first_name}! I'm the {ask.mode.company_name} assistant. I can help with {topics}.")


def hello(first_name: str) -> str:
    """The hello that opens the answer to a question asked after a greeting ("hi, how long have I banked here")."""
    return f"Hello {first_name}!"


def help_reply(ask: Ask[Persona], topics: str) -> Reply:
    """What the customer can ask."""
    return Reply(
        f"I can answer questions about {topics}, using your {ask.mode.company_name} records. "
        "I can also show a chart or your key metrics on the dashboard - just ask."
    )


def thanks(ask: Ask[Persona]) -> Reply:
    """You're welcome."""
    return Reply(f"You're welcome, {ask.first_name}! Is there anything else I can help you with?")


def acknowledged(ask: Ask[Persona]) -> Reply:
    """ "ok", "lol", "got it": no question, so no figure either."""
    return Reply(f"Okay, {ask.first_name}. Is there anything else I can help you with?")


def goodbye(ask: Ask[Persona]) -> Reply:
    """Goodbye."""
    return Reply(f"Thanks for chatting with {ask.mode.company_name}, {ask.first_name}. Have a great day!")


def fallback(ask: Ask[Persona], topics: str) -> Reply:
    """An in-character answer to a question the records cannot answer: no figure is invented."""
    return Reply(
        f"I'm sorry, {ask.first_name}, I don't have that in your {ask.mode.company_name} records, "
        f"so I'd rather not guess. I can help with {topics} - or show them as a chart."
    )


_IDENTITY_PARTS: tuple[tuple[str, str], ...] = (
    (r"\bname\b|who am i", "name"),
    (r"e-?mail", "email"),
    (r"phone|mobile number|contact number", "phone"),
    (r"address|live|post ?code|zip|house|flat|\bplace\b|statements?|\bpost\b|\bmail\b", "address"),
    (r"birth|born|how old|\bage\b", "birth"),
    (r"currency", "currency"),
    (r"country", "country"),
)


_IDENTITY_SENTENCES = {
    "name": "The name on file is {name}.",
    "email": "The email address on file is {identity.email}.",
    "phone": "The phone number on file is {identity.phone}.",
    "address": "The address on file is {identity.address}.",
    "birth": "Your date of birth on file is {identity.date_of_birth}, which makes you {identity.age} years old.",
    "currency": "Your account is in {identity.currency}.",
    "country": "The address on file is {identity.address}.",
}
_FACT = re.compile(r"\{([\w.]+)\}")


def _identity_sentence(ask: Ask[Persona], part: str) -> str:
    return _FACT.sub(lambda m: ask.q(m.group(1)), _IDENTITY_SENTENCES[part])


def identity(ask: Ask[Persona]) -> Reply:
    """Contact details and personal facts on file: every one the question names, in the order asked."""
    asked = sorted((m.start(), part) for pattern, part in _IDENTITY_PARTS if (m := re.search(pattern, ask.text)))
    parts = list(dict.fromkeys(part for _, part in asked))
    if "name" in parts and "contact details" in ask.text:
        parts += [p for p in ("email", "phone") if p not in parts]
    if parts and not ("name" in parts and len(parts) == 1 and not ask.says(r"\bname\b")):
        return Reply(" ".join(_identity_sentence(ask, part) for part in parts))
    return Reply(
        f"You're {ask.q('name')}. The contact details on file are {ask.q('identity.email')} "
        f"and {ask.q('identity.phone')}."
    )


def common_reply(ask: Ask[Persona], topics: str) -> Reply | None:
    """The reply to a topic every mode shares, or None for a mode's own topic."""
    topic = ask.intent.topic
    if topic == "greeting":
        return greeting(ask, topics)
    if topic == "help":
        return help_reply(ask, topics)
    plain = {"thanks": thanks, "ack": acknowledged, "goodbye": goodbye, "identity": identity}
    return plain[topic](ask) if topic in plain else None


def key_metrics(ask: Ask[Persona]) -> ToolResultMessage:
    """The industry's ``show_metrics`` cards (``Industry.tool_metrics``), each value as its tile spells it.

    Money, percentages and quantities travel as display text in the persona's locale ("$2,832.64",
    "73%", "13.5 GB"), a plain count or score as a number; no unit suffix, so dashboards print them as is.
    """
    persona, fmt = ask.persona, formatter_for(ask.persona)
    record = industry_of(persona)
    return metrics_result([(label, record.metric(label).wire_value(persona, fmt), "") for label in record.tool_metrics])


# --- what each industry gives the simulator ---------------------------------------


class Defer(enum.Enum):
    """A note hook's answer meaning "not my case": the shared rules decide."""

    DEFER = "defer"


DEFER = Defer.DEFER


def _keep_topic(intent: Intent, text: str) -> str | None:
    return intent.topic


def _no_note(ask: Ask[Persona], topic: str) -> str | None:
    return None


def _defer(ask: Ask[Persona], topic: str) -> str | Defer | None:
    return DEFER


def _same_body(ask: Ask[Persona], topic: str, body: str, notes: list[str]) -> str:
    return body


@dataclass(frozen=True)
class Simulator(Generic[P]):
    """One industry's part of the offline simulator.

    Attributes:
        grammar: the industry's topics and subject rules of thumb.
        help_topics: what the assistant can help with, as a phrase ("your balances, ...").
        subject_rules: the phrases that name a subject for one persona (accounts, merchants, policy types, ...).
        handlers: the reply for each of the industry's own topics.
        key_numbers: the reply to "show my key metrics" (with no other topic).
        chart_topic: the topic a chart request with no topic charts.
        focus: the topic to answer from when a question names only a detail the records lack ("What's my APR?"),
            or whose first words name another topic; returns the intent's own topic when nothing changes.
        detail_note: what to say when a question asks for a detail the records do not hold (a rate, a peril).
        period_note: what to say when a question names a period the records do not cover; ``DEFER`` leaves
            it to the shared rules (a forecast, another period).
        revise: the reply body to give instead, and notes to add, for questions the answer alone gets wrong.
        chartless: topics whose answers never draw a chart.
        no_note: topics that never get a note (replies that already decline).
        dated: topics answered with dates or standing details, where a period needs no note.
    """

    grammar: Grammar
    help_topics: str
    subject_rules: Callable[[P], list[SubjectRule]]
    handlers: Mapping[str, Callable[[Ask[P]], Reply]]
    key_numbers: Callable[[Ask[P]], Reply]
    chart_topic: str
    focus: Callable[[Intent, str], str | None] = _keep_topic
    detail_note: Callable[[Ask[P], str], str | None] = _no_note
    period_note: Callable[[Ask[P], str], str | Defer | None] = _defer
    revise: Callable[[Ask[P], str, str, list[str]], str] = _same_body
    chartless: frozenset[str] = field(default_factory=frozenset)
    no_note: frozenset[str] = field(default_factory=frozenset)
    dated: frozenset[str] = field(default_factory=frozenset)

    def answer(self, ask: Ask[P]) -> Reply:
        """The reply to a question: key numbers, the topic's handler, small talk, or an honest fallback."""
        topic = ask.intent.topic
        if ask.intent.metrics and topic in {None, "overview"}:
            return self.key_numbers(ask)
        handler = self.handlers.get(topic or (self.chart_topic if ask.intent.chart else ""))
        return handler(ask) if handler else common_reply(ask, self.help_topics) or fallback(ask, self.help_topics)
