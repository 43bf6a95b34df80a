"""The industry record: everything persona_kit knows about one persona kind, in one place.

Each industry package (``persona_kit/industries/<kind>/``) builds one
:class:`Industry` and exposes it as ``INDUSTRY``; :mod:`persona_kit.industries`
lists the packages. Generation, the prompt, the protocol union and schema, the
simulator, the grounding check, the widgets, the CLI and the golden script all
look a kind up here instead of naming it.

The simulator's topics and answers and the widget card are referenced by module
name and imported on first use, so ``import persona_kit`` does not load them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Generic, TypeVar

from persona_kit.engine.batch import Batch, Context
from persona_kit.engine.scalar import One, Row
from persona_kit.facts import Section
from persona_kit.formatting import Formatter, formatter_for
from persona_kit.industries.identity import IdentityColumns
from persona_kit.industries.identity_one import OneIdentity
from persona_kit.models.persona import PersonaBase

if TYPE_CHECKING:
    from pydantic import BaseModel

P = TypeVar("P", bound=PersonaBase)

CURRENCY = "currency"
"""A metric or chart unit meaning "the persona's currency": the ISO code on the wire, the locale's pattern on tiles."""

GOLDEN_KEYS: tuple[tuple[int | str, int], ...] = ((7, 0), (7, 987_654), ("session-demo", 3))
"""(seed, index) pairs pinned by data/golden/<kind>.json, in every locale."""


@dataclass(frozen=True)
class MetricDef(Generic[P]):
    """A headline figure, defined once for the widget tiles, ``show_metrics`` and the ``mode_switch`` metrics.

    ``value`` gives the raw figure (money in the persona's currency, a count, a score, text); ``unit`` is
    :data:`CURRENCY`, ``"%"`` or a word ("points", "visits"); ``tile`` spells the value on a card tile when
    the unit's default (money in the locale's pattern, numbers with grouping) is not what a reader expects.
    """

    label: str
    unit: str
    value: Callable[[P, Formatter], float | int | str | dt.date]
    tile: Callable[[P, Formatter], str] | None = None

    def tile_text(self, persona: P, fmt: Formatter) -> str:
        """The value as a card tile shows it."""
        if self.tile is not None:
            return self.tile(persona, fmt)
        value = self.value(persona, fmt)
        if isinstance(value, dt.date):
            return fmt.day(value)
        if isinstance(value, str):
            return value
        if self.unit == CURRENCY:
            return fmt.money(value)
        return f"{fmt.number(value)}%" if self.unit == "%" else fmt.number(value)

    def wire_value(self, persona: P, fmt: Formatter) -> int | str:
        """The value as dashboards get it: a plain whole number as a number (they group its digits), else the
        tile text (money, shares and quantities spelled in the persona's locale)."""
        text = self.tile_text(persona, fmt)
        return int(text) if text.isdigit() and len(text) < 16 else text


@dataclass(frozen=True)
class ChartDef:
    """A chart the simulator draws: its title (``{...}`` stands for any text) and what its axes measure.

    ``y`` may contain ``{currency}``, replaced by the persona's currency code.
    """

    title: str
    x: str
    y: str

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{[^}]*\}", self.title)
        return re.compile(".+".join(re.escape(part) for part in parts), re.DOTALL)

    def matches(self, title: str) -> bool:
        """Whether a chart with this title is this one."""
        return self._pattern.fullmatch(title) is not None


@dataclass(frozen=True)
class CardLayout(Generic[P]):
    """What the widget card shows besides the metrics: the relationship start and extra header facts."""

    since: Callable[[P], tuple[str, dt.date] | None] = lambda persona: None
    header_facts: Callable[[P], Sequence[str]] = lambda persona: ()


@dataclass(frozen=True)
class Industry(Generic[P]):
    """One persona kind and everything about it.

    Attributes:
        kind: the persona kind, the ``kind`` field of its personas and ``Mode.persona_kind``.
        model: the frozen Pydantic persona model.
        generate: the column-wise generator (``Context``, identity columns -> ``Batch``).
        stats: the validated calibration data (``data/stats/<kind>.json``).
        facts: the prompt sections stating the persona's facts (after the shared identity section).
        metrics: every headline metric, each defined once.
        card_metrics, tool_metrics: the labels the widget card and ``show_metrics`` show, in order.
        charts: the charts the simulator can draw, with their axes declared.
        synonyms: words naming the industry in a mode request ("bank", "credit union").
        brand_words: words that tell the industry inside a company's name only ("Nimbus Fiber", "Fabrikam
            Mutual"), never alone ("switch to fiber" is no request).
        known_brands: well-known companies of the industry ("Verizon", "Geico"): a request to be one asks for
            the industry, under that company name.
        simulator: the module holding the simulator's topics, subjects, answers and notes.
        card: the widget card layout.
        builtin_mode: whether ``data/modes/<kind>.json`` defines a built-in mode of this kind.
        claim_terms: named things a reply may mention that the grounding check should read as names
            (medications, say), beyond the persona's own facts.
        count_nouns: (noun pattern, field pattern) pairs: a count next to the noun ("3 policies") can only
            be grounded by a fact whose field matches (``derived.policy_count``), not by any equal number.
        generate_one: the scalar generator of one persona (``One``, its identity -> its fields and child rows),
            the same values as ``generate`` gives for a batch of one, much faster; None: a batch of one is used.
    """

    kind: str
    model: type[P]
    generate: Callable[[Context, IdentityColumns], Batch]
    stats: Callable[[], BaseModel]
    facts: Callable[[P, Formatter], list[Section]]
    metrics: tuple[MetricDef[P], ...]
    card_metrics: tuple[str, ...]
    tool_metrics: tuple[str, ...]
    charts: tuple[ChartDef, ...]
    synonyms: tuple[str, ...]
    simulator: str
    brand_words: tuple[str, ...] = ()
    known_brands: tuple[str, ...] = ()
    card: CardLayout[P] = field(default_factory=CardLayout)
    builtin_mode: bool = True
    golden_keys: tuple[tuple[int | str, int], ...] = GOLDEN_KEYS
    claim_terms: Callable[[], Iterable[str]] = tuple
    count_nouns: tuple[tuple[str, str], ...] = ()
    generate_one: Callable[[One, OneIdentity], tuple[Row, dict[str, list[Row]]]] | None = None

    def __post_init__(self) -> None:
        labels = [m.label for m in self.metrics]
        unknown = sorted(set(self.card_metrics + self.tool_metrics) - set(labels))
        if len(set(labels)) != len(labels) or unknown:
            msg = f"industry {self.kind!r}: metric labels must be unique and defined, unknown: {unknown}"
            raise ValueError(msg)

    def metric(self, label: str) -> MetricDef[P]:
        """The metric with this label."""
        return next(m for m in self.metrics if m.label == label)

    def card_values(self, persona: P) -> dict[str, str]:
        """The card's metrics, label to tile text, in card order."""
        fmt = formatter_for(persona)
        return {label: self.metric(label).tile_text(persona, fmt) for label in self.card_metrics}

    def chart(self, title: str) -> ChartDef | None:
        """The declared chart with this title, if any."""
        return next((c for c in self.charts if c.matches(title)), None)

    def simulator_module(self) -> ModuleType:
        """The simulator's module for this industry (imported on first use)."""
        return importlib.import_module(self.simulator)


__all__ = ["CURRENCY", "GOLDEN_KEYS", "CardLayout", "ChartDef", "Industry", "MetricDef"]
