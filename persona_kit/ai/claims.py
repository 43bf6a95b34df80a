"""Finding factual claims in text: amounts, percentages, counts, dates, times, ids, dosages, providers, medications.

One extractor per (locale, currency), built from CLDR data (Babel) and the
vocabularies in ``data/``: the currency's symbols, the locale's medium date
pattern and month names, how the locale writes doctors' names. Patterns run
from most to least specific and a span is claimed once, so "Jun 9, 2026" is one
date, not a count of 9 and a count of 2026. Each claim carries a normalised
value, so a figure written another way can still be recognised.

Amounts rounded to a magnitude ("$1.5M", "$250K", "1.5 million dollars",
"2,5 Mio. €", "150万円") are amount claims too: their value is the number times
the magnitude, and ``quantum`` is the step the writer rounded to (one unit of
the last written digit times the magnitude: 100,000 for "$1.5M", 1,000 for
"$250K"). A magnitude needs a currency (a symbol or code before the number, or a
symbol, code or currency name after the magnitude), so "1.5 million" alone is
not an amount.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Literal

from babel import Locale
from babel.numbers import get_currency_name, get_currency_symbol, get_decimal_symbol

from persona_kit.ai.number_words import number_words_pattern, read_number_words
from persona_kit.ai.subjects import GroundingWords, grounding_words
from persona_kit.data import locale_spec
from persona_kit.industries import industries

_SPACE = r"[\s\u00a0\u202f]"
_GROUPS = 8
"""Digit groups a figure may have after its first (1 000 000 000 000 000 000 000 000 at most). A figure may start
after a space inside a longer run of groups, so an unbounded run would be rescanned from every group in it."""
_NUM = rf"\d{{1,3}}(?:[,.\u00a0\u202f ']\d{{3}}){{1,{_GROUPS}}}(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?"
_NAME = r"[^\W\d_][^\W\d_]*(?:['\u2019-][^\W\d_]+)*"
_NAME_BEFORE_TITLE = r"(?:(?<![^\W\d_])|(?<=医師))[^\W\d_]{1,40}(?:['\u2019-][^\W\d_]{1,40}){0,3}"
"""A name written before a title ("山田 太郎 医師"), which nothing before it anchors: it starts a word (or follows an
earlier "医師") and is at most 40 letters a part, so no run of letters is rescanned from every letter in it."""
_EXTRA_SYMBOLS = {"USD": ("$", "US$"), "JPY": ("¥", "￥", "円"), "EUR": ("€",), "GBP": ("£",)}
_CURRENCY_WORDS = {
    "USD": ("dollar", "dollars", "bucks"),
    "EUR": ("euro", "euros"),
    "GBP": ("pound", "pounds", "pounds sterling", "quid"),
    "JPY": ("yen",),
}
"""Currency names written after an amount ("1.5 million dollars"), besides CLDR's names in the locale and English."""

# Magnitudes as powers of ten. Letters are case-sensitive and written right after the digits ("$1.5M", "250 k€"
# only when a currency follows); words and abbreviations are case-insensitive and may follow a space.
_MAGNITUDE_LETTERS = {
    "K": 3, "k": 3, "M": 6, "m": 6, "MM": 6, "B": 9, "b": 9, "T": 12, "千": 3, "万": 4, "億": 8, "兆": 12,
}  # fmt: skip
_MAGNITUDE_WORDS = {
    "thousand": 3, "tausend": 3, "million": 6, "millions": 6, "millionen": 6, "billion": 9, "billions": 9,
    "milliarde": 9, "milliarden": 9, "milliard": 9, "milliards": 9, "trillion": 12, "trillions": 12,
}  # fmt: skip
_MAGNITUDE_ABBREVIATIONS = {"tsd": 3, "mn": 6, "mln": 6, "mio": 6, "bn": 9, "mrd": 9, "md": 9, "mds": 9, "tn": 12}
"""Written with or without a full stop: "Mio." and "Mio"."""
_CJK = "\u3040-\u30ff\u3400-\u9fff\uff01-\uffee"
_ROUNDED_NUM = rf"\d{{1,3}}(?:[,.\u00a0\u202f ']\d{{3}}){{1,{_GROUPS}}}(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


COMMON_COUNT_NOUNS = ((r"years?", r"^identity\.age$"),)
"""Count nouns of every industry (besides ``Industry.count_nouns``): "29 years" is an age."""

ClaimKind = Literal["amount", "percentage", "count", "date", "time", "id", "phone", "dosage", "provider", "medication"]


@dataclass(frozen=True)
class RawClaim:
    """A claim found in text: its kind, span and normalised value (None when it cannot be read)."""

    kind: ClaimKind
    text: str
    start: int
    end: int
    value: object = None
    """None when the claim cannot be read, or is an amount in another currency than the persona's."""
    quantum: Decimal | None = None
    """For an amount rounded to a magnitude ("$1.5M"), the step it was rounded to (100000); None if written in full."""
    sign: Literal["", "-", "+"] = ""
    """The sign written on an amount or percentage ("-$920.58", "minus $920.58", "+$5.00"); "" when none is."""


def _number(text: str, decimal: str) -> Decimal | None:
    group = "," if decimal == "." else "."
    digits = re.sub(r"[\s\u00a0\u202f']", "", text).replace(group, "").replace(decimal, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _rounded_number(text: str, decimal: str) -> tuple[Decimal, int] | None:
    """The number before a magnitude and its count of decimal places: "1.5" -> (1.5, 1), "1,500" -> (1500, 0).

    The last separator is the decimal point when it is the locale's, or when it occurs once and is not followed
    by exactly three digits: "1,5 Mio." is 1.5 in any locale, while "1.125M" is 1.125 in English and 1125 in German.
    """
    digits = re.sub(r"[\s\u00a0\u202f']", "", text)
    last = max(digits.rfind(","), digits.rfind("."))
    whole, fraction = digits, ""
    if last >= 0:
        point = digits[last]
        if digits.count(point) == 1 and (point == decimal or len(digits) - last - 1 != 3):
            whole, fraction = digits[:last], digits[last + 1 :]
    whole = whole.replace(",", "").replace(".", "")
    try:
        return Decimal(f"{whole}.{fraction}" if fraction else whole), len(fraction)
    except InvalidOperation:
        return None


def _magnitude(suffix: str) -> int:
    """The power of ten a magnitude suffix stands for: "M" -> 6, "Mio." -> 6, "万" -> 4."""
    if suffix in _MAGNITUDE_LETTERS:
        return _MAGNITUDE_LETTERS[suffix]
    word = suffix.rstrip(".").casefold()
    return _MAGNITUDE_WORDS.get(word) or _MAGNITUDE_ABBREVIATIONS[word]


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of ``words``, longest first so "MM" wins over "M"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _months(locale: str) -> dict[str, int]:
    names: dict[str, int] = {}
    loc = Locale.parse(locale)
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):
            for number, name in loc.months[context][width].items():
                names[name.casefold()] = number
                names[name.casefold().rstrip(".")] = number
    for number, name in Locale.parse("en").months["format"]["wide"].items():
        names.setdefault(name.casefold(), number)
    return names


def _date_regex(locale: str, months: dict[str, int]) -> str:
    """The locale's medium date pattern (``MMM d, y``, ``dd.MM.y``, ``y/MM/dd``) as a regular expression."""
    pattern = Locale.parse(locale).date_formats["medium"].pattern
    month_names = "|".join(re.escape(n) + r"\.?" for n in sorted(months, key=len, reverse=True))
    out = []
    for token in re.finditer(r"'[^']*'|([a-zA-Z])\1*|[^a-zA-Z']+", pattern):
        piece = token.group(0)
        if piece.startswith("'"):
            out.append(re.escape(piece.strip("'")))
        elif piece[0] == "y":
            out.append(r"(?P<y>\d{4})")
        elif piece[0] in "ML" and len(piece) >= 3:
            out.append(rf"(?P<mn>{month_names})")
        elif piece[0] in "ML":
            out.append(r"(?P<m>\d{1,2})")
        elif piece[0] == "d":
            out.append(r"(?P<d>\d{1,2})")
        elif piece[0].isalpha():
            out.append(r"\S+")
        else:
            out.append("".join(_SPACE + "+" if ch.isspace() else re.escape(ch) for ch in piece))
    return "".join(out)


@dataclass(frozen=True)
class ClaimExtractor:
    """Claim patterns for one locale and currency, tried in order; call it on a text."""

    locale: str
    patterns: tuple[tuple[ClaimKind, re.Pattern[str]], ...]
    months: dict[str, int]
    decimal: str
    medications: dict[str, str]
    currency_spellings: frozenset[str] = frozenset()
    """The persona's currency as written (casefolded symbols, code and names); other currencies have no value."""
    words: GroundingWords | None = None
    """Number words ("three", "a dozen"): read as counts before a count noun."""

    def __call__(self, text: str) -> Iterator[RawClaim]:
        """Claims in order of appearance; overlapping matches go to the earlier (more specific) pattern."""
        taken: list[RawClaim] = []
        owned = bytearray(len(text))  # 1 where a claim already holds the character: overlap is one find
        for kind, pattern in self.patterns:
            for m in pattern.finditer(text):
                start, end = m.span("c") if "c" in pattern.groupindex else m.span()
                if start == end or owned.find(1, start, end) >= 0:
                    continue
                span = text[start:end]
                if kind == "phone" and sum(ch.isdigit() for ch in span) < 8:
                    continue
                if kind == "provider":
                    span = _trim_name(span)
                    end = start + len(span)
                sign = _sign(m)
                if m.groupdict().get("x1") or m.groupdict().get("x2"):
                    rounded = self._rounded(m, sign)
                    if rounded is None:
                        continue
                    claim = RawClaim(kind, span, start, end, *rounded, sign=sign)
                else:
                    words = m.groupdict().get("w")
                    value = self._word_number(words) if words else self._value(kind, span, m, sign)
                    claim = RawClaim(kind, span, start, end, value, sign=sign)
                taken.append(claim)
                owned[start:end] = b"\x01" * (end - start)
        yield from sorted(taken, key=lambda c: c.start)

    def _value(self, kind: ClaimKind, span: str, m: re.Match[str], sign: str) -> object:
        groups = m.groupdict()
        if kind in {"amount", "percentage", "count"}:
            value = self._quantity(kind, groups.get("n1") or groups.get("n2") or groups.get("n") or span)
            return -value if value is not None and sign == "-" else value
        if kind == "date":
            return self._date(groups)
        if kind == "time":
            hour, minute = int(groups["h"]), int(groups["mi"])
            ampm = (groups.get("ap") or "").lower().replace(".", "")
            return f"{hour % 12 + (12 if ampm == 'pm' else 0) if ampm else hour:02d}:{minute:02d}"
        if kind == "medication":
            return self.medications.get(span.casefold())
        if kind == "phone":
            return "".join(ch for ch in span if ch.isdigit())
        return " ".join(span.split()).casefold()  # ids, dosages, providers: compared as written, case aside

    def _word_number(self, text: str) -> Decimal | None:
        return None if self.words is None else read_number_words(self.words, text)

    def _rounded(self, m: re.Match[str], sign: str) -> tuple[Decimal | None, Decimal] | None:
        """(value, quantum) of an amount with a magnitude: "$1.5M" -> (1500000, 100000), "-$1.5M" -> (-1500000, ...).

        The value is None for an amount in another currency ("€2M" to a dollar persona): no fact can back it.
        """
        side = "1" if m.group("x1") else "2"
        read = _rounded_number(m.group("a" + side), self.decimal)
        if read is None:
            return None
        number, places = read
        power = _magnitude(m.group("x" + side))
        own = m.group("s" + side).casefold() in self.currency_spellings
        value = abs(number.scaleb(power)).normalize()
        return (-value if sign == "-" else value) if own else None, Decimal(1).scaleb(power - places)

    def _quantity(self, kind: ClaimKind, num: str) -> Decimal | None:
        if kind == "count" and len(num) > 1 and num.startswith("0") and num[1].isdigit():
            return None  # "04" is a code or part of a number, not the count 4
        value = _number(num, self.decimal)
        return None if value is None else abs(value).normalize()

    def _date(self, groups: dict[str, str | None]) -> dt.date | None:
        try:
            number, name, year, day = groups.get("m"), groups.get("mn"), groups.get("y"), groups.get("d")
            month = int(number) if number else self.months.get((name or "").casefold().rstrip("."))
            if month is None or not year or not day:
                return None
            return dt.date(int(year), month, int(day))
        except (ValueError, KeyError):
            return None


def _sign(m: re.Match[str]) -> Literal["", "-", "+"]:
    """The sign written on a figure: a minus glued to it or to its currency symbol, or a word such as "minus"."""
    names = m.re.groupindex
    if "sg" not in names:
        return ""
    if m.group("mw") or m.group("sg") in {"-", "\u2212"} or ("sg2" in names and m.group("sg2")):
        return "-"
    return "+" if m.group("sg") == "+" else ""


def _count_nouns() -> str:
    """Every industry's count nouns (``Industry.count_nouns``) and the common ones, as one alternation."""
    nouns = [noun for record in industries().values() for noun, _ in record.count_nouns]
    return "|".join(f"(?:{noun})" for noun in [*nouns, *(noun for noun, _ in COMMON_COUNT_NOUNS)])


def _trim_name(span: str) -> str:
    """Drop trailing words that are not capitalised: "Dr. Garcia said" is a name and a verb."""
    words = span.split()
    while len(words) > 2 and words[-1] != "医師" and not words[-1][0].isupper() and words[-1][0].isascii():
        words.pop()
    return span[: span.rfind(words[-1]) + len(words[-1])]


def _medications() -> dict[str, str]:
    """Named items (medications) every industry declares (``Industry.claim_terms``), by casefolded spelling."""
    names: dict[str, str] = {}
    for record in industries().values():
        for name in record.claim_terms():
            names[name.casefold()] = name
            names.setdefault(name.split()[0].casefold(), name)
    return names


def _spellings(currency: str, locale: str) -> tuple[set[str], set[str]]:
    """How ``currency`` is written next to a figure: (symbols and ISO code, names such as "dollars" or "Euro")."""
    symbols = {str(get_currency_symbol(currency, where)) for where in (locale, "en")} | {currency}
    symbols.update(_EXTRA_SYMBOLS.get(currency, ()))
    names = {str(get_currency_name(currency, count, where)) for count in (1, 2) for where in (locale, "en")}
    return symbols, (names | set(_CURRENCY_WORDS.get(currency, ()))) - symbols


@cache
def extractor_for(locale: str, currency: str) -> ClaimExtractor:
    """The claim extractor for a persona's locale and currency (built once per pair)."""
    spec = locale_spec(locale)
    months = _months(locale)
    symbols, words = _spellings(currency, locale)
    symbols.add(spec.currency_symbol)
    sym = _alternation(symbols)
    other_symbols: set[str] = set()
    other_words: set[str] = set()
    for other in _EXTRA_SYMBOLS.keys() - {currency}:
        more_symbols, more_words = _spellings(other, "en")
        other_symbols |= more_symbols
        other_words |= more_words
    any_sym = _alternation(symbols | other_symbols)
    any_word = _alternation((words | other_words) - symbols - other_symbols)
    own = frozenset(n.casefold() for n in symbols | words)
    mag = (
        rf"(?i:{_alternation(_MAGNITUDE_WORDS)}|(?:{_alternation(_MAGNITUDE_ABBREVIATIONS)})\.?)"
        rf"|{_alternation(_MAGNITUDE_LETTERS)}"
    )
    spaced = rf"(?:{_SPACE}(?=(?i:{_alternation(_MAGNITUDE_WORDS)}|{_alternation(_MAGNITUDE_ABBREVIATIONS)})))?"
    # Next to Japanese text a figure needs no space: "残高は150万円です".
    cjk_lead = rf"(?:(?<=[{_CJK}])|(?<![\w.,]))"
    cjk_tail = rf"(?:(?<=[{_CJK}])|(?![^\W_]))(?![.,]?\d)"
    meds = _medications()
    med_names = "|".join(re.escape(n) for n in sorted(meds, key=len, reverse=True))
    lead = r"(?<![\w.,])"
    tail = r"(?![\w]|[.,]\d)"
    lists = grounding_words()
    # A sign is glued to the figure or its symbol ("-$920.58", "$-920.58", "-920,58 €") or a word ("minus $920.58");
    # a dash with a space after it ("- $45.20") is a bullet or a dash, not a sign.
    minus = rf"(?P<mw>(?i:{_alternation(lists.minus_words)})){_SPACE}+"
    title = r"\bDr\.?(?:" + _SPACE + r"+med\.)?" + _SPACE + "+"
    patterns: list[tuple[ClaimKind, str]] = [
        ("id", r"(?<![\w-])[A-Z]{2,4}-[A-Z0-9]{4,}(?![\w-])"),
        ("id", r"(?:ending in|ends in|last (?:four|4) digits(?: are)?:?)" + _SPACE + r"+(?P<c>\d{4})\b"),
        ("provider", rf"(?P<c>{_NAME_BEFORE_TITLE}{_SPACE}{_NAME_BEFORE_TITLE}{_SPACE}医師)"),
        ("provider", rf"{title}{_NAME}(?:{_SPACE}{_NAME}){{0,2}}"),
        ("medication", rf"(?<![\w-])(?:{med_names})(?![\w-])"),
        ("date", lead + _date_regex(locale, months) + r"(?!\d)"),
        (
            "date",
            rf"{lead}(?P<mn>{'|'.join(re.escape(n) for n in sorted(months, key=len, reverse=True))})\.?"
            rf"{_SPACE}+(?P<d>\d{{1,2}}),?{_SPACE}+(?P<y>\d{{4}})(?!\d)",
        ),
        ("date", rf"{lead}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?!\d)"),
        ("time", rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?:{_SPACE}?(?P<ap>[AaPp]\.?[Mm]\.?))?(?![\d:])"),
        (
            "phone",
            rf"(?<![\w+.,/:-])(?P<c>(?:\+\d{{1,3}}{_SPACE}?)?(?:\(\d{{2,5}}\){_SPACE}?)?\d{{1,5}}(?:[-.{_SPACE[1:-1]}]\d{{2,5}}){{1,4}})(?![\w]|[.,/:-]?\d)",
        ),
        ("dosage", rf"{lead}\d+(?:[.,]\d+)?{_SPACE}?(?:mg|mcg|µg|g|ml|mL|IU|units?)(?:/[a-z]+)?(?!\w)"),
        (  # rounded to a magnitude: "$1.5M", "$2.5 million", "1.5 million dollars", "2,5 Mio. €", "150万円"
            "amount",
            rf"{cjk_lead}(?:{minus}|(?P<sg>[-\u2212+]))?(?:(?P<s1>{any_sym}){_SPACE}?(?P<sg2>[-\u2212])?(?P<a1>{_ROUNDED_NUM}){spaced}"
            rf"(?P<x1>{mag})|(?P<a2>{_ROUNDED_NUM}){_SPACE}?(?P<x2>{mag}){_SPACE}?(?P<s2>{any_sym}|(?i:{any_word})))"
            + cjk_tail,
        ),
        (
            "amount",
            rf"(?<![\w.,])(?:{minus}|(?P<sg>[-\u2212+]))?(?:(?:{sym}){_SPACE}?(?P<sg2>[-\u2212])?(?P<n1>{_NUM})|(?P<n2>{_NUM}){_SPACE}?(?:{sym}))"
            r"(?![\w]|[.,]\d)",
        ),
        ("percentage", rf"{lead}(?:{minus}|(?P<sg>[-\u2212+]))?(?P<n>{_NUM}){_SPACE}?(?:%|percent\b|per cent\b)"),
        ("count", rf"(?<![\w.,:/])(?P<n>(?:\d{{1,3}}(?:[,.\u00a0\u202f]\d{{3}})+|\d+)(?:[.,]\d+)?){tail}"),
        ("count", number_words_pattern(lists, _count_nouns())),
    ]
    compiled = tuple(
        (kind, re.compile(rx, re.IGNORECASE if kind in {"medication", "date"} else 0)) for kind, rx in patterns
    )
    return ClaimExtractor(locale, compiled, months, str(get_decimal_symbol(locale)), meds, own, lists)
