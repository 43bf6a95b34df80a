"""Which field a figure is about: "your checking balance is $920.58" names ``checking_balance``.

The *subject* of a figure is the handful of words that name it, read from its
own clause. Before the figure: "Your checking balance is $920.58", "Checking:
$920.58", "a credit score of 626". The clause starts after the last
``. ; ! ? , : ( ) [ ]`` or line break before the figure (a short aside in
brackets is read through: "your Home (HO-1234ABCD) policy is"), at most
:data:`WINDOW` characters back; function words ("your", "is", "of", "on file")
are dropped and the rest reduced to a crude stem ("policies" -> "policy"). When
the clause begins right after another figure, its words describe that figure
("$500.00 met of $1,500.00": "met" is about $500.00), so only the words after a
conjunction count ("$920.58 and your savings balance is $596.97"). For a count,
the up to three words right after it come first ("3 open claims").

The words name a field through its prompt label (``Fact.label``, the part
outside brackets): a field is named when every word of its label is among the
subject's words ("your total coverage" names "Total coverage" and every
policy's "Coverage"); or, when the words end in a link to the figure ("is",
"was", "of", a colon) or follow a count, when they are all words of its label,
one of them not a generic word such as "total" or "date" ("Checking:" names
"Checking balance" and "Checking plus savings"; "you pay $24.93", a verb with no
link, names nothing). Of two stored or derived fields named by whole labels, the
longer label wins ("open claims" is not "Claims on file"). Only fields whose
fact holds a claim of the figure's kind count, so "your next appointment is on
Jul 4" names no date field. The word lists are data (``data/grounding/en.json``);
replies in other languages name no fields and are checked by value alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from pydantic import Field

from persona_kit.data import DataModel, read_json

WINDOW = 96
"""How far back (characters) the subject and the direction of a figure are read: a bound, so each costs O(1)."""
MAX_SUBJECT_WORDS = 6


class GroundingWords(DataModel):
    """One language's word lists for the grounding check (``data/grounding/<language>.json``)."""

    language: str
    source: str
    number_words: dict[str, int] = Field(min_length=1)
    tens_words: dict[str, int]
    dozen: str
    count_adjectives: list[str]
    minus_words: list[str]
    outgoing_words: frozenset[str]
    link_words: frozenset[str]
    link_fillers: frozenset[str]
    conjunctions: frozenset[str]
    generic_words: frozenset[str]
    stopwords: frozenset[str]


@cache
def grounding_words() -> GroundingWords:
    """The English word lists, read and validated once."""
    return GroundingWords.model_validate(read_json("grounding/en.json"))


_TOKEN = re.compile(r"(?<![\w'\u2019])[^\W\d_]+(?:['\u2019][^\W\d_]+)?(?![\w'\u2019])")
"""A word without digits ("you've"); "AU12" and "3rd" are not words."""
_BOUNDARY = re.compile(r"[.;!?,:()\[\]\n\u3002\uff0c\uff1a]")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n|\u3002")
_LETTER = re.compile(r"[^\W\d_]")
_BRACKETS = re.compile(r"\([^)]*\)")
_ASIDE = re.compile(r"\([^()\n]{0,40}\)")
"""A short aside in brackets, read through: "your Home (HO-1234ABCD) policy is"."""
_AFTER = re.compile(r"[ \t\u00a0\u202f]{1,8}((?:[^\W\d_]+(?:['\u2019][^\W\d_]+)?[ \t\u00a0\u202f]{1,8}){0,2}[^\W\d_]+)")
"""Up to three words right after a count, on its line: "3 open claims", "2 refills remaining"."""
_ROW_FIELD = re.compile(r"^[a-z_.]+\[")


def stem(word: str) -> str:
    """A crude English stem, the same for a label and a reply: "policies" -> "policy", "balances" -> "balance"."""
    word = word.casefold().replace("\u2019", "'")
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    """Words of ``text`` without digits, hyphenated words split: "out-of-pocket" -> out, of, pocket."""
    return _TOKEN.findall(text.replace("-", " "))


def content_stems(words: Iterable[str]) -> list[str]:
    """Stems of the words that are not function words, in order."""
    stop = grounding_words().stopwords
    return [stem(w) for w in words if w.casefold().replace("\u2019", "'") not in stop]


def label_words(label: str) -> frozenset[str]:
    """The words of a prompt label that name its field: "Monthly premium (all policies)" -> {monthly, premium}."""
    return frozenset(content_stems(_tokens(_BRACKETS.sub(" ", label))))


@dataclass(frozen=True)
class Subject:
    """The words before a figure that say what it is, and whether its sentence speaks of money going out."""

    words: frozenset[str] = frozenset()
    """Stems naming the field ("checking", "balance"); empty when the clause names nothing."""
    text: str = ""
    """Those words as written, in order ("checking balance")."""
    start: int = 0
    """Where the clause the words come from starts: a row named inside it (a policy number) narrows the fields."""
    outgoing: bool = False
    """The sentence says the money went out ("spent", "paid", "purchase"): a figure may be a debit's size."""
    linked: bool = False
    """The words end in a link to the figure ("is", "was", "of", a colon): they are a noun phrase naming it."""


def outgoing_before(text: str, start: int) -> bool:
    """The sentence before ``start`` says money went out ("you paid", "your biggest purchase was")."""
    sentence = text[max(0, start - WINDOW) : start]
    said = _tokens(sentence[max((m.end() for m in _SENTENCE_END.finditer(sentence)), default=0) :])
    return any(t.casefold() in grounding_words().outgoing_words for t in said)


def subject_before(text: str, start: int, floor: int, after_figure: bool, *, money: bool = False) -> Subject:
    """The subject of the figure at ``start``, read no further back than ``floor`` (the end of the figure before).

    ``after_figure``: ``floor`` is the end of an earlier figure (not the start of the text). ``money``: the
    figure is an unsigned amount, so whether its sentence speaks of money going out matters.
    """
    lo = max(floor, start - WINDOW)
    clause = text[lo:start].rstrip()
    if _LETTER.search(clause) is None:  # no words to read ("1 1 1", "$1, $2"): the common case, kept cheap
        return Subject(start=lo, outgoing=money and outgoing_before(text, start))
    colon = clause.endswith((":", "=", "\uff1a"))
    if colon:
        clause = clause[:-1]
    clause = _ASIDE.sub(lambda m: " " * len(m.group(0)), clause)
    cut = max((m.end() for m in _BOUNDARY.finditer(clause)), default=-1)
    begin = lo + max(cut, 0)
    tokens = _tokens(clause[max(cut, 0) :])
    lists = grounding_words()
    outgoing = money and outgoing_before(text, start)
    if cut < 0 and after_figure and lo == floor:
        joins = [i for i, t in enumerate(tokens) if t.casefold() in lists.conjunctions]
        tokens = tokens[joins[-1] + 1 :] if joins else []
    folded = [t.casefold().replace("\u2019", "'") for t in tokens]
    last = len(folded)
    while last and folded[last - 1] in lists.link_fillers:
        last -= 1
    linked = colon or bool(last and folded[last - 1] in lists.link_words)
    kept = [t for t, f in zip(tokens, folded, strict=True) if f not in lists.stopwords][-MAX_SUBJECT_WORDS:]
    return Subject(frozenset(stem(t) for t in kept), " ".join(kept), begin, outgoing, linked)


def subject_after(text: str, end: int) -> Subject:
    """The words right after a count that say what it counts ("3 open claims"): a noun phrase by position."""
    m = _AFTER.match(text, end)
    if m is None:
        return Subject()
    stop = grounding_words().stopwords
    kept = [t for t in _tokens(m.group(1)) if t.casefold().replace("\u2019", "'") not in stop]
    return Subject(frozenset(stem(t) for t in kept), " ".join(kept), end, linked=True)


@dataclass(frozen=True)
class FieldNames:
    """Which fields a subject's words name, from the facts' labels; answers are cached per (kind, words)."""

    labels: dict[str, frozenset[str]]
    """Field -> its label's words."""
    by_word: dict[str, tuple[str, ...]]
    """Word -> fields whose label has it, in prompt order."""
    order: dict[str, int]
    _cache: dict[tuple[str, frozenset[str], bool], tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, labelled: Sequence[tuple[str, str]]) -> FieldNames:
        """From (field, label) pairs in prompt order."""
        labels = {f: label_words(label) for f, label in labelled}
        by_word: dict[str, list[str]] = {}
        for f, words in labels.items():
            for word in words:
                by_word.setdefault(word, []).append(f)
        return cls(labels, {w: tuple(fs) for w, fs in by_word.items()}, {f: i for i, f in enumerate(labels)})

    def named(self, subject: Subject, kind: str, kinds: dict[str, frozenset[str]]) -> tuple[str, ...]:
        """Fields of claims of ``kind`` that the subject names (see the module docstring), in prompt order."""
        words = subject.words
        key = (kind, words, subject.linked)
        if key in self._cache:
            return self._cache[key]
        whole = {f for word in words for f in self.by_word.get(word, ()) if self.labels[f] <= words}
        # Of two stored or derived fields named by whole labels, the longer label wins ("open claims" is the open
        # claim count, not the claim count); rows stay, since a list's own label is short ("Premium").
        found = dict.fromkeys(
            f for f in whole if _ROW_FIELD.match(f) or not any(self.labels[f] < self.labels[g] for g in whole)
        )
        if subject.linked and words - grounding_words().generic_words:  # every word of the subject is in the label
            first, *rest = sorted(words, key=lambda w: len(self.by_word.get(w, ())))
            for f in self.by_word.get(first, ()):
                if all(w in self.labels[f] for w in rest):
                    found[f] = None
        result = tuple(sorted((f for f in found if kind in kinds.get(f, ())), key=self.order.__getitem__))
        if len(self._cache) < 4096:  # bounded: a hostile text cannot grow it without limit
            self._cache[key] = result
        return result


__all__ = [
    "WINDOW",
    "FieldNames",
    "GroundingWords",
    "Subject",
    "grounding_words",
    "label_words",
    "stem",
    "subject_before",
]
