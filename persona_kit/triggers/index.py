"""A message indexed once for the grammar: its clauses and sentences, where the magic phrase stands, and prefix
counts that answer "is there a negation (a lead, a change marker...) in tokens [a, b)?" in O(1).

Everything here is built by list comprehensions and C-level scans over the tokens, a constant number of
passes, so a 1 MB message is indexed in a fraction of a second; the grammar then parses only clauses that
hold a lead word (:attr:`MessageIndex.cues`).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, pairwise

from persona_kit.triggers.words import Tokens, TriggerWords, ends_sentence

MAGIC_SEPARATORS = frozenset({",", "-", "...", "!", "(", "\u2013", "\u2014"})
"""Punctuation allowed inside the magic phrase ("Presto, change-o", "Presto! Change-o!", "presto (change-o)")."""
LEAD_CLASSES = (
    "copulas", "identity_leads", "weak_identity_leads", "switch_verbs", "make_leads", "show_leads", "version_nouns",
    "placeholders", "suggestion_openers", "hypothetical_suggestions",
    "third_person_copulas", "third_identity_leads", "third_weak_identity_leads", "third_switch_verbs",
    "first_person_copulas",
)  # fmt: skip
"""Word classes one of which a clause must hold to state a request (besides the magic phrase)."""
UNDO_CLASSES = ("retractions", "retraction_clauses", "corrections")
MIN_REPORTING_WORDS = 2
"""Words outside quotation marks (besides fillers) that make a quoted request reported speech."""
MAX_MAGIC_WORDS = 4
FUZZY_MIN_CHARS = 8
"""A magic phrase this long (letters only) may be typed with one typo."""


_JOINERS = str.maketrans("", "", "'-&.")


_REPEATS = re.compile(r"(.)\1+")


def _squash(word: str) -> str:
    """Letters and digits only (a word token holds no other characters than these joiners), each run of one
    letter typed as one: an elongated "prestoo" or "change-ooo" is the phrase, as a spelling with no doubled
    letter ("presto-change-o") is compared the same way."""
    return _REPEATS.sub(r"\1", word.translate(_JOINERS))


MAGIC_SUFFIX = (3, 6)
"""How many letters a playful ending may add to the magic phrase's last word ("change-o-rama", "changearoo")."""
MAGIC_SEPARATOR_CHARS = frozenset(",-.!/\\~*\u2013\u2014")
"""Any run of these between the magic phrase's words is a separator too ("presto!! change!!", "presto/change-o")."""


def _suffixed(joined: str, full: str, last: str) -> bool:
    """Whether ``joined`` is ``full`` and a playful ending, all of it in the last word typed (``last``)."""
    extra = len(joined) - len(full)
    low, high = MAGIC_SUFFIX
    return low <= extra <= high and joined.startswith(full) and len(last) > extra and len(full) > len(last) - extra


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _prefix(flags: list[bool]) -> list[int]:
    return [0, *accumulate(flags)]


class MessageIndex:
    """The tokens of one message with its clauses, sentences, magic phrases and word-class prefix counts."""

    def __init__(self, tokens: Tokens, words: TriggerWords, phrases: tuple[str, ...]) -> None:
        self.t = tokens
        self.w = words
        self.n = n = len(tokens)
        text = tokens.text
        self.mixed_case = text.lower() != text and text.upper() != text
        self.magic = self._magic_spans(phrases)
        punct = [i for i, is_word in enumerate(tokens.word) if not is_word]
        inside = self._inside_magic()
        bounds = [i for i in punct if i not in inside]
        edges = [-1, *bounds, n]
        self.clauses = self._split([(a + 1, b) for a, b in pairwise(edges) if b > a + 1])
        ends = [i for i in bounds if ends_sentence(tokens.low[i])]
        self.sentence_ends = ends
        self.sentence_asks = [*(self._asks_at(i, bounds) for i in ends), False]
        self.sentence_starts = [0, *(i + 1 for i in ends)]
        self.negations = self.starts("negations")
        self.markers = self.starts("change_markers")
        self.hypothetical = self.starts("hypothetical")
        magic_flags = [False] * n
        for i in self.magic:
            magic_flags[i] = True
        cue_flags = [a or b for a, b in zip(self._flags(LEAD_CLASSES), magic_flags, strict=True)]
        self.cues = _prefix(cue_flags)
        self.cue_positions = [i for i, flag in enumerate(cue_flags) if flag]
        self.undo = _prefix(self._flags(UNDO_CLASSES))
        self.quoted = self._quoted()
        fillers = ("interjections", "polite_openers", "question_tags")
        filler = [any(words.of(f).match(tokens.low, k, k + 1) for f in fillers) for k in range(n)]
        said = [k for k in range(n) if tokens.word[k] and not self.quoted[k] and not filler[k]]
        self.reports = len(said) >= MIN_REPORTING_WORDS
        """Whether words outside quotation marks frame what is quoted ("she told me "be a bank""): a quoted request
        is then reported speech, not one."""

    def _split(self, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The clauses, each also split before a SCOPE_CONJUNCTION that an opener follows ("they're all nurses so
        can you be a clinic", "... and please be a bank"): what follows is a request of its own."""
        low, word = self.t.low, self.t.word
        scope = self.w.of("scope_conjunctions").words
        openers = [self.w.of(name) for name in ("asking_openers", "polite_openers")]
        cuts = [
            k
            for k in range(self.n)
            if word[k] and low[k] in scope and any(o.match(low, k + 1, self.n) for o in openers)
        ]
        if not cuts:
            return clauses
        out = []
        for a, b in clauses:
            inner = cuts[bisect.bisect_right(cuts, a) : bisect.bisect_left(cuts, b)]
            out += [(x, y) for x, y in pairwise([a, *inner, b])]
        return out

    def _quoted(self) -> list[bool]:
        """Which tokens stand inside quotation marks (straight double quotes paired in turn, or curly ones)."""
        inside, flags = False, []
        for low, is_word in zip(self.t.low, self.t.word, strict=True):
            if not is_word:
                for ch in low:
                    if ch == '"':
                        inside = not inside
                    elif ch in "\u201c\u00ab":
                        inside = True
                    elif ch in "\u201d\u00bb":
                        inside = False
            flags.append(inside and is_word)
        for a, b in self._single_quoted():
            for k in range(a, b):
                flags[k] = flags[k] or self.t.word[k]
        return flags

    def _single_quoted(self) -> list[tuple[int, int]]:
        """Token spans [a, b) inside single quotation marks ("it says 'Presto-Change-O, you're a bank' but"): a
        quote before a word with a space or the start before it opens, one right after a word closes; an
        apostrophe inside a word is neither, and a quote that never closes marks nothing. Linear."""
        t, spans, start = self.t, [], None
        for k in range(len(t.low)):
            gap = t.text[t.end[k - 1] if k else 0 : t.start[k]]
            opens = gap.endswith("'") and (k == 0 or len(gap) > 1) and not gap[-2:-1].isalnum()
            if start is None and opens and t.word[k]:
                start = k
            raw = t.text[t.start[k] : t.end[k]]
            after = t.text[t.end[k] : t.end[k] + 1]
            closes = raw.endswith("'") or after == "'"
            if start is not None and closes and k >= start and not (t.word[k] and raw.lower().endswith("s'")):
                spans.append((start, k + 1))
                start = None
        return spans

    def all_quoted(self, a: int, b: int) -> bool:
        """Whether every word of [a, b) stands inside quotation marks."""
        ws = [k for k in range(a, b) if self.t.word[k]]
        return bool(ws) and all(self.quoted[k] for k in ws)

    def _asks_at(self, i: int, bounds: list[int]) -> bool:
        """Whether the sentence ending at punctuation ``i`` asks: a "?" there, unless the clause before it is
        only a tag after an earlier clause ("you're an insurer now, ok?", not "ok?" alone)."""
        if "?" not in self.t.low[i]:
            return False
        k = bisect.bisect_left(bounds, i)
        start = bounds[k - 1] + 1 if k else 0
        tag = self.w.of("question_tags").match(self.t.low, start, i) == i - start > 0
        return not (tag and k and not ends_sentence(self.t.low[bounds[k - 1]]))

    # --- lookups ---------------------------------------------------------------------------------------------

    def _flags(self, names: tuple[str, ...]) -> list[bool]:
        firsts = frozenset().union(*(self.w.of(name).firsts for name in names))
        return [is_word and low in firsts for low, is_word in zip(self.t.low, self.t.word, strict=True)]

    def starts(self, name: str) -> list[int]:
        """Prefix counts of the positions where a phrase of class ``name`` starts: any in [a, b) is O(1)."""
        phrases = self.w.of(name)
        flags = [False] * self.n
        for i, hit in enumerate(self._flags((name,))):
            if hit and phrases.match(self.t.low, i, self.n):
                flags[i] = True
        return _prefix(flags)

    @staticmethod
    def any(counts: list[int], a: int, b: int) -> bool:
        """Whether any counted position lies in [a, b)."""
        return b > a and counts[b] > counts[a]

    def cues_in(self, a: int, b: int, limit: int) -> list[int]:
        """The first ``limit`` positions in [a, b) where a lead word (or the magic phrase) stands."""
        k = bisect.bisect_left(self.cue_positions, a)
        return [i for i in self.cue_positions[k : k + limit] if i < b]

    def sentence_of(self, i: int) -> int:
        """The index of the sentence holding token ``i``."""
        return bisect.bisect_left(self.sentence_ends, i)

    def sentence_start(self, i: int) -> int:
        """The first token of the sentence holding token ``i``."""
        return self.sentence_starts[self.sentence_of(i)]

    def asks(self, i: int) -> bool:
        """Whether the sentence holding token ``i`` ends with a question mark."""
        return self.sentence_asks[self.sentence_of(i)]

    # --- the magic phrase ------------------------------------------------------------------------------------

    def _inside_magic(self) -> set[int]:
        return {k for start, (end, _full) in self.magic.items() for k in range(start + 1, end)}

    def _magic_spans(self, phrases: tuple[str, ...]) -> dict[int, tuple[int, bool]]:
        """Where a trigger phrase starts: start -> (end, whether the whole phrase, not its first word alone).

        The whole phrase is compared on letters and digits across up to eight tokens and the separators
        between them ("Presto, change-o", "presto change o"), with one typo allowed in a long phrase
        ("presto chnage-o"); its first word alone ("Presto!") counts only between punctuation (or the ends).
        """
        wanted = [
            (_squash(_letters(p)), _squash(_letters(re.split(r"[\W_]+", p.strip(" -_'.,!"))[0]))) for p in phrases
        ]
        fulls = {full for full, _short in wanted}
        shorts = {short for _full, short in wanted}
        fuzzy = [(full, len(short)) for full, short in wanted if len(full) >= FUZZY_MIN_CHARS > len(short)]
        seconds = tuple({full[: len(short) + 1] for full, short in wanted if len(full) > len(short)})
        prefixes = {full[:1] for full in fulls}  # a first letter: "pesto change-o" is the phrase with one typo
        low, word, n = self.t.low, self.t.word, self.n
        longest = max((len(full) for full in fulls), default=0)
        spans: dict[int, tuple[int, bool]] = {}
        for i in [i for i, x in enumerate(low) if word[i] and _squash(x[:12])[:1] in prefixes]:
            first = _squash(low[i])
            joined, j, hit, words = "", i, None, 0
            while j < n and words < MAX_MAGIC_WORDS and len(joined) <= longest:
                if word[j] and low[j] != "/":  # "presto/change-o": the slash is a word token, here a separator
                    joined = _squash(joined + low[j])
                    words += 1
                    if words == 2 and not (joined.startswith(seconds) or self._near_first(first, low[j], fuzzy)):
                        break  # "presto presto": the second word cannot continue any phrase
                    if joined in fulls or (words > 1 and self._near(joined, low[j], fuzzy)):
                        hit = j + 1  # the longest spelling wins: "presto change o" over "presto change"
                    elif words > 1 and any(_suffixed(joined, full, _squash(low[j])) for full in fulls):
                        hit = j + 1  # "presto change-o-rama", "presto changearoo"
                elif low[j] not in MAGIC_SEPARATORS and not set(low[j]) <= MAGIC_SEPARATOR_CHARS:
                    break
                j += 1
            if hit is not None:
                spans[i] = (hit, True)
            elif first in shorts and self._alone(i):
                spans[i] = (i + 1, False)
        return spans

    @staticmethod
    def _near(joined: str, last: str, fuzzy: list[tuple[str, int]]) -> bool:
        """One typo in the whole phrase ("presto chnage-o", "presot change-o"), the last word's first letter right."""
        from rapidfuzz.distance import OSA

        return any(
            abs(len(joined) - len(full)) <= 1
            and last[:1] == full[cut : cut + 1]
            and OSA.distance(joined, full, score_cutoff=1) <= 1
            for full, cut in fuzzy
        )

    @staticmethod
    def _near_first(first: str, second: str, fuzzy: list[tuple[str, int]]) -> bool:
        """Whether ``first`` is the phrase's first word with one typo ("presot") and ``second`` starts its next."""
        from rapidfuzz.distance import OSA

        return any(
            second[:1] == full[cut : cut + 1] and OSA.distance(_squash(first), full[:cut], score_cutoff=1) <= 1
            for full, cut in fuzzy
        )

    def _alone(self, i: int) -> bool:
        """Whether word ``i`` stands between punctuation (or the ends), an interjection before it aside ("ok
        presto!")."""
        word, low = self.t.word, self.t.low
        before = i == 0 or not word[i - 1]
        if not before and self.w.of("interjections").match(low, i - 1, i) == 1:
            before = i == 1 or not word[i - 2]
        return before and (i + 1 >= self.n or not word[i + 1])


__all__ = ["LEAD_CLASSES", "UNDO_CLASSES", "MessageIndex"]
