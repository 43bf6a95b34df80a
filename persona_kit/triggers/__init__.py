"""Offline detection of mode-switch requests typed into the chat.

The reference dashboard switches industry when the user types a phrase such as
"Presto-Change-O, you're a bank"; people also just ask ("switch to healthcare
mode", "pretend you're a hospital", "be Contoso Air, an airline").
:func:`detect_mode_request` finds such a request (industry, optional company
name) without any model, by one grammar (:mod:`persona_kit.triggers.grammar`)
over the words of ``data/triggers/<language>.json`` and the industries' own
synonyms (``Industry.synonyms`` in the registry). :func:`resolve_mode_request`
turns it into a :class:`~persona_kit.models.modes.Mode`: a built-in one, a
custom one from the catalogue, or a new custom mode built from the request, so
an unknown industry is never an error.

Only a request switches: a mention ("I went to the bank today"), a negated or
retracted request ("don't switch to banking", "be a bank. just kidding") and a
question ("are you a bank?", "could you ever be a hospital?") do not. A polite
request phrased as a question ("could you be a bank?") still switches.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, replace
from functools import cache, cached_property

from persona_kit.industries import industries
from persona_kit.models.modes import Mode
from persona_kit.modes import ModeCatalogue
from persona_kit.triggers.custom import (
    CUSTOM_THEME,
    MAX_COMPANY_CHARS,
    MAX_INDUSTRY_CHARS,
    custom_mode,
    mode_for,
    with_company,
)
from persona_kit.triggers.grammar import Parser
from persona_kit.triggers.words import tokenize, trigger_languages, trigger_words

DEFAULT_PHRASES = ("presto-change-o", "presto chango", "presto change")
"""Spellings of the magic phrase; the first word alone ("Presto!") counts at a clause start before punctuation."""

DEFAULT_INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (kind, record.synonyms) for kind, record in industries().items() if record.builtin_mode
)
"""Industry synonyms per built-in mode id (``Industry.synonyms``): the words that name an industry in a request."""

DEFAULT_BRAND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (kind, record.brand_words) for kind, record in industries().items() if record.builtin_mode and record.brand_words
)
"""Per built-in mode id, the words that tell its industry at the end of a company's name (``Industry.brand_words``)."""

DEFAULT_KNOWN_BRANDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (kind, record.known_brands) for kind, record in industries().items() if record.builtin_mode and record.known_brands
)
"""Per built-in mode id, well-known companies of its industry (``Industry.known_brands``)."""


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class TriggerConfig:
    """What counts as a mode-switch request.

    ``phrases`` are spellings of the magic phrase (compared on letters and digits only, one typo allowed in a
    long one). With one in the message, lighter phrasings switch too ("Presto! hotel chain", "Presto, you're a
    bank"); without one, only an explicit request does ("switch to banking", "be a hotel"). ``require_phrase``
    makes the phrase mandatory; an empty ``phrases`` makes every "you're a ..." statement a request.
    ``industries`` maps mode ids to synonyms; on a tie the industry listed last wins, so
    :meth:`with_industry` overrides. ``language`` names the grammar's word file, ``data/triggers/<language>.json``.
    ``brand_words`` tell an industry at the end of a company's name only ("Nimbus Fiber"); ``known_brands``
    are companies that name their industry ("be Verizon"), in lower case too unless an everyday word.
    """

    phrases: tuple[str, ...] = DEFAULT_PHRASES
    industries: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_INDUSTRIES
    require_phrase: bool = False
    language: str = "en"
    brand_words: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_BRAND_WORDS
    known_brands: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_KNOWN_BRANDS

    def __post_init__(self) -> None:
        for phrase in self.phrases:
            if not _squash(phrase):
                msg = f"trigger phrase {phrase!r} has no letters or digits; give a phrase such as 'presto-change-o'"
                raise ValueError(msg)
        for mode_id, synonyms in self.industries:
            if not synonyms or not all(s.strip() for s in synonyms):
                msg = f"industry {mode_id!r} needs at least one non-empty synonym, got {synonyms!r}"
                raise ValueError(msg)
        languages = trigger_languages()
        if self.language not in languages:  # fails here, not on the first message
            msg = f"no trigger words for language {self.language!r}; available: {', '.join(languages)}"
            raise ValueError(msg)

    def with_phrases(self, *phrases: str) -> TriggerConfig:
        """The same config with other trigger phrases."""
        return dataclasses.replace(self, phrases=tuple(phrases))

    def with_industry(self, mode_id: str, *synonyms: str) -> TriggerConfig:
        """The same config with synonyms for ``mode_id`` added (or replaced)."""
        others = tuple(item for item in self.industries if item[0] != mode_id)
        return dataclasses.replace(self, industries=(*others, (mode_id, tuple(synonyms))))

    @cached_property
    def _synonyms(self) -> dict[tuple[str, ...], tuple[str, str]]:
        """Casefolded synonym words -> (mode id, synonym); later industries overwrite earlier ones."""
        table: dict[tuple[str, ...], tuple[str, str]] = {}
        for mode_id, synonyms in self.industries:
            for synonym in synonyms:
                words = tuple(synonym.translate(_QUOTES).casefold().split())
                table[words] = (mode_id, synonym)
        return table

    @cached_property
    def _typo_targets(self) -> dict[str, tuple[str, ...]]:
        """Synonym words long enough to be read through one typo, by their first letter."""
        by_first: dict[str, set[str]] = {}
        for words in self._synonyms:
            for word in words:
                if len(word) >= TYPO_MIN_CHARS and word.isalpha():
                    by_first.setdefault(word[0], set()).add(word)
        return {first: tuple(sorted(found)) for first, found in by_first.items()}

    def match_industry(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        """(mode id, synonym) when ``words`` are exactly a synonym, also in the plural or possessive, or with
        one typo in a long word that is no everyday word ("bankng", "insurence", "helthcare", "telecomm")."""
        found = self._exact(words)
        if found is not None or not any(len(w) >= TYPO_MIN_CHARS - 1 for w in words):
            return found
        options = [self._respellings(w) for w in words]
        if all(len(o) == 1 and o[0] == w for o, w in zip(options, words, strict=True)):
            return None
        if math.prod(len(o) for o in options) > MAX_RESPELLING_TRIES:
            options = [o[:1] for o in options]  # bounded work on any input
        hits = {hit for combo in itertools.product(*options) if (hit := self._exact(combo)) is not None}
        return min(hits) if len({mode for mode, _ in hits}) == 1 else None  # "telecomm": telecom or telecoms

    def _exact(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        table = self._synonyms
        found = table.get(words)
        if found is None and words and len(words[-1]) > 3:
            last = words[-1]
            for single in (last.removesuffix("'s"), last.removesuffix("s"), last.removesuffix("es")):
                if single != last and (found := table.get((*words[:-1], single))):
                    break
        return found

    def _respellings(self, word: str) -> tuple[str, ...]:
        """The synonym words ``word`` is one edit from (same first letter), else ``word`` itself alone."""
        if len(word) < TYPO_MIN_CHARS - 1 or not word.isalpha() or word in _everyday(self.language):
            return (word,)
        from rapidfuzz.distance import OSA

        near = tuple(t for t in self._typo_targets.get(word[0], ()) if OSA.distance(word, t, score_cutoff=1) <= 1)
        return near[:MAX_RESPELLINGS] or (word,)

    @cached_property
    def _brands(self) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, ...], tuple[str, str]]]:
        """(brand word -> (mode id, word), known brand words -> (mode id, brand)); later industries win."""
        heads = {w.casefold(): (mode_id, w) for mode_id, words in self.brand_words for w in words}
        known = {
            tuple(b.translate(_QUOTES).casefold().split()): (mode_id, b)
            for mode_id, brands in self.known_brands
            for b in brands
        }
        return heads, known

    def match_brand(self, words: tuple[str, ...], *, capitalised: bool) -> tuple[str, str] | None:
        """(mode id, word) when a company's name tells its industry: a known brand in it ("Verizon", "Monzo's";
        typed in lower case, only one that is no everyday word), or, in a capitalised name, a brand word
        among its last two ("Nimbus Fiber", "Bluebird Life & Annuity")."""
        heads, known = self._brands
        bare = tuple(w.removesuffix("'s") for w in words)
        for size in range(min(len(bare), 3), 0, -1):
            for k in range(len(bare) - size + 1):
                found = known.get(bare[k : k + size])
                if found is not None and (capitalised or size > 1 or bare[k] not in _everyday(self.language)):
                    return found
        if not capitalised:
            return None
        last = [w for w in bare if w.isalnum()][-2:]
        return next((heads[w] for w in reversed(last) if w in heads), None)

    def industry_for(self, phrase: str) -> str | None:
        """The mode id a phrase such as "credit union" or "auto insurer" names, if any."""
        parser = self._parser(f"be {phrase}")
        found = parser.target(1, len(parser.t), brand_ok=False)
        return found.mode_id if found else None

    def _parser(self, text: str) -> Parser:
        words = trigger_words(self.language)
        return Parser(
            tokenize(text, words),
            words,
            self.phrases,
            self.match_industry,
            magic_optional=not self.phrases,
            brand=self.match_brand,
        )


TYPO_MIN_CHARS = 6
"""A synonym word this long may be typed with one typo (a typed word of one letter less: "bankng")."""
MAX_RESPELLINGS = 3
"""At most this many synonym words are tried for one typed word (the tries are a product over the words)."""
MAX_RESPELLING_TRIES = 16
"""Past this many combinations only each word's first respelling is tried."""


@cache
def _everyday(language: str) -> frozenset[str]:
    """Everyday words of ``language`` (the simulator's list, when the language has one): never read as a
    typo of a synonym."""
    from persona_kit.ai.reading import everyday_words

    try:
        return frozenset(everyday_words(language))
    except FileNotFoundError:
        return frozenset()


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

DEFAULT_TRIGGERS = TriggerConfig()


@dataclass(frozen=True)
class ModeRequest:
    """A mode switch asked for in chat: the industry as typed, the mode it maps to, any company name."""

    industry: str
    mode_id: str | None
    company_name: str | None = None


def detect_mode_request(text: str, config: TriggerConfig = DEFAULT_TRIGGERS) -> ModeRequest | None:
    """A mode-switch request in ``text``, or None if it is an ordinary chat message.

    "Presto-Change-O, you're a bank called Harbor Federal" gives
    ``ModeRequest("bank", "banking", "Harbor Federal")``; "switch to Contoso Air, an
    airline" gives ``ModeRequest("airline", None, "Contoso Air")``; "don't switch to
    banking" and "are you a bank?" give None.
    """
    parser = config._parser(text)
    if config.require_phrase and not parser.magic:
        return None
    found = (
        parser.request()
        or parser.after_magic()
        or parser.named_alone()
        or parser.switch_alone()
        or parser.go_alone()
        or parser.transition_alone()
        or parser.role_first()
    )
    if found is None:
        return None
    if found.company_name is None and (slot := parser.brand_slot()) is not None:
        found = replace(found, company_name=slot)  # "switch to insurance, the brand is Northwind Insurance"
    industry = " ".join(found.industry.split())[:MAX_INDUSTRY_CHARS].strip()
    company = " ".join(found.company_name.split())[:MAX_COMPANY_CHARS].strip() if found.company_name else None
    if not industry:
        return None
    return ModeRequest(industry, found.mode_id, company or None)


def resolve_mode_request(request: ModeRequest, modes: ModeCatalogue) -> Mode:
    """The mode a request asks for: a catalogue mode (renamed if a company was given) or a new custom one."""
    return mode_for(request.industry, request.mode_id, request.company_name, modes)


__all__ = [
    "CUSTOM_THEME",
    "DEFAULT_BRAND_WORDS",
    "DEFAULT_INDUSTRIES",
    "DEFAULT_KNOWN_BRANDS",
    "DEFAULT_PHRASES",
    "DEFAULT_TRIGGERS",
    "MAX_COMPANY_CHARS",
    "MAX_INDUSTRY_CHARS",
    "ModeRequest",
    "TriggerConfig",
    "custom_mode",
    "detect_mode_request",
    "resolve_mode_request",
    "with_company",
]
