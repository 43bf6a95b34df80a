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
    advice: list[str] = Field(default_factory=list)
    """Patterns that count only in a message that also asks for advice (one of the file's ``advice`` frames): a
    condition named ("hiccups for two days") with "is that dangerous?", "what do I do?" or "should I ...". A
    condition told with a records question ("my son's got asthma, what's my deductible?") is no advice asked."""
    reply: str


class OthersSpec(DataModel):
    """How a message asks for someone else's records: a third person named (``person``), and a mention of what is
    theirs (``mentions``: each pattern's ``about`` group holds the words after "his", "her", "the tenant's", "which
    of my guests", of which one must be a records word: the industry's own, or one of ``records``)."""

    person: str
    mentions: list[str]
    own: str = "(?!)"
    """A question about the customer's own records ("what do I pay"): then the third person is only context."""
    records: list[str]


class GuardFile(DataModel):
    """``data/intents/<lang>/guards.json``: ``lists`` are word lists a pattern names as ``{name}``."""

    source: str
    lists: dict[str, list[str]] = Field(default_factory=dict)
    asks: str = "(?!)"
    """A question about the records, which keeps a guard's ``alone`` patterns from counting."""
    advice: list[str] = Field(default_factory=list)
    """The forms of a request for advice ("should I", "is it safe", "what do I do"), which a guard's ``advice``
    patterns need."""
    others: OthersSpec | None = None
    """Someone else's records asked for in the records' own words (the privacy guard's reply refuses it)."""
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
    advice: re.Pattern[str] | None = None
    advised: re.Pattern[str] | None = None
    """The file's advice frames, which :attr:`advice` needs."""

    def applies(self, text: str) -> bool:
        """Whether the guard refuses the read message ``text``."""
        if self.pattern.search(text):
            return True
        advice, advised = self.advice, self.advised
        if advice is not None and advised is not None and advice.search(text) and advised.search(text):
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
def _guard_file(language: str) -> GuardFile:
    """``data/intents/<language>/guards.json``, read and validated once."""
    return GuardFile.model_validate(read_json(f"intents/{language}/guards.json"))


@cache
def guards(language: str = "en") -> tuple[Guard, ...]:
    """The language's guards, compiled once, in the order they are tried."""
    spec = _guard_file(language)
    asks = re.compile(spec.asks)
    advised = _either(spec.advice, spec.lists, "advice")
    return tuple(
        Guard(
            g.kind,
            _either(g.patterns, spec.lists, g.kind),
            g.reply,
            _either(g.alone, spec.lists, g.kind) if g.alone else None,
            asks,
            _either(g.advice, spec.lists, g.kind) if g.advice else None,
            advised,
        )
        for g in spec.guards
    )


_MINE = re.compile(r"\bmy (?:[\w'-]+ )?([\w'-]+)")
"""A word one or two after "my": the customer's own records named ("on my policy", "my savings balance")."""


@dataclass(frozen=True)
class Others:
    """:class:`OthersSpec`, compiled."""

    person: re.Pattern[str]
    mentions: tuple[re.Pattern[str], ...]
    own: re.Pattern[str]
    records: frozenset[str]

    def asked(self, text: str, records: frozenset[str]) -> bool:
        """Whether the read message ``text`` names a third person and asks for what is theirs in one of
        ``records`` (the industry's words) or the file's own records words, and asks nothing of the customer's own
        ("my friend pays less for her plan, what do I pay?" is about the customer). Linear in its length."""
        if not self.person.search(text) or self.own.search(text):
            return False
        for m in _MINE.finditer(text):  # "my brother lent me his car, is it covered on my policy?"
            if (m.group(1) in records or m.group(1) in self.records) and not self.person.match(text, m.start()):
                return False
        for pattern in self.mentions:
            for m in pattern.finditer(text):
                words = m.group("about").split()
                if any(w in records or w in self.records for w in words):
                    return True
        return False


@cache
def others(language: str = "en") -> Others | None:
    """The language's reading of a request for someone else's records, or None when it has none."""
    spec = _guard_file(language)
    if spec.others is None:
        return None
    o = spec.others
    return Others(
        re.compile(_expand(o.person, spec.lists, "others")),
        tuple(re.compile(_expand(m, spec.lists, "others")) for m in o.mentions),
        re.compile(_expand(o.own, spec.lists, "others")),
        frozenset(o.records),
    )


def guard_patterns(language: str = "en") -> list[str]:
    """The guards' pattern sources (their words are words the reader knows)."""
    found = [p.pattern for g in guards(language) for p in (g.pattern, g.alone, g.advice, g.advised) if p is not None]
    reading = others(language)
    if reading is not None:
        found += [reading.person.pattern, *(m.pattern for m in reading.mentions)]
    return found


def guard_for(text: str, language: str = "en") -> Guard | None:
    """The first guard whose patterns occur in the read message ``text``, or None."""
    return next((g for g in guards(language) if g.applies(text)), None)


__all__ = ["GUARD_TOPICS", "Guard", "Others", "guard_for", "guard_patterns", "guards", "others"]
