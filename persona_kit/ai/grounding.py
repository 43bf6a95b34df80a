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

A figure whose own words name fields ("your checking balance is $X", "3 open
claims"; :mod:`persona_kit.ai.subjects`) is grounded only by one of those
fields, so the savings balance quoted as the checking balance is caught
(``named``, ``value_of``). Signs count: "-$920.58" and "minus $920.58" are not
"$920.58"; an unsigned amount in a sentence about money going out ("you paid
$920.58") may be the size of a debit. Numbers in words before a count noun
("three open claims") are counts (:mod:`persona_kit.ai.number_words`). The check
is linear in the text, and a text over :data:`MAX_CHECK_CHARS` is reported
``too_long`` without being read.

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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from persona_kit.ai.claims import COMMON_COUNT_NOUNS, ClaimKind, RawClaim, extractor_for
from persona_kit.ai.subjects import FieldNames, Subject, subject_after, subject_before
from persona_kit.facts import persona_facts
from persona_kit.generate import Persona
from persona_kit.industries import industries

MAX_CHECK_CHARS = 128 * 1024
"""The longest text :meth:`GroundingCheck.check` reads (characters, twice the largest inbound message); a longer
one gets a report with ``too_long`` set and no claims, so nobody waits on a text no reply is ever that long."""
NAMED_KINDS: frozenset[ClaimKind] = frozenset({"amount", "percentage", "count", "date"})
"""Claims whose subject words are read: the figure must be the value of a field those words name."""
_TRANSPARENT: frozenset[ClaimKind] = frozenset({"id", "provider", "medication"})
"""Claims that are names, not figures: a clause reads on through them ("your Home (HO-1234ABCD) policy is")."""


@cache
def _count_context() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """Count nouns and the fields a count next to them may match: every industry's (``Industry.count_nouns``).

    A noun several industries use ("score") may match any of their fields.
    """
    by_noun: dict[str, list[str]] = {}
    for record in industries().values():
        for noun, fields in record.count_nouns:
            by_noun.setdefault(noun, []).append(fields)
    for noun, fields in COMMON_COUNT_NOUNS:
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
    subject: str = ""
    """The words before the claim that name its field ("checking balance"); "" when they name none."""
    named: tuple[str, ...] = ()
    """The fields those words name: the claim is grounded only by one of them. Empty: any field may back it."""
    value_of: tuple[str, ...] = ()
    """For a claim the named fields do not back: the fields whose value it is (the right figure, the wrong name)."""

    @property
    def note(self) -> str:
        """What backs the claim, in a few words: its field, "not in the persona", or the field it was named as."""
        if self.field:
            return self.field
        if self.value_of:
            return f"named {self.named[0]}{' ...' if len(self.named) > 1 else ''}, but it is {self.value_of[0]}"
        return "not in the persona"


@dataclass(frozen=True)
class GroundingReport:
    """The claims of one reply, in order of appearance."""

    text: str
    claims: tuple[ClaimCheck, ...]
    too_long: bool = False
    """The text was longer than :data:`MAX_CHECK_CHARS` and was not read: no claims, and not ``ok``."""

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
        """Every claim is grounded (a reply without claims is ok; a text too long to check is not)."""
        return not self.too_long and not self.ungrounded

    @property
    def grounded_share(self) -> float:
        """Grounded claims / all claims (1.0 when there are none)."""
        return len(self.grounded) / len(self.claims) if self.claims else 1.0

    def __str__(self) -> str:
        if self.too_long:
            return f"not checked: {len(self.text):,} characters, over the {MAX_CHECK_CHARS:,}-character limit"
        lines = [f"{len(self.grounded)}/{len(self.claims)} claims grounded"]
        for c in self.claims:
            line = f"  {'ok ' if c.grounded else 'NO '} {c.kind:<10} {c.text!r}" + (f" -> {c.field}" if c.field else "")
            if c.named and not c.grounded:
                line += f" (named {', '.join(c.named[:3])}{', ...' if len(c.named) > 3 else ''} by {c.subject!r}"
                line += f"; it is {', '.join(c.value_of[:3])})" if c.value_of else ")"
            lines.append(line)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Index:
    by_text: dict[str, list[str]]
    by_value: dict[tuple[str, object], list[str]]
    amounts: tuple[tuple[Decimal, str], ...] = ()
    """(value, field) of each amount fact written in full, in prompt order: what a rounded amount is checked against."""
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)
    """Field -> the kinds of claim its fact holds: a subject names only fields of the claim's kind."""
    names: FieldNames = field(default_factory=lambda: FieldNames.of(()))


def _index(persona: Persona) -> _Index:
    extract = extractor_for(persona.identity.locale, persona.identity.currency)
    by_text: dict[str, list[str]] = defaultdict(list)
    by_value: dict[tuple[str, object], list[str]] = defaultdict(list)
    amounts: list[tuple[Decimal, str]] = []
    kinds: dict[str, set[str]] = defaultdict(set)
    facts = persona_facts(persona)
    for fact in facts:
        for claim in extract(fact.text):
            kinds[fact.field].add(claim.kind)
            if claim.kind == "amount" and claim.quantum is None and isinstance(claim.value, Decimal):
                amounts.append((claim.value, fact.field))
            if fact.field not in by_text[claim.text]:
                by_text[claim.text].append(fact.field)
            if claim.value is not None and fact.field not in by_value[(claim.kind, claim.value)]:
                by_value[(claim.kind, claim.value)].append(fact.field)
    names = FieldNames.of([(fact.field, fact.label) for fact in facts])
    frozen = {f: frozenset(k) for f, k in kinds.items()}
    return _Index(dict(by_text), dict(by_value), tuple(amounts), frozen, names)


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

    if len(fields) < 2:
        return fields

    def rank(field: str) -> int:
        return next((i for i, row in enumerate(rows) if field.startswith(row)), len(rows))

    return tuple(sorted(fields, key=lambda f: (rank(f), f.startswith("derived."))))


def _rounds_to(amount: Decimal, quantum: Decimal, value: Decimal) -> bool:
    """``amount`` rounded half-up to a multiple of ``quantum`` is ``value``: 1,549,999.99 -> 1.5M at 100,000."""
    try:
        return (amount / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum == value
    except InvalidOperation:  # more digits than the context holds: not a figure anyone rounds
        return False


def _values(claim: RawClaim, subject: Subject) -> tuple[object, ...]:
    """The values a claim may stand for: its own, signed; an unsigned amount in a sentence about money going out
    ("you paid $920.58") may also be the size of a debit the prompt writes "-$920.58"."""
    if claim.value is None:
        return ()
    if claim.kind == "amount" and not claim.sign and subject.outgoing and isinstance(claim.value, Decimal):
        return (claim.value, -claim.value)
    return (claim.value,)


def _rounded_fields(claim: RawClaim, quantum: Decimal, values: tuple[object, ...], index: _Index) -> list[str]:
    """Amount facts that round to a rounded amount ("$1.5M"), nearest first."""
    distance: dict[str, Decimal] = {}
    for value in values:
        if isinstance(value, Decimal):
            for amount, fact_field in index.amounts:
                if _rounds_to(amount, quantum, value):
                    gap = abs(amount - value)
                    distance[fact_field] = min(gap, distance.get(fact_field, gap))
    return sorted(distance, key=distance.__getitem__)


def _narrow(named: tuple[str, ...], rows: tuple[str, ...]) -> tuple[str, ...]:
    """Named row fields of a table the clause names a row of ("your Home (HO-1234ABCD) policy"): that row's only."""
    tables = {row.split("[", 1)[0] for row in rows}
    kept = []
    for name in named:
        row = _ROW.match(name)
        if row is None or row.group(0).split("[", 1)[0] not in tables or row.group(0) in rows:
            kept.append(name)
    return tuple(kept)


@dataclass(frozen=True)
class _Context:
    """What the text around a claim says: the rows its line is about, its subject and the fields that names."""

    rows: tuple[str, ...] = ()
    subject: Subject = field(default_factory=Subject)
    named: tuple[str, ...] = ()


def _check(text: str, reversed_text: str, claim: RawClaim, index: _Index, context: _Context) -> ClaimCheck:
    allowed = _count_filter(text, reversed_text, claim) if claim.kind == "count" else None
    values = _values(claim, context.subject)
    named = set(context.named)

    def keep(fields: list[str], by_name: bool = True) -> tuple[str, ...]:
        chosen = (
            f for f in fields if (allowed is None or allowed.search(f)) and (not by_name or not named or f in named)
        )
        return _order(tuple(dict.fromkeys(chosen)), context.rows)

    def lookup(by_name: bool) -> tuple[bool, tuple[str, ...]]:
        if claim.quantum is not None:
            close = keep(_rounded_fields(claim, claim.quantum, values, index), by_name)
            distance = {f: i for i, f in enumerate(_rounded_fields(claim, claim.quantum, values, index))}
            return False, tuple(sorted(close, key=distance.__getitem__))
        if exact := keep(index.by_text.get(claim.text, []), by_name):
            return True, exact
        kinds = ("count", "id") if claim.kind in {"count", "id"} else (claim.kind,)  # "ends in 8659" vs "8659"
        return False, keep([f for v in values for kind in kinds for f in index.by_value.get((kind, v), [])], by_name)

    exact, fields = lookup(by_name=True)
    value_of = lookup(by_name=False)[1] if named and not fields else ()
    return ClaimCheck(
        claim.kind,
        claim.text,
        claim.start,
        claim.end,
        bool(fields),
        fields[0] if fields else None,
        fields,
        exact=exact,
        subject=context.subject.text if context.named else "",
        named=context.named,
        value_of=value_of,
    )


class GroundingCheck:
    """The grounding check bound to one persona: its facts are indexed once, then any number of replies checked."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self._extract = extractor_for(persona.identity.locale, persona.identity.currency)
        self._index = _index(persona)

    def check(self, text: str) -> GroundingReport:
        """Every factual claim in ``text``, each marked grounded or not, with the field it matched.

        A figure whose subject names fields ("your checking balance is ...") is grounded only by one of
        them (:mod:`persona_kit.ai.subjects`). Within a line, a claim that several rows back is
        attributed to a row the line's earlier claim came from ("Simvastatin 20 mg": the dosage of the
        Simvastatin row; "Shopping: $33.06 (2 transactions)": the count of the Shopping row, even when
        another category also has 2). Every row backing that earlier claim counts, not only its first
        field's: a one-transaction category total is also that transaction's amount.

        A text longer than :data:`MAX_CHECK_CHARS` is not read: the report says so (``too_long``).
        """
        given: object = text  # callers outside the type checker pass anything
        if not isinstance(given, str):
            msg = f"check() takes the reply text as a str, got {type(given).__name__}"
            raise TypeError(msg)
        if len(text) > MAX_CHECK_CHARS:
            return GroundingReport(text, (), too_long=True)
        checks: list[ClaimCheck] = []
        rows: tuple[str, ...] = ()
        line, counted, newlines = -1, 0, 0
        floor, after_figure = 0, False
        named_row: tuple[int, tuple[str, ...]] = (-1, ())
        reversed_text = text[::-1]
        for claim in self._extract(text):  # in order of appearance: lines are counted once, left to right
            newlines += text.count("\n", counted, claim.start)
            counted = max(counted, claim.start)
            if newlines != line:
                rows, line = (), newlines
            check = _check(
                text,
                reversed_text,
                claim,
                self._index,
                self._context(text, claim, rows, floor, after_figure, named_row),
            )
            found = tuple(dict.fromkeys(m.group(0) for f in check.fields if (m := _ROW.match(f))))
            if found:
                rows = found
            if claim.kind in _TRANSPARENT:
                named_row = (claim.start, found) if found else named_row
            else:
                floor, after_figure = claim.end, True
            checks.append(check)
        return GroundingReport(text, tuple(checks))

    def _context(
        self,
        text: str,
        claim: RawClaim,
        rows: tuple[str, ...],
        floor: int,
        after_figure: bool,
        named_row: tuple[int, tuple[str, ...]],
    ) -> _Context:
        if claim.kind not in NAMED_KINDS:
            return _Context(rows)
        names, kinds = self._index.names, self._index.kinds
        if claim.kind == "count":  # "3 open claims": the words after a count name it first
            after = subject_after(text, claim.end)
            if after.words and (named := names.named(after, claim.kind, kinds)):
                return _Context(rows, after, self._summary_first(named, rows))
        money = claim.kind == "amount" and not claim.sign
        subject = subject_before(text, claim.start, floor, after_figure, money=money)
        if not subject.words:
            return _Context(rows, subject)
        named = names.named(subject, claim.kind, kinds)
        if named and named_row[0] >= subject.start:
            named = _narrow(named, named_row[1])
        return _Context(rows, subject, self._summary_first(named, rows))

    def _summary_first(self, named: tuple[str, ...], rows: tuple[str, ...]) -> tuple[str, ...]:
        """A list row's field labelled like a summary field ("Transactions": a category's count and the count of
        all) is named only on a line about that list ("Shopping: $33.06 (2 transactions)"), not in "9 transactions"."""
        labels = self._index.names.labels
        summaries = {labels[f] for f in named if not _ROW.match(f)}
        tables = {row.split("[", 1)[0] for row in rows}
        return tuple(
            f
            for f in named
            if not ((m := _ROW.match(f)) and labels[f] in summaries and m.group(0).split("[", 1)[0] not in tables)
        )

    def claims(self, text: str) -> Iterator[RawClaim]:
        """The raw claims in ``text``, as :meth:`check` extracts them (no lookup)."""
        yield from self._extract(text)


def check_reply(persona: Persona, text: str) -> GroundingReport:
    """Every factual claim in ``text``, each marked grounded in ``persona`` or not, with the field it matched."""
    return GroundingCheck(persona).check(text)
