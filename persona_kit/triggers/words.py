"""The words of the mode-request grammar, read from ``data/triggers/<language>.json``, and the tokens of a message.

The grammar (:mod:`persona_kit.triggers.grammar`) never names an English word: it asks whether the tokens at
a position start a phrase of some class ("a polite opener", "a negation"). Each class is a
:class:`PhraseSet`, compiled once from the data file, so adding a language is one more data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from persona_kit.data import DataModel, read_json

_Phrases = list[str]


class TriggerWordsFile(DataModel):
    """``data/triggers/<language>.json``: every word class of the grammar, as lower-case phrases."""

    language: str
    interjections: _Phrases
    polite_openers: _Phrases
    asking_openers: _Phrases
    hypothetical: _Phrases
    question_openers: _Phrases
    negations: _Phrases = Field(min_length=1)
    retractions: _Phrases
    retraction_clauses: _Phrases
    identity_leads: _Phrases = Field(min_length=1)
    copulas: _Phrases
    change_markers: _Phrases
    switch_verbs: _Phrases
    switch_objects: _Phrases
    switch_prepositions: _Phrases
    make_leads: _Phrases
    show_leads: _Phrases
    version_nouns: _Phrases
    weak_version_nouns: _Phrases
    placeholders: _Phrases
    ui_modes: _Phrases
    ordinary_targets: _Phrases
    target_stops: _Phrases
    conjunctions: _Phrases
    articles: _Phrases
    brand_articles: _Phrases
    brand_connectors: _Phrases
    bare_fillers: _Phrases
    not_targets: _Phrases
    business_nouns: _Phrases
    match_fillers: _Phrases
    label_fillers: _Phrases
    titles: _Phrases
    suffixes: _Phrases
    called: _Phrases


class PhraseSet:
    """Phrases of one word class, looked up by their first word: matching at a position costs O(1)."""

    def __init__(self, phrases: list[str] | tuple[str, ...]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.casefold().split())
            if words:
                by_first.setdefault(words[0], []).append(words)
        self._by_first = {first: sorted(set(found), key=len, reverse=True) for first, found in by_first.items()}
        self.words = frozenset(words[0] for found in self._by_first.values() for words in found if len(words) == 1)

    def match(self, low: list[str], i: int, end: int) -> int:
        """How many words of the longest phrase that starts at ``low[i]`` (and ends by ``end``); 0 for none."""
        if i >= end:
            return 0
        for words in self._by_first.get(low[i], ()):
            n = len(words)
            if i + n <= end and tuple(low[i : i + n]) == words:
                return n
        return 0

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, tuple) and phrase in self._by_first.get(phrase[0] if phrase else "", ())


@dataclass(frozen=True)
class TriggerWords:
    """The compiled word classes of one language (see ``data/triggers/en.json`` for what each holds)."""

    language: str
    classes: dict[str, PhraseSet]

    def of(self, name: str) -> PhraseSet:
        """The word class called ``name``."""
        return self.classes[name]


@cache
def trigger_words(language: str = "en") -> TriggerWords:
    """The grammar's words for ``language``, validated and compiled once."""
    parsed = TriggerWordsFile.model_validate(read_json(f"triggers/{language}.json"))
    lists = parsed.model_dump(exclude={"language"})
    return TriggerWords(parsed.language, {name: PhraseSet(phrases) for name, phrases in lists.items()})


# --- tokens ---------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2026": "..."})
_TOKEN = re.compile(
    r"(?P<w>[^\W_](?:[\w'\-]|\.(?=[^\W_]))*|[&+/])"  # a word: "change-o", "you're", "acme.com", "3.5"; & + /
    r"|(?P<p>[.!?]+|[,;:=()\[\]{}\"\u201c\u201d\u00ab\u00bb]|->|(?<!\S)[-\u2013\u2014]+(?!\S)|\n)"
)
SENTENCE_PUNCT = frozenset(".!?\n")
"""A punctuation token made only of these ends a sentence (``"?!"`` does, and asks)."""


@dataclass(frozen=True)
class Tokens:
    """A message as words and punctuation: parallel lists, one entry per token.

    ``low`` is the casefolded text (a trailing quote dropped, ``'s`` kept), ``word`` whether the token is a
    word, ``start``/``end`` its span in the text. A title or suffix abbreviation keeps its full stop ("Dr.",
    "Co."), so the stop ends no sentence inside a name.
    """

    text: str
    low: list[str]
    word: list[bool]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.low)


def tokenize(text: str, words: TriggerWords) -> Tokens:
    """Split ``text`` into tokens in one pass (linear in its length)."""
    text = text.translate(_APOSTROPHES)
    abbreviations = words.of("titles").words | words.of("suffixes").words
    low: list[str] = []
    is_word: list[bool] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    while match := _TOKEN.search(text, pos):
        token, start, end = match.group(), match.start(), match.end()
        pos = end
        if match.lastgroup == "w":
            folded = token.casefold().rstrip("'-")
            if folded in abbreviations and text.startswith(".", end):
                end = pos = end + 1
                folded += "."
            low.append(folded)
            is_word.append(True)
        else:
            low.append(token)
            is_word.append(False)
        starts.append(start)
        ends.append(end)
    return Tokens(text, low, is_word, starts, ends)


__all__ = ["SENTENCE_PUNCT", "PhraseSet", "Tokens", "TriggerWords", "TriggerWordsFile", "tokenize", "trigger_words"]
