"""The nearest-example fallback: a message the rules cannot place is matched to the closest canonical question.

Each industry has, per language, canonical questions in plain words the rules answer, each with the casual and
indirect ways customers put it (``data/intents/<lang>/<kind>.json``). A message whose words the topic rules do
not place is scored against every phrasing: the cosine of their word sets weighted by inverse document
frequency (a word every phrasing uses counts for little; "stashed" counts for a lot). Precision over recall:
the best canonical question is used only when it scores well and clearly ahead of the best one about another
topic; two close candidates about different topics give a clarifying question naming both; anything else is
left to the honest fallback.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import Field

from persona_kit.ai.reading import Absent, lexicon, stopwords
from persona_kit.data import DataModel, data_dir, read_json

ACCEPT = 0.5
"""The least score a canonical question needs to stand in for a message."""
TENTATIVE = 0.3
"""The least score for the nearest question to be offered, said to be only the closest, when none reaches ACCEPT."""
MARGIN = 0.12
"""How far ahead of the best question about another topic it must be; closer than this asks which was meant."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LEAD = re.compile(
    r"^(what|when|how much|how many|how long|who|where|which|whats|what's|is|are|do|does|did|can you tell me)"
    r"( is| are| was| were| do| does| did| have| has)? "
)


_BARE = re.compile(
    r"^\W*(?:(?:give me|tell me|what's|what is|whats)\s+)?"
    r"(how much|how many|when|where|my number|what do i have|what have i got)"
    r"( is it| was it| is that| do i have| have i got| please)?\W*$"
)


class ExampleQuestion(DataModel):
    """One canonical question and the ways customers put it."""

    canonical: str
    paraphrases: list[str]
    label: str | None = None
    """How a clarifying question names it ("your monthly premium"); derived from the question when absent."""


class ExampleFile(DataModel):
    """``data/intents/<lang>/<kind>.json``."""

    source: str
    questions: list[ExampleQuestion]
    absent: list[Absent] = Field(default_factory=list)
    vague: dict[str, list[str]] = Field(default_factory=dict)
    """Per bare question ("how much", "when"), what a customer asking only that might mean."""


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str, language: str = "en") -> list[str]:
    """The words of ``text`` that carry meaning, lightly stemmed ("transactions" -> "transaction")."""
    stop = stopwords(language)
    return [_stem(w) for w in _WORD.findall(text.casefold()) if w not in stop]


def weighted(text: str, idf: dict[str, float]) -> dict[str, float]:
    """The IDF-weighted, unit-length vector of ``text``'s content words (unknown words weigh the most)."""
    top = max(idf.values(), default=1.0)
    counts = Counter(content_words(text))
    vec = {w: c * idf.get(w, top) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def label_of(question: ExampleQuestion) -> str:
    """How a clarifying question names a canonical question: "What is my savings balance?" -> "your savings balance"."""
    if question.label:
        return question.label
    text = _LEAD.sub("", question.canonical.casefold().rstrip("?. ")).strip()
    return re.sub(r"\bmy\b", "your", text)


@dataclass(frozen=True)
class Match:
    """The outcome of matching: a question to answer instead, two to ask between, or nothing."""

    canonical: str | None = None
    clarify: tuple[str, str] | None = None
    topics: tuple[str | None, str | None] = (None, None)
    """The topics of the two questions a clarification names."""
    questions: tuple[str, str] | None = None
    """The two canonical questions a clarification names."""


@dataclass(frozen=True)
class ExampleIndex:
    """Every phrasing of one industry's canonical questions, as weighted word vectors."""

    questions: tuple[ExampleQuestion, ...]
    absent: tuple[tuple[re.Pattern[str], str], ...]
    vague: dict[str, list[str]]
    topics: tuple[str | None, ...]
    vectors: tuple[dict[str, float], ...]
    owner: tuple[int, ...]
    idf: dict[str, float]
    answering: frozenset[str] = frozenset()
    """The ``what`` of each absent entry after whose decline the figure asked about still follows."""

    def scores(self, text: str) -> list[tuple[float, int]]:
        """(score, question index) for every canonical question, best first: the best of its phrasings."""
        query = weighted(text, self.idf)
        best: dict[int, float] = {}
        for vec, owner in zip(self.vectors, self.owner, strict=True):
            score = sum(weight * vec.get(word, 0.0) for word, weight in query.items())
            if score > best.get(owner, 0.0):
                best[owner] = score
        return sorted(((s, i) for i, s in best.items()), key=lambda pair: (-pair[0], pair[1]))

    def options(self, text: str) -> list[str]:
        """What a bare question ("how much?", "when is it?") might mean, or [] for one that says more."""
        m = _BARE.match(text)
        return list(self.vague.get(m.group(1), [])) if m else []

    def missing(self, text: str) -> str | None:
        """What the records lack that ``text`` asks about ("loan or mortgage details"), or None."""
        return next((what for pattern, what in self.absent if pattern.search(text)), None)

    def tentative(self, text: str) -> ExampleQuestion | None:
        """The nearest canonical question when it scores from :data:`TENTATIVE` up to :data:`ACCEPT` and no question
        about another topic comes within :data:`MARGIN` of it, else None: what a reply may offer as the closest."""
        ranked = self.scores(text)
        if not ranked or not TENTATIVE <= ranked[0][0] < ACCEPT:
            return None
        score, first = ranked[0]
        rival = next((s for s, i in ranked[1:] if self.topics[i] != self.topics[first]), 0.0)
        return self.questions[first] if score - rival >= MARGIN else None

    def match(self, text: str) -> Match:
        """The canonical question ``text`` means, two it might mean, or neither (see the module notes)."""
        ranked = self.scores(text)
        if not ranked or ranked[0][0] < ACCEPT:
            return Match()
        score, first = ranked[0]
        rival = next(((s, i) for s, i in ranked[1:] if self.topics[i] != self.topics[first]), None)
        if rival is None or score - rival[0] >= MARGIN:
            return Match(canonical=self.questions[first].canonical)
        if rival[0] >= ACCEPT:
            a, b = self.questions[first], self.questions[rival[1]]
            return Match(
                clarify=(label_of(a), label_of(b)),
                topics=(self.topics[first], self.topics[rival[1]]),
                questions=(a.canonical, b.canonical),
            )
        return Match(canonical=self.questions[first].canonical)


def example_phrases(kind: str, language: str = "en") -> list[str]:
    """Every canonical question and paraphrase of ``kind`` in ``language``, as written."""
    spec = ExampleFile.model_validate(read_json(f"intents/{language}/{kind}.json"))
    return [phrase for q in spec.questions for phrase in (q.canonical, *q.paraphrases)]


def has_examples(kind: str, language: str = "en") -> bool:
    """Whether ``kind`` has example phrasings in ``language``."""
    return (data_dir() / "intents" / language / f"{kind}.json").is_file()


def example_index(kind: str, topic_of: Callable[[str], str | None], language: str = "en") -> ExampleIndex:
    """The examples of ``kind`` in ``language``; ``topic_of`` names the topic the rules read a canonical question as."""
    spec = ExampleFile.model_validate(read_json(f"intents/{language}/{kind}.json"))
    questions = tuple(spec.questions)
    phrases: list[tuple[str, int]] = [
        (phrase, i) for i, q in enumerate(questions) for phrase in (q.canonical, *q.paraphrases)
    ]
    docs = [set(content_words(phrase)) for phrase, _ in phrases]
    frequency = Counter(word for doc in docs for word in doc)
    idf = {word: math.log((1 + len(docs)) / (1 + df)) + 1.0 for word, df in frequency.items()}
    every = (*spec.absent, *lexicon(language).absent)
    absent = tuple((re.compile(a.pattern), a.what) for a in every)
    topics = tuple(topic_of(q.canonical) for q in questions)
    vectors = tuple(weighted(phrase, idf) for phrase, _ in phrases)
    answering = frozenset(a.what for a in every if a.then_answer)
    owner = tuple(i for _, i in phrases)
    return ExampleIndex(questions, absent, dict(spec.vague), topics, vectors, owner, idf, answering)


def clarifying_question(first_name: str, options: Sequence[str]) -> str:
    """ "Just to be sure, Ana: do you mean your monthly premium or your total coverage?"."""
    listed = options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
    return f"Just to be sure, {first_name}: do you mean {listed}?"


__all__ = [
    "ACCEPT",
    "MARGIN",
    "ExampleFile",
    "ExampleIndex",
    "ExampleQuestion",
    "Match",
    "clarifying_question",
    "content_words",
    "example_index",
    "example_phrases",
    "has_examples",
    "label_of",
    "weighted",
]
