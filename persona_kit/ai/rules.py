"""The simulator's question patterns as data: one shared file and one per industry, for each language.

``data/intents/<lang>/rules.json`` holds the patterns every industry shares (small talk, follow-up cues,
periods, gaps, requests to act, compound-question joints); ``data/intents/<lang>/rules/<kind>.json`` one
industry's ordered topic rules, facets, subject words and the few patterns its handlers test by name. Each
file is read once, validated, its placeholders put in and every pattern compiled; a bad regular expression
or an unknown placeholder fails on first use with the file and the rule named.

Placeholders: ``{name}`` (a lower-case letter first, then letters, digits or ``_``) in a pattern stands for
the placeholder of that name, from the file's own ``placeholders`` or the shared file's (``{tenure}``,
``{before_cover}``, ``{verbs}``, ...), put in as written, before compiling. A quantifier such as ``{1,30}``
is no placeholder; a literal ``{name}`` is written ``\\{name}``. Placeholders do not nest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Literal, NoReturn, TypeVar

from pydantic import Field, ValidationError

from persona_kit.data import DataModel, read_json
from persona_kit.errors import PersonaKitError

ChartType = Literal["line", "bar", "pie", "area"]
Gap = Literal[
    "rate", "today", "window", "this_month", "this_year", "per_year", "per_month", "forecast", "peril", "cost",
    "benefit", "what_if", "others",
]  # fmt: skip
"""A qualifier the records may not answer: a rate, a period, a yearly figure, a forecast, a peril, a price, a
what-if ("what would it be if I closed my store card"), other customers' figures ("the average for my age")..."""
TopicRules = tuple[tuple[str, re.Pattern[str]], ...]
"""Ordered (topic, pattern) rules: the first topic whose pattern matches wins."""

_M = TypeVar("_M", bound=DataModel)
_PLACEHOLDER = re.compile(r"(?<!\\)\{([a-z][a-z0-9_]*)\}")


class RulesFileError(PersonaKitError, ValueError):
    """A rules file that cannot be loaded: names the file, the rule and what is wrong."""


# --- the files as stored ---------------------------------------------------------------------------------------


class NamedPattern(DataModel):
    """One rule of an ordered list: a name (a topic, a facet, a gap...) and its pattern."""

    name: str
    pattern: str


class ChartTypePattern(DataModel):
    """A chart type and the words that ask for it."""

    name: ChartType
    pattern: str


class GapPattern(DataModel):
    """A qualifier the records may not cover and the words that carry it."""

    name: Gap
    pattern: str


class OrdinalPattern(DataModel):
    """A position in a list (0 the first, -1 the last) and the words that name it."""

    position: int
    pattern: str


class ShortLimits(DataModel):
    """How many words (besides fillers) a message may have and still follow up on the last one."""

    without_topic: int
    with_topic: int


class CompoundPatterns(DataModel):
    """Where a compound question is cut, what asks for one whole, what compares; matched as written."""

    joint: str
    whole: str
    compare: str


class Rewrite(DataModel):
    """A way of asking two things in one that no joint cuts, said again as a compound the reader does cut."""

    pattern: str
    to: str
    """The replacement (``re.sub`` syntax: ``\\1`` is the first group)."""


class StoryPatterns(DataModel):
    """A long message whose question comes last, after a story with none ("my brother borrowed my phone ..., how
    much data have I got left"): what starts a question, and how long the story must be."""

    question: str
    min_length: int = Field(ge=1)


class SharedRulesFile(DataModel):
    """``data/intents/<lang>/rules.json``."""

    source: str
    placeholders: dict[str, str]
    common_topics: list[NamedPattern]
    identity_first: str
    chart: str
    chart_types: list[ChartTypePattern]
    metrics: str
    repeat: str
    follow_up: str
    refers: str
    """A message that points back with a pronoun and names nothing of its own ("how much do I owe on it?")."""
    choose_all: str
    """After a clarifying question, a pick of every option ("both")."""
    story: StoryPatterns
    total: str
    word: str
    fillers: list[str]
    short: ShortLimits
    step: str
    step_back: str
    windows: list[GapPattern]
    forecast: str
    perils: str
    gaps: list[GapPattern]
    action: str
    not_action: str
    """A question that only asks how much or how long ("how much do I need to pay?"): no request to act."""
    own_question: str
    """A question about what the customer may do ("can I pay it from checking?"), not a request to the assistant:
    a compound question is not cut at it."""
    ordinals: list[OrdinalPattern]
    compound: CompoundPatterns
    rewrites: list[Rewrite] = Field(default_factory=list)
    """Applied in order to every industry's read message, before the industry's own."""


class IndustryRulesFile(DataModel):
    """``data/intents/<lang>/rules/<kind>.json``."""

    source: str
    placeholders: dict[str, str] = Field(default_factory=dict)
    topics: list[NamedPattern]
    facets: list[NamedPattern] = Field(default_factory=list)
    subjects: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    """Per subject kind, per subject value, the phrases that name it besides the value itself."""
    patterns: dict[str, str] = Field(default_factory=dict)
    """Patterns the industry's handlers test by name, matched as written over the read (lower-case) message."""
    lists: dict[str, list[NamedPattern]] = Field(default_factory=dict)
    """Named ordered lists of (name, pattern), e.g. the rate nouns a decline names."""
    dictated: list[str] = Field(default_factory=list)
    """Subject kinds whose names customers may say in pieces, as voice typing writes them ("a tore vastatin")."""
    yields: dict[str, list[str]] = Field(default_factory=dict)
    """Per topic, the earlier topics a follow-up naming it goes on with ("how much do I owe on it?" after a device
    asks about the device, though "owe" names the bill)."""
    facet_topics: dict[str, str] = Field(default_factory=dict)
    """Per facet, the topic a follow-up carrying it asks about when the question before was narrowed another way
    ("how much came in?", then "and out?": the spending)."""
    rewrites: list[Rewrite] = Field(default_factory=list)
    """Applied in order to the read message ("am i earning more than i spend" -> "income and spending")."""


# --- compiled --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedRules:
    """The shared patterns of one language, compiled; names follow :mod:`persona_kit.ai.intents`."""

    placeholders: Mapping[str, str]
    common_topics: TopicRules
    identity_first: re.Pattern[str]
    chart: re.Pattern[str]
    chart_types: tuple[tuple[ChartType, re.Pattern[str]], ...]
    metrics: re.Pattern[str]
    repeat: re.Pattern[str]
    follow_up: re.Pattern[str]
    refers: re.Pattern[str]
    choose_all: re.Pattern[str]
    story_question: re.Pattern[str]
    story_length: int
    total: re.Pattern[str]
    word: re.Pattern[str]
    fillers: frozenset[str]
    short: tuple[int, int]
    step: re.Pattern[str]
    step_back: re.Pattern[str]
    windows: tuple[tuple[Gap, re.Pattern[str]], ...]
    forecast: re.Pattern[str]
    perils: re.Pattern[str]
    gaps: tuple[tuple[Gap, re.Pattern[str]], ...]
    action: re.Pattern[str]
    not_action: re.Pattern[str]
    own_question: re.Pattern[str]
    ordinals: tuple[tuple[int, re.Pattern[str]], ...]
    joint: re.Pattern[str]
    whole: re.Pattern[str]
    compare: re.Pattern[str]
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()

    def vocabulary_sources(self) -> list[str]:
        """The sources of the question patterns whose words the typo corrector knows (not the compound joints)."""
        singles = (
            self.identity_first, self.chart, self.metrics, self.repeat, self.follow_up, self.refers, self.total,
            self.word, self.step, self.step_back, self.forecast, self.perils, self.action,
        )  # fmt: skip
        ordered = (*self.common_topics, *self.chart_types, *self.windows, *self.gaps, *self.ordinals)
        return [p.pattern for p in singles] + [p.pattern for _, p in ordered]


@dataclass(frozen=True)
class IndustryRules:
    """One industry's patterns in one language, compiled."""

    kind: str
    topics: TopicRules
    facets: TopicRules
    subjects: Mapping[str, Mapping[str, tuple[str, ...]]]
    patterns: Mapping[str, str]
    lists: Mapping[str, tuple[tuple[str, str], ...]]
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()
    yields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    facet_topics: Mapping[str, str] = field(default_factory=dict)
    dictated: frozenset[str] = frozenset()

    def rewritten(self, text: str) -> str:
        """``text`` after the industry's rewrites (each one regular-expression pass: linear in its length)."""
        for pattern, to in self.rewrites:
            text = pattern.sub(to, text)
        return text

    def pattern(self, name: str) -> str:
        """The source of the named handler pattern (matched as written)."""
        try:
            return self.patterns[name]
        except KeyError:
            msg = f"rules/{self.kind}.json has no pattern {name!r}; it has {sorted(self.patterns)}"
            raise RulesFileError(msg) from None

    def subject_words(self, kind: str) -> Mapping[str, tuple[str, ...]]:
        """Per subject value of ``kind``, the phrases that name it (empty when the file names none)."""
        return self.subjects.get(kind, MappingProxyType({}))


class _Compiler:
    """Puts placeholders in and compiles, naming the file and the rule in every error."""

    def __init__(self, path: str, placeholders: Mapping[str, str]) -> None:
        self.path = path
        self.placeholders = placeholders
        for name, value in placeholders.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                self._fail(f"placeholder {name!r}", "a placeholder name is lower-case letters, digits and '_'")
            if _PLACEHOLDER.search(value):
                self._fail(f"placeholder {name!r}", "placeholders do not nest (its value names another)")
            self._check(value, f"placeholder {name!r}")

    def _fail(self, where: str, what: str) -> NoReturn:
        msg = f"{self.path}: {where}: {what}"
        raise RulesFileError(msg)

    def source(self, pattern: str, where: str) -> str:
        """``pattern`` with its placeholders put in; checked to compile."""

        def put(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in self.placeholders:
                self._fail(where, f"unknown placeholder {{{name}}}; known: {', '.join(sorted(self.placeholders))}")
            return self.placeholders[name]

        text = _PLACEHOLDER.sub(put, pattern)
        self._check(text, where)
        return text

    def _check(self, source: str, where: str) -> re.Pattern[str]:
        try:
            return re.compile(source)
        except re.error as exc:
            self._fail(where, f"bad regular expression ({exc}): {source[:120]!r}")

    def ignore_case(self, pattern: str, where: str) -> re.Pattern[str]:
        """A case-insensitive pattern, as every topic rule is."""
        return re.compile(self.source(pattern, where), re.IGNORECASE)

    def exact(self, pattern: str, where: str) -> re.Pattern[str]:
        """A pattern matched as written."""
        return re.compile(self.source(pattern, where))

    def ordered(self, rules: list[NamedPattern], where: str) -> TopicRules:
        return tuple((r.name, self.ignore_case(r.pattern, f"{where}[{i}] {r.name!r}")) for i, r in enumerate(rules))


def _validated(model: type[_M], raw: object, path: str) -> _M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        msg = f"{path}: {exc}"
        raise RulesFileError(msg) from exc


def build_shared_rules(raw: object, path: str) -> SharedRules:
    """The shared rules from the parsed contents ``raw`` of the file at ``path`` (named in errors)."""
    spec = _validated(SharedRulesFile, raw, path)
    c = _Compiler(path, spec.placeholders)

    def each(rules: Sequence[ChartTypePattern | GapPattern], where: str) -> tuple[tuple[Any, re.Pattern[str]], ...]:
        return tuple((r.name, c.ignore_case(r.pattern, f"{where}[{i}] {r.name!r}")) for i, r in enumerate(rules))

    return SharedRules(
        placeholders=MappingProxyType(dict(spec.placeholders)),
        common_topics=c.ordered(spec.common_topics, "common_topics"),
        identity_first=c.ignore_case(spec.identity_first, "identity_first"),
        chart=c.ignore_case(spec.chart, "chart"),
        chart_types=each(spec.chart_types, "chart_types"),
        metrics=c.ignore_case(spec.metrics, "metrics"),
        repeat=c.ignore_case(spec.repeat, "repeat"),
        follow_up=c.ignore_case(spec.follow_up, "follow_up"),
        refers=c.ignore_case(spec.refers, "refers"),
        choose_all=c.ignore_case(spec.choose_all, "choose_all"),
        story_question=c.ignore_case(spec.story.question, "story.question"),
        story_length=spec.story.min_length,
        total=c.ignore_case(spec.total, "total"),
        word=c.exact(spec.word, "word"),
        fillers=frozenset(spec.fillers),
        short=(spec.short.without_topic, spec.short.with_topic),
        step=c.ignore_case(spec.step, "step"),
        step_back=c.ignore_case(spec.step_back, "step_back"),
        windows=each(spec.windows, "windows"),
        forecast=c.ignore_case(spec.forecast, "forecast"),
        perils=c.ignore_case(spec.perils, "perils"),
        gaps=each(spec.gaps, "gaps"),
        action=c.ignore_case(spec.action, "action"),
        not_action=c.ignore_case(spec.not_action, "not_action"),
        own_question=c.ignore_case(spec.own_question, "own_question"),
        ordinals=tuple((r.position, c.ignore_case(r.pattern, f"ordinals[{i}]")) for i, r in enumerate(spec.ordinals)),
        joint=c.exact(spec.compound.joint, "compound.joint"),
        whole=c.exact(spec.compound.whole, "compound.whole"),
        compare=c.exact(spec.compound.compare, "compound.compare"),
        rewrites=_rewrites(c, spec.rewrites, path),
    )


def build_industry_rules(kind: str, raw: object, path: str, shared: SharedRules) -> IndustryRules:
    """One industry's rules from the parsed contents ``raw`` of the file at ``path`` (named in errors).

    Its placeholders are the ``shared`` file's plus its own (its own win).
    """
    spec = _validated(IndustryRulesFile, raw, path)
    c = _Compiler(path, {**shared.placeholders, **spec.placeholders})
    patterns = {name: c.source(p, f"patterns {name!r}") for name, p in spec.patterns.items()}
    lists = {
        name: tuple((r.name, c.source(r.pattern, f"lists {name!r}[{i}]")) for i, r in enumerate(rules))
        for name, rules in spec.lists.items()
    }
    subjects = {
        subject: MappingProxyType({value: tuple(words) for value, words in values.items()})
        for subject, values in spec.subjects.items()
    }
    return IndustryRules(
        kind=kind,
        topics=c.ordered(spec.topics, "topics"),
        facets=c.ordered(spec.facets, "facets"),
        subjects=MappingProxyType(subjects),
        patterns=MappingProxyType(patterns),
        lists=MappingProxyType(lists),
        yields=MappingProxyType({topic: frozenset(earlier) for topic, earlier in spec.yields.items()}),
        facet_topics=MappingProxyType(dict(spec.facet_topics)),
        dictated=frozenset(spec.dictated),
        rewrites=(*shared.rewrites, *_rewrites(c, spec.rewrites, path)),
    )


def _rewrites(c: _Compiler, rewrites: Sequence[Rewrite], path: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (c.ignore_case(r.pattern, f"rewrites[{i}]"), _replacement(r.to, path, i)) for i, r in enumerate(rewrites)
    )


def _replacement(to: str, path: str, index: int) -> str:
    """``to``, checked to be a valid replacement (group references) before any message meets it."""
    try:
        re.compile(r"(x)?" * 9).sub(to, "")
    except re.error as exc:
        msg = f"{path}: rewrites[{index}]: bad replacement ({exc}): {to!r}"
        raise RulesFileError(msg) from exc
    return to


@cache
def shared_rules(language: str = "en") -> SharedRules:
    """The shared question patterns of ``language`` (``data/intents/<lang>/rules.json``), compiled once."""
    path = f"intents/{language}/rules.json"
    return build_shared_rules(read_json(path), path)


@cache
def industry_rules(kind: str, language: str = "en") -> IndustryRules:
    """One industry's question patterns (``data/intents/<lang>/rules/<kind>.json``), compiled once."""
    path = f"intents/{language}/rules/{kind}.json"
    return build_industry_rules(kind, read_json(path), path, shared_rules(language))


__all__ = [
    "ChartType",
    "Gap",
    "IndustryRules",
    "IndustryRulesFile",
    "Rewrite",
    "RulesFileError",
    "SharedRules",
    "SharedRulesFile",
    "TopicRules",
    "build_industry_rules",
    "build_shared_rules",
    "industry_rules",
    "shared_rules",
]
