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

from persona_kit.data import DataModel, read_json

GUARD_TOPICS = {"security": "security", "medical": "medical_advice", "legal": "legal_advice"}
"""The topic an industry's own handler for a guard kind is filed under."""


class GuardSpec(DataModel):
    """One guard as stored: its kind, patterns and reply template."""

    kind: str
    patterns: list[str]
    reply: str


class GuardFile(DataModel):
    """``data/intents/<lang>/guards.json``."""

    source: str
    guards: list[GuardSpec]


@dataclass(frozen=True)
class Guard:
    """A compiled guard: ``reply`` takes ``first_name``, ``company`` and ``topics``."""

    kind: str
    pattern: re.Pattern[str]
    reply: str


@cache
def guards(language: str = "en") -> tuple[Guard, ...]:
    """The language's guards, compiled once, in the order they are tried."""
    spec = GuardFile.model_validate(read_json(f"intents/{language}/guards.json"))
    return tuple(Guard(g.kind, re.compile("|".join(f"(?:{p})" for p in g.patterns)), g.reply) for g in spec.guards)


def guard_patterns(language: str = "en") -> list[str]:
    """The guards' pattern sources (their words are words the reader knows)."""
    return [g.pattern.pattern for g in guards(language)]


def guard_for(text: str, language: str = "en") -> Guard | None:
    """The first guard whose patterns occur in the read message ``text``, or None."""
    return next((g for g in guards(language) if g.pattern.search(text)), None)


__all__ = ["GUARD_TOPICS", "Guard", "guard_for", "guard_patterns", "guards"]
