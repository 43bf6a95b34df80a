"""The grounding check: which factual claims in a reply come from the persona, and from which field.

:func:`check_reply` extracts the claims a reply makes - currency amounts,
percentages, counts, dates, times, ids, dosages, provider and medication
names - and looks each one up among the persona's facts
(:func:`persona_kit.prompt.persona_facts`). The facts go through the same
extractor, so "the same claim" means the same span found the same way.

A claim is grounded when a fact spells it exactly the same way (``exact``), or
when it has the same value written differently ("$1581.14" for "$1,581.14",
"June 9, 2026" for "Jun 9, 2026"). A bare count is checked against the facts
its neighbouring noun names ("3 refills" only against refill counts), so an
altered count cannot hide behind an unrelated fact with the same number.

An amount rounded to a magnitude ("$1.5M", "$250K", "1.5 million dollars",
"2,5 Mio. €") is grounded by an amount fact that, rounded half-up to the written
precision (one unit of the last written digit: 100,000 for "$1.5M", 1,000 for
"$250K", 10,000 for "$1.50M"), equals the written value; so "$1.5M" stands for
any amount from 1,450,000.00 up to (not including) 1,550,000.00. Such a claim is
never ``exact``, and when several facts round to it the nearest comes first. An
amount in another currency than the persona's is never grounded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from persona_kit.ai.claims import ClaimKind, RawClaim, extractor_for
from persona_kit.facts import persona_facts
from persona_kit.generate import Persona
from persona_kit.industries import industries

_COMMON_COUNT_NOUNS = ((r"years?", r"^identity\.age$"),)


@cache
def _count_context() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """Count nouns and the fields a count next to them may match: every industry's (``Industry.count_nouns``).

    A noun several industries use ("score") may match any of their fields.
    """
    by_noun: dict[str, list[str]] = {}
    for record in industries().values():
        for noun, fields in record.count_nouns:
            by_noun.setdefault(noun, []).append(fields)
    for noun, fields in _COMMON_COUNT_NOUNS:
        by_noun.setdefault(noun, []).append(fields)
    return tuple(
        (re.compile(rf"^(?:{noun})$", re.IGNORECASE), re.compile("|".join(f"(?:{f})" for f in fields)))
        for noun, fields in by_noun.items()
    )


_AFTER = re.compile(r"\s*(?:(?:upcoming|active|open|recent|remaining|more|total|loyalty|of)\s+)*([^\W\d_]+)")
_BEFORE_REVERSED = re.compile(r"\s*+:?\s*+(?:(?:si|saw|era|fo|ta|sah)(?![^\W\d_])\s*+)?([^\W\d_]++)")
r"""The word before a count ("refills: 3", "score is 684"), matched on the reversed text from the count backwards:
``([^\W\d_]+)\s*(?:(?:is|was|are|of|at|has)\s*)?:?\s*$`` read right to left, so finding it costs the length
of the words it reads, not of all the text before the count."""


@dataclass(frozen=True)
class ClaimCheck:
    """One claim in a reply, and whether the persona backs it."""

    kind: ClaimKind
    text: str
    start: int
    end: int
    grounded: bool
    field: str | None
    """The first persona field (prompt order) that backs the claim, e.g. ``checking_balance``."""
    fields: tuple[str, ...] = ()
    """Every field that backs it (one amount can be two facts, e.g. a deductible met and the out-of-pocket spent)."""
    exact: bool = False
    """Spelled exactly as the prompt spells the fact."""


@dataclass(frozen=True)
class GroundingReport:
    """The claims of one reply, in order of appearance."""

    text: str
    claims: tuple[ClaimCheck, ...]

    @property
    def grounded(self) -> tuple[ClaimCheck, ...]:
        """Claims the persona backs."""
        return tuple(c for c in self.claims if c.grounded)

    @property
    def ungrounded(self) -> tuple[ClaimCheck, ...]:
        """Claims the persona does not back: invented, altered or misquoted figures."""
        return tuple(c for c in self.claims if not c.grounded)

    @property
    def ok(self) -> bool:
        """Every claim is grounded (a reply without claims is ok)."""
        return not self.ungrounded

    @property
    def grounded_share(self) -> float:
        """Grounded claims / all claims (1.0 when there are none)."""
        return len(self.grounded) / len(self.claims) if self.claims else 1.0

    def __str__(self) -> str:
        lines = [f"{len(self.grounded)}/{len(self.claims)} claims grounded"]
        lines += [
            f"  {'ok ' if c.grounded else 'NO '} {c.kind:<10} {c.text!r}" + (f" -> {c.field}" if c.field else "")
            for c in self.claims
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Index:
    by_text: dict[str, list[str]]
    by_value: dict[tuple[str, object], list[str]]
    amounts: tuple[tuple[Decimal, str], ...] = ()
    """(value, field) of each amount fact written in full, in prompt order: what a rounded amount is checked against."""


def _unsigned(text: str) -> str:
    return text.lstrip("-\u2212\u2013 \u00a0")


def _index(persona: Persona) -> _Index:
    extract = extractor_for(persona.identity.locale, persona.identity.currency)
    by_text: dict[str, list[str]] = defaultdict(list)
    by_value: dict[tuple[str, object], list[str]] = defaultdict(list)
    amounts: list[tuple[Decimal, str]] = []
    for fact in persona_facts(persona):
        for claim in extract(fact.text):
            if claim.kind == "amount" and claim.quantum is None and isinstance(claim.value, Decimal):
                amounts.append((claim.value, fact.field))
            for key in {claim.text, _unsigned(claim.text)}:
                if fact.field not in by_text[key]:
                    by_text[key].append(fact.field)
            if claim.value is not None and fact.field not in by_value[(claim.kind, claim.value)]:
                by_value[(claim.kind, claim.value)].append(fact.field)
    return _Index(dict(by_text), dict(by_value), tuple(amounts))


def _count_filter(text: str, reversed_text: str, claim: RawClaim) -> re.Pattern[str] | None:
    """The fields a count may match, from the noun right after it (or right before it)."""
    after = _AFTER.match(text, claim.end)
    before = _BEFORE_REVERSED.match(reversed_text, len(text) - claim.start)
    for word in (after.group(1) if after else None, before.group(1)[::-1] if before else None):
        if word is None:
            continue
        for noun, fields in _count_context():
            if noun.match(word):
                return fields
    return None


_ROW = re.compile(r"^[a-z_.]+\[[^\]]+\]")
"""A list row or a keyed derived row: ``recent_transactions[3]``, ``derived.spending[Shopping]``."""


def _order(fields: tuple[str, ...], rows: tuple[str, ...]) -> tuple[str, ...]:
    """Fields of the rows the line is about first (in their order), then stored fields, then derived ones."""

    def rank(field: str) -> int:
        return next((i for i, row in enumerate(rows) if field.startswith(row)), len(rows))

    return tuple(sorted(fields, key=lambda f: (rank(f), f.startswith("derived."))))


def _rounds_to(amount: Decimal, quantum: Decimal, value: Decimal) -> bool:
    """``amount`` rounded half-up to a multiple of ``quantum`` is ``value``: 1,549,999.99 -> 1.5M at 100,000."""
    try:
        return (amount / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum == value
    except InvalidOperation:  # more digits than the context holds: not a figure anyone rounds
        return False


def _check_rounded(claim: RawClaim, quantum: Decimal, index: _Index, rows: tuple[str, ...]) -> ClaimCheck:
    """A rounded amount ("$1.5M"): grounded, never exact, by the amount facts that round to it, nearest first."""
    distance: dict[str, Decimal] = {}
    if isinstance(claim.value, Decimal):
        for amount, field in index.amounts:
            if _rounds_to(amount, quantum, claim.value):
                gap = abs(amount - claim.value)
                distance[field] = min(gap, distance.get(field, gap))
    close = tuple(sorted(_order(tuple(distance), rows), key=distance.__getitem__))
    return ClaimCheck(claim.kind, claim.text, claim.start, claim.end, bool(close), close[0] if close else None, close)


def _check(
    text: str, reversed_text: str, claim: RawClaim, index: _Index, rows: tuple[str, ...] = ()
) -> ClaimCheck:
    if claim.quantum is not None:
        return _check_rounded(claim, claim.quantum, index, rows)
    allowed = _count_filter(text, reversed_text, claim) if claim.kind == "count" else None

    def keep(fields: list[str]) -> tuple[str, ...]:
        return _order(tuple(f for f in fields if allowed is None or allowed.search(f)), rows)

    exact = keep(index.by_text.get(claim.text, []) or index.by_text.get(_unsigned(claim.text), []))
    if exact:
        return ClaimCheck(claim.kind, claim.text, claim.start, claim.end, True, exact[0], exact, exact=True)
    kinds = ("count", "id") if claim.kind in {"count", "id"} else (claim.kind,)  # "ends in 8659" vs the fact "8659"
    close: tuple[str, ...] = ()
    if claim.value is not None:
        close = tuple(f for kind in kinds for f in keep(index.by_value.get((kind, claim.value), [])))
    return ClaimCheck(claim.kind, claim.text, claim.start, claim.end, bool(close), close[0] if close else None, close)


class GroundingCheck:
    """The grounding check bound to one persona: its facts are indexed once, then any number of replies checked."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self._extract = extractor_for(persona.identity.locale, persona.identity.currency)
        self._index = _index(persona)

    def check(self, text: str) -> GroundingReport:
        """Every factual claim in ``text``, each marked grounded or not, with the field it matched.

        Within a line, a claim that several rows back is attributed to a row the line's earlier
        claim came from ("Simvastatin 20 mg": the dosage of the Simvastatin row; "Shopping: $33.06
        (2 transactions)": the count of the Shopping row, even when another category also has 2).
        Every row backing that earlier claim counts, not only its first field's: a one-transaction
        category total is also that transaction's amount.
        """
        checks: list[ClaimCheck] = []
        rows: tuple[str, ...] = ()
        line, counted, newlines = -1, 0, 0
        reversed_text = text[::-1]
        for claim in self._extract(text):  # in order of appearance: lines are counted once, left to right
            newlines += text.count("\n", counted, claim.start)
            counted = max(counted, claim.start)
            if newlines != line:
                rows, line = (), newlines
            check = _check(text, reversed_text, claim, self._index, rows)
            if found := tuple(dict.fromkeys(m.group(0) for f in check.fields if (m := _ROW.match(f)))):
                rows = found
            checks.append(check)
        return GroundingReport(text, tuple(checks))

    def claims(self, text: str) -> Iterator[RawClaim]:
        """The raw claims in ``text``, as :meth:`check` extracts them (no lookup)."""
        yield from self._extract(text)


def check_reply(persona: Persona, text: str) -> GroundingReport:
    """Every factual claim in ``text``, each marked grounded in ``persona`` or not, with the field it matched."""
    return GroundingCheck(persona).check(text)
