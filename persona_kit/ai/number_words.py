"""Small numbers written in words ("three open claims", "twelve transactions", "a dozen refills") as counts.

A number word is a claim only right before a count noun (``Industry.count_nouns``,
up to three adjectives such as "open" or "upcoming" between), so "the one after
that" or "three times daily" are not counts. Zero to ninety-nine and "a dozen"
are read (English, ``data/grounding/en.json``); "no claims" is not read as 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from persona_kit.ai.subjects import GroundingWords

_SPACE = r"[\s\u00a0\u202f]"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def number_words_pattern(lists: GroundingWords, nouns: str) -> str:
    """A regular expression for a number in words followed by one of ``nouns`` (an alternation); group ``w``."""
    units = _alternation(w for w, v in lists.number_words.items() if 1 <= v <= 9)
    tens = _alternation(lists.tens_words)
    small = _alternation(lists.number_words)
    number = rf"(?:a{_SPACE}+)?{re.escape(lists.dozen)}|(?:{tens})(?:[-\s\u00a0\u202f](?:{units}))?|{small}"
    adjectives = _alternation(lists.count_adjectives)
    return (
        rf"(?<![\w'\u2019-])(?P<w>(?i:{number}))(?={_SPACE}+(?:(?i:{adjectives}){_SPACE}+){{0,3}}"
        rf"(?i:{nouns})(?![\w-]))"
    )


def read_number_words(lists: GroundingWords, text: str) -> Decimal | None:
    """The value of a number the pattern found: "three" -> 3, "twenty-one" -> 21, "a dozen" -> 12."""
    parts = [p.casefold() for p in re.split(r"[-\s\u00a0\u202f]+", text) if p.casefold() != "a"]
    if parts == [lists.dozen]:
        return Decimal(12)
    value = lists.tens_words.get(parts[0], lists.number_words.get(parts[0]))
    if value is None:
        return None
    if len(parts) == 2:  # "twenty-one": the pattern lets only a unit follow a tens word
        value += lists.number_words[parts[1]]
    return Decimal(value)


__all__ = ["number_words_pattern", "read_number_words"]
