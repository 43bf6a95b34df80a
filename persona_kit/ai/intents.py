"""What a chat message asks for: a topic, an optional subject, and follow-up cues resolved against the history.

Matching is plain keyword rules, deterministic and offline. A message is read
into an :class:`Intent`; :func:`resolve_intent` fills what a follow-up leaves
out ("and my savings?", "when is the next one?") from the intent before it,
and :func:`intent_for` replays the user's earlier messages to find that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from persona_kit.ai.rules import ChartType, Gap, TopicRules, shared_rules

SubjectKind = str
"""What kind of thing a subject is ("account", "policy_type", "medication"): each industry names its own."""


@dataclass(frozen=True)
class Subject:
    """A thing a question is about: an account, a category, a policy type, a medication, ..."""

    kind: SubjectKind
    value: str


@dataclass(frozen=True)
class Intent:
    """One question, read: its topic, subject, position in a list, and whether a chart or metrics were asked for."""

    topic: str | None = None
    subject: Subject | None = None
    ordinal: int | None = None
    step: bool = False
    step_back: bool = False
    """"The one before that": one step back in time along the list the previous question walked."""
    went_back: bool = False
    """Resolved: the last step walked back in time, so "the one after that" now walks forward again."""
    chart: bool = False
    chart_type: ChartType | None = None
    metrics: bool = False
    repeat: bool = False
    follow_up: bool = False
    refers: bool = False
    """It points back with a pronoun and names nothing of its own ("what category was that?")."""
    total: bool = False
    gaps: frozenset[Gap] = frozenset()
    """Qualifiers the question carries that the records may not cover; the answers decide per mode and topic."""
    action: bool = False
    """Asked to do something (transfer, cancel, book, ...), which this chat cannot."""
    facets: frozenset[str] = frozenset()
    """How the question narrows a list ("purchase": only money out, "largest"): each industry names its own,
    and a follow-up on the same topic keeps them ("last purchase?" -> "and the one before that?")."""


def rx(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern, as every topic rule uses."""
    return re.compile(pattern, re.IGNORECASE)


_RULES = shared_rules()
"""The shared question patterns (``data/intents/en/rules.json``); each industry's are in ``rules/<kind>.json``."""

COMMON_TOPICS = _RULES.common_topics
"""Small talk and the customer's own details; "overview" is tried before a mode's own topics ("an overview of
my accounts" is not a balance question)."""
IDENTITY_FIRST = _RULES.identity_first
"""Words that name a personal detail whatever else the message says ("the email on my account")."""
_CHART = _RULES.chart
_CHART_TYPES = _RULES.chart_types
_METRICS = _RULES.metrics
_REPEAT = _RULES.repeat
_FOLLOW_UP = _RULES.follow_up
_REFERS = _RULES.refers
_TOTAL = _RULES.total
_WORD = _RULES.word
"""A word, for telling a one- or two-word message ("deductible?", "and renewal?") that follows up on the last."""
SHORT = _RULES.short
"""A message with no subject of its own follows up on the last when it has at most this many words besides fillers:
without a topic of its own ("and renewal?"), and with one ("what's the monthly cost?" keeps the policy)."""
_FILLERS = _RULES.fillers


def _short(text: str, topic: str | None, subject: Subject | None) -> bool:
    words = [w for w in _WORD.findall(text) if w not in _FILLERS]
    return subject is None and 0 < len(words) <= SHORT[topic is not None]


_STEP = _RULES.step
_STEP_BACK = _RULES.step_back
# A period the records may not cover. "this_month" is about as long as the recent-transactions window, "this_year"
# is a health plan's own year, "today" is now for a balance; "window" is any other period (narrower, older, or cut
# by the calendar). The last one that matches is kept.
_WINDOWS = _RULES.windows
_FORECAST = _RULES.forecast
_PERILS = _RULES.perils
_GAPS = _RULES.gaps
_ACTION = _RULES.action
_NOT_ACTION = _RULES.not_action
_ORDINALS = _RULES.ordinals

TENURE = _RULES.placeholders["tenure"]
"""How customers ask since when they have been one, in every industry (each adds its own "when did I join");
``{tenure}`` in a rules file."""

BEFORE_COVER = _RULES.placeholders["before_cover"]
"""What a customer pays before the insurer or plan pays: a deductible, in every industry that has one;
``{before_cover}`` in a rules file."""


@dataclass(frozen=True)
class Grammar:
    """What one industry's questions can be about: its topics, and how subjects carry between them.

    ``subject_topics`` names, per subject kind, the topics a follow-up can carry that subject into
    ("deductible on my home policy?" -> "and the premium?"); ``subject_default`` the topic a bare
    subject asks about ("and my savings?" -> the balance).
    """

    topics: TopicRules
    subject_topics: Mapping[str, frozenset[str]]
    subject_default: Mapping[str, str]
    future_lists: frozenset[str] = frozenset()
    """Topics whose lists run forward in time (appointments, soonest first); the rest run newest first."""
    facets: TopicRules = ()
    """Named patterns that narrow a list (:attr:`Intent.facets`); every one that matches applies."""
    yields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Per topic, the earlier topics a follow-up naming it goes on with (the rules file's ``yields``)."""
    facet_topics: Mapping[str, str] = field(default_factory=dict)
    """Per facet, the topic a follow-up narrowed the other way asks about (the rules file's ``facet_topics``)."""


@dataclass(frozen=True)
class SubjectRule:
    """A phrase that names a subject, e.g. ``r"\\bcar\\b"`` for the Auto policy."""

    pattern: re.Pattern[str]
    subject: Subject


def subject_rule(kind: SubjectKind, value: str, *phrases: str, named: bool = True) -> SubjectRule:
    """A rule matching any of ``phrases`` (or ``value`` itself, unless not ``named``) as whole words, in any case."""
    # Longest first, so "eating out" wins over "eat"; ties by spelling, so the source never depends on set order.
    said = (value, *phrases) if named else phrases
    words = sorted({re.escape(p.casefold()) for p in said if p}, key=lambda w: (-len(w), w))
    return SubjectRule(rx(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])"), Subject(kind, value))


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def first_match(text: str, rules: Iterable[tuple[str, re.Pattern[str]]]) -> str | None:
    """The name of the first rule whose pattern occurs in ``text``."""
    return next((name for name, pattern in rules if pattern.search(text)), None)


def parse_intent(grammar: Grammar, text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """Read one message on its own (no history) in an industry's ``grammar``."""
    norm = normalise(text)
    if _REPEAT.search(norm):
        return Intent(repeat=True)
    topic = (
        first_match(norm, COMMON_TOPICS[:1])
        or ("identity" if IDENTITY_FIRST.search(norm) else None)
        or first_match(norm, grammar.topics)
        or first_match(norm, COMMON_TOPICS)
    )
    hits = [
        (m.start(), -len(m.group(0)), i, r.subject) for i, r in enumerate(subjects) if (m := r.pattern.search(norm))
    ]
    subject = min(hits)[3] if hits else None
    windows = [gap for gap, pattern in _WINDOWS if pattern.search(norm)]
    gaps = frozenset([*windows[-1:], *(gap for gap, pattern in _GAPS if pattern.search(norm))])
    core = norm  # "last week" and "next year" name a period, not a position in a list or a follow-up
    for pattern in (*(rx for _, rx in _WINDOWS), _FORECAST):
        core = pattern.sub(" ", core)
    ordinal = next((value for value, pattern in _ORDINALS if pattern.search(core)), None)
    chart = bool(_CHART.search(norm))
    chart_type = next((name for name, pattern in _CHART_TYPES if pattern.search(norm)), None) if chart else None
    metrics = bool(_METRICS.search(norm))
    facets = frozenset(name for name, pattern in grammar.facets if pattern.search(norm))
    return Intent(
        topic=topic,
        subject=subject,
        ordinal=ordinal,
        step=bool(_STEP.search(norm)),
        step_back=bool(_STEP_BACK.search(norm)),
        chart=chart,
        chart_type=chart_type,
        metrics=metrics,
        follow_up=bool(_FOLLOW_UP.search(core)) or _short(core, topic, subject),
        refers=bool(_REFERS.search(core)),
        total=bool(_TOTAL.search(core)),
        gaps=gaps,
        # "change it to a bar chart" is no action, nor is "how much do I need to pay?"
        action=bool(_ACTION.search(norm)) and not (chart or metrics or _NOT_ACTION.search(norm)),
        facets=facets,
    )


_SMALL_TALK = frozenset({"greeting", "thanks", "ack", "goodbye", "help"})


def resolve_intent(grammar: Grammar, previous: Intent | None, current: Intent) -> Intent:
    """Fill what a follow-up leaves out from the previous question's intent."""
    if current.repeat:
        return previous or Intent()
    prev = previous or Intent()
    topic = current.topic
    inherited = False
    if topic is None or (topic in _SMALL_TALK and (current.subject or current.chart or current.metrics)):
        if current.subject is not None:
            carry = prev.topic in grammar.subject_topics[current.subject.kind]
            topic = prev.topic if carry else grammar.subject_default[current.subject.kind]
            inherited = carry
        elif prev.topic is not None and (
            current.follow_up or current.refers or current.step or current.step_back or current.ordinal is not None
        ):
            topic, inherited = prev.topic, True
    elif current.refers and current.subject is None and prev.topic in grammar.yields.get(topic, ()):
        # "how much do I still owe on it?" after the phone: "owe" names the bill, but the question is the phone's
        topic, inherited = prev.topic, True
    elif (
        current.subject is not None
        and current.follow_up
        and topic == grammar.subject_default[current.subject.kind]
        and prev.topic in grammar.subject_topics[current.subject.kind]
    ):
        # "what about my home policy?" after a premium question: "policy" names the subject, not a new topic
        topic, inherited = prev.topic, True
    turned = [grammar.facet_topics[f] for f in sorted(current.facets - prev.facets) if f in grammar.facet_topics]
    if turned and inherited and prev.facets and current.facets.isdisjoint(prev.facets):
        topic, inherited = turned[0], False  # "how much came in?", then "and out?": the other way, another topic
    # "is it closed now?" after the latest ticket: still that ticket (its place in the list, not its narrowing)
    same_item = topic is not None and topic == prev.topic and current.refers and current.subject is None
    subject = current.subject
    carries = (current.topic is None or current.follow_up) and not current.total
    if subject is None and carries and prev.subject is not None and topic in grammar.subject_topics[prev.subject.kind]:
        subject = prev.subject
    ordinal = current.ordinal
    went_back = False
    if current.step or current.step_back:
        base = prev.ordinal if prev.topic == topic and prev.ordinal is not None and prev.ordinal >= 0 else 0
        back = current.step_back and not current.step
        # Down a list newest first is back in time; down one soonest first (appointments) is forward. "After
        # that" goes on down the list, unless the walk was going back in time: then it turns round.
        future = topic in grammar.future_lists
        back_in_time = -1 if future else 1
        delta = back_in_time if back else (-back_in_time if prev.went_back else 1)
        ordinal = max(base + delta, 0)
        went_back = back or prev.went_back
    elif ordinal is None and (inherited or same_item) and subject == prev.subject:
        ordinal = prev.ordinal
    facets = current.facets or (prev.facets if inherited else frozenset())
    return replace(
        current,
        topic=topic,
        subject=subject,
        ordinal=ordinal,
        step=False,
        step_back=False,
        went_back=went_back,
        facets=facets,
    )


def intent_for(grammar: Grammar, history: Sequence[str], text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """The resolved intent of ``text`` after the user's earlier messages ``history`` (oldest first)."""
    resolved: Intent | None = None
    for earlier in (*history, text):
        resolved = resolve_intent(grammar, resolved, parse_intent(grammar, earlier, subjects))
    assert resolved is not None
    return resolved


__all__ = [
    "BEFORE_COVER",
    "COMMON_TOPICS",
    "IDENTITY_FIRST",
    "SHORT",
    "TENURE",
    "ChartType",
    "Gap",
    "Grammar",
    "Intent",
    "Subject",
    "SubjectKind",
    "SubjectRule",
    "TopicRules",
    "first_match",
    "intent_for",
    "normalise",
    "parse_intent",
    "resolve_intent",
    "rx",
    "subject_rule",
]
