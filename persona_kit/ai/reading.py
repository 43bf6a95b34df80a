"""Reading a customer's message the way they typed it: casual spellings and typos, before any rule sees it.

:func:`canonical` turns "whats my savigns bal pls" into "what's my savings balance please": lower case,
straight apostrophes, casual spellings rewritten from the language's lexicon (``data/intents/<lang>/lexicon.json``),
then each unknown word of four letters or more corrected to the one word of the industry's vocabulary within a
small edit distance (optimal string alignment, so a swapped pair of letters is one edit) — and left alone when
no word, or more than one, is that close. The vocabulary is every word the industry's rules, subjects and
examples use, plus everyday words the reader never corrects. Matching is rapidfuzz's, in C; a message costs
time linear in its length (each distinct unknown word is looked up once, at most :data:`MAX_CORRECTIONS` of them).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from pydantic import Field

from persona_kit.data import DataModel, data_dir, read_json

TARGET_WORDS = 8_000
"""How many of the most frequent everyday words a typo may be corrected to (all 40,000 are never corrected)."""
MAX_CORRECTIONS = 64
"""Distinct unknown words looked up per message; the rest are kept as typed (a message is not an essay)."""

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ESCAPE = re.compile(r"\\[a-zA-Z]")
# A whole word in a rule's source: not the tail of an escape, not a stem followed by "(" or "[" ("categor(y|ies)").
_RULE_WORD = re.compile(r"(?<![a-z])([a-z]{3,})(\?)?(?![a-z(\[])")


_STEM_ALTERNATIVES = re.compile(r"(?<![a-z])([a-z]{2,})\(([a-z|]+)\)([a-z]*)(?![a-z(\[])")
_LETTER_CLASS = re.compile(r"(?<![a-z])([a-z]{2,})\[([a-z]+)\]([a-z]*)(?![a-z(\[])")
_OPTIONAL_LETTER = re.compile(r"(?<![a-z])([a-z]{2,})([a-z])\?([a-z]+)(?![a-z(\[])")
_JOINER = re.compile(r"\[[- ]+\]\??|-\?|\\-\?| \?")


class Absent(DataModel):
    """Something customers ask about that the records do not hold, and how a decline names it."""

    pattern: str
    what: str
    then_answer: bool = False
    """Whether the figure the question names still follows the decline ("why is my risk so high?": the reasons are
    not on file, the risk score is)."""


class AnswerType(DataModel):
    """A kind of answer a question's form asks for ("what time ...": a time), and how an answer shows one."""

    pattern: str
    shows: str
    """What an answer holds when it gives this kind ("12:30", "3 pm"); an answer without it does not."""
    what: str
    """How a decline names what is asked for ("the time of day")."""


class Lexicon(DataModel):
    """One language's reading data: casual spellings and everyday words (``data/intents/<lang>/lexicon.json``)."""

    source: str
    spellings: dict[str, str]
    words: list[str]
    stopwords: list[str]
    """Words too common to tell one question from another (the example matcher ignores them)."""
    absent: list[Absent] = Field(default_factory=list)
    """What no industry's records hold (``pattern``, and ``what`` a decline calls it): the reasons behind a figure."""
    focus: list[str] = Field(default_factory=list)
    """Where a question names the detail it asks for, as patterns with a group ``what`` ("what colour is my phone",
    "my phone's warranty"): a detail that is an everyday word but none of the industry's is not on file."""
    answer_types: list[AnswerType] = Field(default_factory=list)
    """Question forms that ask for a kind of answer ("what time", "how long will it take"): an answer of another
    kind is opened by saying the records do not hold it."""
    focus_generic: list[str] = Field(default_factory=list)
    """Words a question's detail may be without naming one ("the latest", "the verdict", "the lowdown")."""
    lookalikes: dict[str, str] = Field(default_factory=dict)
    """Letters of other scripts drawn like Latin ones (Cyrillic "о", Greek "ο"): inside a word that also has Latin
    letters ("сrеdit sсоrе") each is read as the Latin letter it looks like."""
    layouts: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Keyboards a message may have been typed on while the computer read another (an AZERTY keyboard read as
    QWERTY: "zhqt is ;y ;e;ber id"): each maps a character as read to the one meant. A message is read through
    the one that makes most of its words known, when that is clearly more than as typed."""


@cache
def lexicon(language: str = "en") -> Lexicon:
    """The lexicon of ``language``, validated."""
    return Lexicon.model_validate(read_json(f"intents/{language}/lexicon.json"))


_WORD_RUN = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")


@cache
def _lookalike_table(language: str) -> dict[int, str]:
    return str.maketrans(lexicon(language).lookalikes)


def plain_letters(text: str, language: str = "en") -> str:
    """``text`` without invisible format characters (a zero-width space inside "prescrip\u200btions", a soft
    hyphen) and with look-alike letters of other scripts inside Latin words read as Latin (:attr:`Lexicon.
    lookalikes`); a word wholly in another script is kept. Linear in the length of ``text``."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    table = _lookalike_table(language)

    def latin(m: re.Match[str]) -> str:
        word = m.group(0)
        return word.translate(table) if _LATIN.search(word) else word

    return text if text.isascii() else _WORD_RUN.sub(latin, text)


@cache
def stopwords(language: str = "en") -> frozenset[str]:
    """The language's stop words."""
    return frozenset(lexicon(language).stopwords)


@cache
def everyday_words(language: str = "en") -> tuple[str, ...]:
    """The language's everyday words, most frequent first (``data/intents/<lang>/words.txt``)."""
    text = (data_dir() / "intents" / language / "words.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


def rule_words(patterns: Iterable[str]) -> set[str]:
    """The whole words that regular-expression sources spell out ("cards?" gives "card" and "cards")."""
    words: set[str] = set()
    for source in patterns:
        text = _ESCAPE.sub(" ", source.casefold())
        joined = _JOINER.sub("", text)  # "co-?pays?" and "out[- ]of[- ]pocket" also spell "copay", "outofpocket"
        for m in _STEM_ALTERNATIVES.finditer(text):  # "fib(re|er)" spells "fibre" and "fiber"
            words.update(m.group(1) + alt + m.group(3) for alt in m.group(2).split("|") if alt.isalpha())
        for m in _LETTER_CLASS.finditer(text):  # "spen[dt]" spells "spend" and "spent"
            words.update(m.group(1) + letter + m.group(3) for letter in m.group(2))
        for m in _OPTIONAL_LETTER.finditer(text):  # "colou?r" spells "colour" and "color"
            words.update({m.group(1) + m.group(2) + m.group(3), m.group(1) + m.group(3)})
        for m in (*_RULE_WORD.finditer(text), *_RULE_WORD.finditer(joined)):
            words.add(m.group(1))
            if m.group(2):
                words.add(m.group(1)[:-1])
    return words


DICTATED_MIN_SCORE = 82.0
"""How close (rapidfuzz ratio, 0-100, after :func:`_sounded`) pieces must sound to a name to be read as it."""
MAX_DICTATED_WORDS = 200
"""Longer messages are not searched for names said in pieces (a message is not an essay)."""


def _sounded(word: str) -> str:
    """A spelling closer to the sound: "ph" as "f", "ee"/"ea" as "i", "y" as "i", "ck" as "k", no doubled letters."""
    for a, b in (("ph", "f"), ("ee", "i"), ("ea", "i"), ("y", "i"), ("ck", "k")):
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def rejoin(text: str, names: Iterable[str]) -> str:
    """``text`` with a name said in pieces, as voice typing writes it, put back together ("a tore vastatin" is
    atorvastatin, "gabba pentin" gabapentin): two to four words whose letters sound like one of ``names`` (single
    words, lower case, seven letters or more). Time linear in the length of ``text``."""
    from rapidfuzz import fuzz, process

    sounds = {_sounded(n): n for n in names if len(n) >= 7}
    choices = list(sounds)
    words = list(_TOKEN.finditer(text))
    if not sounds or len(words) > MAX_DICTATED_WORDS:
        return text

    # A word that alone sounds like a name is that name typed whole (with a slip: "the omeprazol"), no piece of one.
    def typed_whole(word: str) -> bool:
        found = process.extractOne(_sounded(word), choices, scorer=fuzz.ratio, score_cutoff=DICTATED_MIN_SCORE)
        return found is not None and len(sounds[found[0]]) <= len(word) + 2  # "vastatin" is no "pravastatin"

    whole = [len(m.group(0)) >= 6 and typed_whole(m.group(0)) for m in words]
    out, pos, i = [], 0, 0
    while i < len(words):
        for width in (4, 3, 2):
            piece = words[i : i + width]
            joined = "".join(m.group(0) for m in piece)
            if len(piece) < width or len(joined) < 7 or not joined.isalpha() or any(whole[i : i + width]):
                continue
            found = process.extractOne(_sounded(joined), choices, scorer=fuzz.ratio, score_cutoff=DICTATED_MIN_SCORE)
            if found is not None and sounds[found[0]] not in (m.group(0) for m in piece):
                out += [text[pos : piece[0].start()], sounds[found[0]]]
                pos, i = piece[-1].end(), i + width
                break
        else:
            i += 1
    return "".join([*out, text[pos:]])


def _unaccented(text: str) -> str:
    """``text`` with accents taken off letters ("plán", "nämé"): the reader's words have none."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_IDENTIFIER = re.compile(r"\b[a-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b|\b[a-z]{2,}[A-Z][A-Za-z0-9]*\b")


def unjoined(text: str) -> str:
    """``text`` with words joined as a program would join them split apart ("credit_score", "myMeds": "credit
    score", "my Meds"); a brand in mixed case ("iPhone", "PayPal", "McDonald") is left alone."""
    return _IDENTIFIER.sub(lambda m: _CAMEL.sub(" ", m.group(0)).replace("_", " "), text)


def words_of(phrases: Iterable[str]) -> set[str]:
    """The words of plain phrases ("food shopping" gives "food" and "shopping")."""
    return {w for phrase in phrases for w in _TOKEN.findall(phrase.casefold()) if w.isalpha()}


_RUN = re.compile(r"([a-z])\1{2,}")


def _shortened(word: str, known: frozenset[str], spellings: dict[str, str]) -> str:
    """A word typed with a letter held down ("hellooo", "plsss", "sooo"): each run of three or more letters as two,
    or else as one, whichever is a known word or casual spelling; else as typed."""
    if not _RUN.search(word):
        return word
    for size in (r"\1\1", r"\1"):
        short = _RUN.sub(size, word)
        if short in known or short in spellings:
            return short
    return word


_SOUND_ALIKE = frozenset({("c", "k"), ("c", "s"), ("s", "z"), ("i", "y"), ("e", "a"), ("o", "u"), ("f", "v")})


def _alike(word: str, candidate: str) -> bool:
    """A likely slip: a letter left out ("spnt" for "spent", "bils" for "bills", "dat" for "data"), one letter too
    many ("deposite", "balancee"), two letters swapped ("opne"), or one letter for one that sounds alike ("risc" for
    "risk")."""
    if len(candidate) == len(word) + 1:
        return any(candidate[:i] + candidate[i + 1 :] == word for i in range(len(candidate)))
    if len(word) == len(candidate) + 1:
        return any(word[:i] + word[i + 1 :] == candidate for i in range(len(word)))
    if len(word) != len(candidate):
        return False
    pairs = [(a, b) for a, b in zip(word, candidate, strict=True) if a != b]
    if len(pairs) == 2:  # two letters swapped ("opne" for "open")
        at = [i for i in range(len(word)) if word[i] != candidate[i]]
        return at[1] == at[0] + 1 and word[at[0]] == candidate[at[1]] and word[at[1]] == candidate[at[0]]
    return len(pairs) == 1 and (tuple(sorted(pairs[0])) in _SOUND_ALIKE)


_VOWELS = frozenset("aeiou")


MIN_SOUNDED = 5
"""The least length of a word read by its sound (:func:`_sound`)."""
_SOUND_MAP = (("ph", "f"), ("ck", "k"), ("qu", "kw"), ("c", "k"), ("q", "k"), ("z", "s"), ("x", "ks"), ("y", "i"))


def _sound(word: str) -> str:
    """A rough key for how a word sounds: sound-alike letters made one ("c", "k"), vowels after the first letter
    dropped (the first, any vowel, read as "a"), runs of one letter made one: "akount" and "account" give "aknt"."""
    for a, b in _SOUND_MAP:
        word = word.replace(a, b)
    first = "a" if word[:1] in _VOWELS else word[:1]
    rest = "".join(ch for ch in word[1:] if ch not in _VOWELS and ch != "h")
    out = first
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


def _skeleton(word: str) -> str:
    """A word's first letter and its other letters that are no vowels: "healthcare" and "hlthcare" give "hlthcr"."""
    return word[:1] + "".join(ch for ch in word[1:] if ch not in _VOWELS)


def _vowels_left_out(word: str, candidate: str) -> bool:
    """Whether ``word`` is ``candidate`` with one or more of its vowels (never its first letter) left out."""
    if len(word) >= len(candidate) or word[:1] != candidate[:1]:
        return False
    it = iter(candidate)
    return all(ch in it for ch in word)  # a subsequence; the skeletons match, so only vowels are missing


@dataclass(frozen=True)
class Reader:
    """Casual spellings and a vocabulary to correct typos against, for one industry in one language."""

    spellings: dict[str, str]
    known: frozenset[str]
    targets: tuple[str, ...]
    target_set: frozenset[str]
    rank: dict[str, int]
    """Frequency rank of each everyday target word; the industry's own words are not in it (they rank first)."""
    own: frozenset[str] = frozenset()
    """The rules' words: a typo close to one of them and to an everyday word is read as the rules'."""
    first: frozenset[str] = frozenset()
    """The industry's own topic words, ahead even of the shared rules' ("dat" is "data" in telecom, not "date")."""
    usage: Mapping[str, int] = field(default_factory=dict)
    """How often each word occurs in the industry's example phrasings: between two of its own words equally close,
    the one its customers use more ("data" over "date" in telecom)."""
    sounds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The target words of five letters or more by how they sound (:func:`_sound`), for words spelt by ear
    ("namber", "dedaktibol"), too far from their word for the edit distance; only the rules' own words are
    reached this way."""
    layouts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Keyboard layouts a message may have been typed on (:attr:`Lexicon.layouts`)."""
    skeletons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The target words of four letters or more by their consonants (:func:`_skeleton`), for words typed without
    some of their vowels ("hlthcare", "bllnce"), which are too many edits away for the edit distance."""

    def canonical(self, text: str, extra: Iterable[str] = ()) -> str:
        """``text`` in lower case with casual spellings rewritten and typos corrected; ``extra`` adds words to know."""
        norm = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())
        norm = norm.replace(" & ", " and ")
        extra_words = words_of(extra)
        norm = _unaccented(norm)  # "whát kínd of plán": stray accents
        norm = self._unleeted(norm, extra_words)
        norm = self._relaid(norm, extra_words)
        norm = self._unspaced(norm, extra_words)
        fixes: dict[str, str] = {}
        pieces: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(norm):
            word = m.group(0)
            pieces.append(norm[pos : m.start()])
            pos = m.end()
            if word not in self.known:
                word = _shortened(word, self.known, self.spellings)
            if word in self.spellings:
                pieces.append(self.spellings[word])
                continue
            if word not in fixes and len(fixes) < MAX_CORRECTIONS:
                fixes[word] = self._correct(word, extra_words)
                if fixes[word] == word and word not in self.known and word not in extra_words:
                    joined = self._split(word)  # "whatsmysavingsbalance": typed without spaces, no typo of one word
                    if joined is not None:
                        fixes[word] = " ".join(self.spellings.get(w, w) for w in joined)
            pieces.append(fixes.get(word, word))
        pieces.append(norm[pos:])
        return "".join(pieces)

    def _knows(self, word: str, extra: set[str]) -> bool:
        """Whether ``word`` is a word the reader knows, one of ``extra`` or a casual spelling."""
        return word in self.known or word in extra or word in self.spellings

    def _unknown(self, text: str, extra: set[str]) -> tuple[int, int]:
        """(words of two letters or more in ``text``, how many of them the reader does not know)."""
        words = [w for w in _TOKEN.findall(text) if len(w) > 1]
        return len(words), sum(not self._knows(w, extra) for w in words)

    def _relaid(self, norm: str, extra: set[str]) -> str:
        """``norm`` read through the keyboard layout that leaves the fewest of its words unknown ("zhqt is ;y
        ;e;ber id": "what is my member id"), when as typed :data:`MIN_RELAID_UNKNOWN` or more are unknown and
        through it at most a :data:`RELAID_UNKNOWN` share; else as typed. Linear: one pass per layout."""
        if not self.layouts:
            return norm
        _, unknown = self._unknown(norm, extra)
        if unknown < MIN_RELAID_UNKNOWN:
            return norm
        best, fewest = norm, unknown
        for layout in self.layouts.values():
            relaid = "".join(layout.get(ch, ch) for ch in norm)
            words, left = self._unknown(relaid, extra)
            if left < fewest and left <= words * RELAID_UNKNOWN:
                best, fewest = relaid, left
        return best

    def _unleeted(self, norm: str, extra: set[str]) -> str:
        """``norm`` with words typed in digits for letters read as letters ("wh4t5 my cr3d1t 5c0r3": "whats my
        credit score"), each only when the reading is a known word and the typed word is not; in such a message a
        lone "1" is "i". Linear in its length."""
        chunks = norm.split(" ")
        read = 0
        for k, chunk in enumerate(chunks):
            if not (_LEET_CHARS & set(chunk) and any(c.isalpha() for c in chunk)):
                continue
            word = chunk.translate(_LEET).strip(".,!?;:")
            typed = chunk.strip(".,!?;:")
            if (
                word.replace("'", "").isalpha()
                and typed not in self.known
                and (self._knows(word, extra) or self._knows(word.replace("'", ""), extra))
            ):
                chunks[k] = chunk.translate(_LEET)
                read += 1
        if read >= MIN_LEET_WORDS:
            chunks = ["i" if c == "1" else c for c in chunks]
        return " ".join(chunks)

    def _unspaced(self, norm: str, extra: set[str]) -> str:
        """``norm`` with a word typed in two or three pieces joined ("ri sk sco re", "pre scrip tions"): pieces
        that make one of the rules' words, when one piece is no word at all. Linear in the words."""
        words = norm.split(" ")
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in (3, 2):
                pieces = words[i : i + n]
                joined = "".join(pieces)
                if (
                    len(pieces) == n
                    and all(p.isalpha() for p in pieces)
                    and joined in self.own
                    and len(joined) >= MIN_UNSPACED
                    and not all(self._knows(p, extra) for p in pieces)
                ):
                    out.append(joined)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    def _spaced(self, word: str, extra: set[str]) -> str | None:
        """``word`` with one of the letters beside the space bar read as the space it missed ("whonis": "who
        is", "primarybcare": "primary care"), when exactly one such reading makes two known words."""
        found = []
        for k, ch in enumerate(word):
            if ch in _SPACE_NEIGHBOURS and 2 <= k <= len(word) - 3:
                left, right = word[:k], word[k + 1 :]
                if all(w in self.target_set or w in _LITTLE or w in extra for w in (left, right)):
                    found.append(f"{left} {right}")
        return found[0] if len(found) == 1 else None

    def _clipped(self, word: str) -> str | None:
        """The one shortest rules' word ``word`` is the start of, up to :data:`MAX_CLIPPED` letters longer
        ("deductib", "credi", "polic"); None when there is none or two as short."""
        if len(word) < MIN_CLIPPED or not word.isalpha():
            return None
        lo = bisect.bisect_left(self.targets, word)
        found = []
        for candidate in self.targets[lo : lo + MAX_CLIPPED_SCAN]:
            if not candidate.startswith(word):
                break
            if candidate in self.own and len(candidate) - len(word) <= MAX_CLIPPED:
                found.append(candidate)
        found.sort(key=len)
        if not found or (len(found) > 1 and len(found[1]) == len(found[0])):
            return None
        return found[0]

    def _split(self, word: str) -> list[str] | None:
        """A word typed without its spaces as the fewest words the reader knows ("howmuchismybill"), each of
        three letters or more but for a short list of little words; None when it is no such run. Linear: each
        position tries pieces of at most :data:`MAX_PIECE` letters."""
        n = len(word)
        if not MIN_RUN <= n <= MAX_RUN or not word.isalpha():
            return None
        best: list[tuple[int, int] | None] = [None] * (n + 1)  # (pieces, rank sum) of the best split of word[:k]
        best[0], back = (0, 0), [0] * (n + 1)
        for end in range(1, n + 1):
            for start in range(max(0, end - MAX_PIECE), end):
                prev = best[start]
                piece = word[start:end]
                if prev is None or not (
                    piece in _LITTLE
                    or (len(piece) >= 3 and piece in self.target_set)
                    or (len(piece) >= 4 and piece in self.spellings)
                ):
                    continue
                score = (prev[0] + 1, prev[1] + self.rank.get(piece, 0))
                if best[end] is None or score < best[end]:  # type: ignore[operator]
                    best[end], back[end] = score, start
        found = best[n]
        if found is None or found[0] < MIN_PIECES:
            return None  # "cashpoint", "appointmet": a compound or a typo, not a run of words
        out, end = [], n
        while end:
            out.append(word[back[end] : end])
            end = back[end]
        return out[::-1]

    def _preference(self, word: str, candidate: str, extra: set[str]) -> tuple[bool, int, bool, int, int]:
        if candidate in extra or candidate in self.first:  # the persona's and the industry's own words first
            rank = -2
        else:
            rank = -1 if candidate in self.own else self.rank.get(candidate, TARGET_WORDS)
        used = -self.usage.get(candidate, 0) if rank == -2 else 0
        return candidate[0] != word[0], rank, not _alike(word, candidate), used, abs(len(candidate) - len(word))

    def _correct(self, word: str, extra: set[str]) -> str:
        if len(word) < 3 or not word.isalpha() or word in self.known or word in extra:
            return word
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = 1 if len(word) <= 5 else 2
        if len(word) == 3:  # three letters: only a unique close word of the industry's, or "teh" -> "the"
            limit = 1
        choices = [*self.targets, *sorted(extra - self.target_set)]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
        best = min((score for _, score, _ in found), default=0)
        close = [choice for choice, score, _ in found if score == best]
        if best == 2:  # two edits only for a word that starts like its correction and is about as long
            close = [c for c in close if c[0] == word[0] and abs(len(c) - len(word)) <= 1]
            if close and (spaced := self._spaced(word, extra)) is not None:
                return spaced  # "whonis": "who is" (a space missed), before "whores" (two letters changed)
        unvoiced = [c for c in self.skeletons.get(_skeleton(word), ()) if _vowels_left_out(word, c)]
        if unvoiced and (not close or not _VOWELS & set(word[1:])):
            close = unvoiced  # "hlthcare", "svngs": only vowels left out, however many (not "songs" for "svngs")
        key = _sound(word) if not close and len(word) >= MIN_SOUNDED else ""
        if len(key) >= MIN_SOUNDED - 1:
            heard = [  # the rules' own words, about as long ("perth" is no "priority")
                c for c in self.sounds.get(key, ()) if (c in self.own or c in extra) and abs(len(c) - len(word)) <= 2
            ]
            close = heard if len(heard) == 1 else []  # "akount" is "account"; two words that sound alike: neither
        if not close:
            return self._clipped(word) or self._spaced(word, extra) or word
        if len(close) > 1:  # same first letter, the industry's own words or the commoner word, the same length (a swap)
            close = sorted(close, key=lambda c: self._preference(word, c, extra))
            if self._preference(word, close[0], extra) == self._preference(word, close[1], extra):
                return word
        return close[0] if close else word


MIN_RELAID_UNKNOWN, RELAID_UNKNOWN = 2, 0.2
"""A message with MIN_RELAID_UNKNOWN or more unknown words is read through a keyboard layout that leaves fewer, and
at most a RELAID_UNKNOWN share of its words, unknown."""
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "<": "c"})
_LEET_CHARS = frozenset("013457@$<")
MIN_LEET_WORDS = 2
"""Words read from digits for letters a message needs before a lone "1" in it is read as "i"."""
_SPACE_NEIGHBOURS = frozenset("bnvm")
"""Letters beside the space bar, typed for the space they missed."""
MIN_UNSPACED = 4
"""A word typed in pieces is joined only into a rules' word of at least this many letters."""
MIN_CLIPPED, MAX_CLIPPED, MAX_CLIPPED_SCAN = 5, 3, 64
"""A word of MIN_CLIPPED letters or more that no correction reaches may be a rules' word with its last letters (at
most MAX_CLIPPED) left off; at most MAX_CLIPPED_SCAN words starting with it are looked at."""
MIN_RUN, MAX_RUN, MAX_PIECE, MIN_PIECES = 9, 48, 16, 3
"""A word of MIN_RUN to MAX_RUN letters may be MIN_PIECES or more typed without spaces, each of at most MAX_PIECE."""
_LITTLE = frozenset((
    "a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "if", "in", "is", "it", "me", "my", "no", "of", "on",
    "or", "so", "to", "up", "us", "we", "how", "who", "why", "did", "has", "had", "was", "are", "can", "its", "the",
    "and", "for", "our", "you", "your", "yours", "what", "when", "whats", "hows", "wheres", "whens", "much", "many",
    "left", "last", "next", "due",
))  # fmt: skip
"""Short words a run of words typed without spaces may hold ("howmuchismybill")."""


def build_reader(
    vocabulary: Iterable[str], language: str = "en", first: Iterable[str] = (), usage: Mapping[str, int] | None = None
) -> Reader:
    """A reader whose corrections land on ``vocabulary`` (the rules' words) or the language's everyday words;
    ``first`` (words of ``vocabulary``: the industry's own) win a tie with any other, and between two of them the
    one ``usage`` counts more."""
    lex = lexicon(language)
    everyday = everyday_words(language)
    common = set(lex.words) | words_of(lex.spellings.values()) | set(everyday[:TARGET_WORDS])
    # The example phrasings' own words ("renewal", "priciest") are the industry's too; not the ones a letter away
    # from a word already known, which are the phrasings' deliberate typos ("adress") or a known word's forms.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    known_words = sorted({*vocabulary, *common})
    spoken = {
        w
        for w in (usage or {})
        if len(w) >= 3
        and w.isalpha()
        and w not in common
        and w not in vocabulary
        and not process.extractOne(w, known_words, scorer=OSA.distance, score_cutoff=1)
    }
    vocabulary = {*vocabulary, *spoken}
    first = {*first, *spoken}
    targets = sorted({w for w in (*vocabulary, *common) if len(w) >= 3 and w.isalpha()})
    known = frozenset(targets) | frozenset(everyday)
    own = set(vocabulary)
    rank = {w: i for i, w in enumerate(everyday[:TARGET_WORDS]) if w not in own}
    return Reader(
        dict(lex.spellings),
        known,
        tuple(targets),
        frozenset(targets),
        rank,
        frozenset(own),
        frozenset(first) & own,
        dict(usage or {}),
        _key_index(targets, _sound, MIN_SOUNDED),
        dict(lex.layouts),
        _key_index(targets, _skeleton, 4),
    )


def _key_index(targets: Iterable[str], key: Callable[[str], str], shortest: int) -> dict[str, tuple[str, ...]]:
    """The target words of ``shortest`` letters or more by ``key`` (their sound, their consonants)."""
    index: dict[str, list[str]] = {}
    for word in targets:
        if len(word) >= shortest:
            index.setdefault(key(word), []).append(word)
    return {k: tuple(words) for k, words in index.items()}


__all__ = [
    "DICTATED_MIN_SCORE",
    "MAX_CORRECTIONS",
    "MAX_DICTATED_WORDS",
    "TARGET_WORDS",
    "Absent",
    "AnswerType",
    "Lexicon",
    "Reader",
    "build_reader",
    "everyday_words",
    "lexicon",
    "rejoin",
    "rule_words",
    "stopwords",
    "words_of",
]
