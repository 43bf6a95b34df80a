"""What the assistant refuses before it reads a message as a records question: security, medical and legal advice.

The guards are data (``data/intents/<lang>/guards.json``): per kind, patterns over the read message and an
in-character reply saying what the assistant can do instead. An industry with its own reply for a kind (a
topic handler named in :data:`GUARD_TOPICS`, such as healthcare's ``medical_advice``, which names the
customer's own clinician) gives that one. Requests to act (transfer, cancel, book) are not here: the intent
reader marks them and the reply refuses while showing what it can see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from persona_kit.data import DataModel, read_json

GUARD_TOPICS = {"security": "security", "medical": "medical_advice", "legal": "legal_advice"}
"""The topic an industry's own handler for a guard kind is filed under."""


class GuardSpec(DataModel):
    """One guard as stored: its kind, patterns and reply template."""

    kind: str
    patterns: list[str]
    alone: list[str] = Field(default_factory=list)
    """Patterns that count only in a message that asks nothing of the records (the file's ``asks`` finds no
    question there): "my arm feels tingly" is refused, "my son broke his arm, what's my deductible?" answered."""
    reply: str


class GuardFile(DataModel):
    """``data/intents/<lang>/guards.json``: ``lists`` are word lists a pattern names as ``{name}``."""

    source: str
    lists: dict[str, list[str]] = Field(default_factory=dict)
    asks: str = "(?!)"
    """A question about the records, which keeps a guard's ``alone`` patterns from counting."""
    guards: list[GuardSpec]


_NAMED = re.compile(r"\{([a-z_]+)\}")
"""A list's name in a pattern; a regular expression's own braces hold digits ("{0,2}"), never a name."""


def _expand(pattern: str, lists: dict[str, list[str]], kind: str) -> str:
    def word_list(m: re.Match[str]) -> str:
        words = lists.get(m.group(1))
        if words is None:
            msg = f"guard {kind!r} names the list {{{m.group(1)}}}, which guards.json does not have: {sorted(lists)}"
            raise ValueError(msg)
        return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"  # longest first

    return _NAMED.sub(word_list, pattern)


@dataclass(frozen=True)
class Guard:
    """A compiled guard: ``reply`` takes ``first_name``, ``company`` and ``topics``."""

    kind: str
    pattern: re.Pattern[str]
    reply: str
    alone: re.Pattern[str] | None = None
    asks: re.Pattern[str] | None = None

    def applies(self, text: str) -> bool:
        """Whether the guard refuses the read message ``text``."""
        if self.pattern.search(text):
            return True
        return (
            self.alone is not None
            and self.asks is not None
            and bool(self.alone.search(text))
            and not self.asks.search(text)
        )


def _either(patterns: list[str], lists: dict[str, list[str]], kind: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_expand(p, lists, kind)})" for p in patterns) or "(?!)")


@cache
def guards(language: str = "en") -> tuple[Guard, ...]:
    """The language's guards, compiled once, in the order they are tried."""
    spec = GuardFile.model_validate(read_json(f"intents/{language}/guards.json"))
    asks = re.compile(spec.asks)
    return tuple(
        Guard(
            g.kind,
            _either(g.patterns, spec.lists, g.kind),
            g.reply,
            _either(g.alone, spec.lists, g.kind) if g.alone else None,
            asks,
        )
        for g in spec.guards
    )


def guard_patterns(language: str = "en") -> list[str]:
    """The guards' pattern sources (their words are words the reader knows)."""
    return [p.pattern for g in guards(language) for p in (g.pattern, g.alone) if p is not None]


def guard_for(text: str, language: str = "en") -> Guard | None:
    """The first guard whose patterns occur in the read message ``text``, or None."""
    return next((g for g in guards(language) if g.applies(text)), None)


__all__ = ["GUARD_TOPICS", "Guard", "guard_for", "guard_patterns", "guards"]
