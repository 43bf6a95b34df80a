"""The mode-request grammar: one pass over a message's tokens, clause by clause.

In words (each capitalised name is a word class of ``data/triggers/<language>.json``; INDUSTRY is any
synonym of a registry industry, ``Industry.synonyms``)::

    message  = clause { PUNCT clause }            the last request stated wins; a RETRACTION cancels it
    clause   = { MAGIC | INTERJECTION } [ opener ] request
    opener   = POLITE_OPENER | ASKING_OPENER      "please", "I want you to" | "can you", "could we"
    request  = COPULA target                      "you're a bank now" (needs MAGIC or a CHANGE_MARKER)
             | IDENTITY_LEAD target               "become an insurer", "pretend you're a hospital"
             | SWITCH_VERB [SWITCH_OBJECT] SWITCH_PREPOSITION target     "switch the demo to a gym demo"
             | SHOW_LEAD target VERSION_NOUN      "show me the banking version", "do the telco one"
             | target VERSION_NOUN                "bank mode" (the whole clause)
             | PLACEHOLDER (":" | "=") target     "mode: healthcare", "switch to custom business: a bakery"
             | target                             right after MAGIC: "presto change-o: lender"
    target   = [ARTICLE] ( brand [", " ARTICLE words] | words [CALLED name] ) [VERSION_NOUN]
    brand    = Capitalised words ("Contoso Bank", "St. Mary's Hospital"), not only industry words

A target's industry is the longest INDUSTRY that ends its words once fillers ("company", "provider")
are dropped ("auto insurer", "cable and internet company"; not "mobile plan"); no industry means a
custom mode. A request is void when a NEGATION precedes it in its clause, when its sentence asks
(QUESTION_OPENER, or a "?" not after an ASKING_OPENER), or when a HYPOTHETICAL word ("ever") softens an
asking opener. Each position is tried once with bounded look-ahead, so time is linear in the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from persona_kit.triggers.words import SENTENCE_PUNCT, Tokens, TriggerWords

MAX_TARGET_WORDS = 5
MAX_BRAND_WORDS = 8
MAX_NAME_TOKENS = 40
COLON_PUNCT = frozenset({":", "=", "->"})
NAME_ENDS = frozenset({",", ";"})


@dataclass(frozen=True)
class Found:
    """A request found in a message: the industry as typed, its mode id (None: custom), a company name."""

    industry: str
    mode_id: str | None
    company_name: str | None


@dataclass(frozen=True)
class _Target:
    label: str
    mode_id: str | None
    company: str | None
    start: int
    end: int
    article: bool
    brand: bool
    version: str | None
    appositive: bool
    words: tuple[str, ...]


IndustryMatcher = Callable[[tuple[str, ...]], tuple[str, str] | None]
"""Casefolded target words -> (mode id, synonym) of the industry they name, if any."""


def _squash(word: str) -> str:
    return "".join(ch for ch in word if ch.isalnum())


class Parser:
    """One message under the grammar above; build it, then read :meth:`request`."""

    def __init__(
        self,
        tokens: Tokens,
        words: TriggerWords,
        phrases: tuple[str, ...],
        industry: IndustryMatcher,
        *,
        magic_optional: bool,
    ) -> None:
        self.t = tokens
        self.w = words
        self.industry = industry
        self.n = len(tokens)
        low = tokens.low
        self.mixed_case = any(ch.islower() for ch in tokens.text) and any(ch.isupper() for ch in tokens.text)
        self.magic = self._magic_spans(phrases)
        self.magic_any = bool(self.magic) or magic_optional
        # clauses, sentences and whether each sentence asks, in one pass; a trigger phrase is never split
        self.clauses: list[tuple[int, int]] = []
        self.sentence_of: list[int] = [0] * self.n
        self.sentence_asks: list[bool] = []
        self.sentence_start: list[int] = [0]
        start, sentence, inside = 0, 0, 0
        for i in range(self.n):
            self.sentence_of[i] = sentence
            inside = max(inside, self.magic.get(i, (0, False))[0])
            if not tokens.word[i] and i >= inside:
                if start < i:
                    self.clauses.append((start, i))
                start = i + 1
                if set(low[i]) <= SENTENCE_PUNCT:
                    self.sentence_asks.append("?" in low[i])
                    sentence += 1
                    self.sentence_start.append(i + 1)
        if start < self.n:
            self.clauses.append((start, self.n))
        self.sentence_asks.append(False)
        self.negations = self._starts("negations")
        self.markers = self._starts("change_markers")
        self.hypothetical = self._starts("hypothetical")

    # --- precomputed lookups ------------------------------------------------------------------------------

    def _starts(self, name: str) -> list[int]:
        """Prefix counts of the positions where a phrase of class ``name`` starts: any in [a, b) is O(1)."""
        phrases = self.w.of(name)
        counts = [0] * (self.n + 1)
        for i in range(self.n):
            counts[i + 1] = counts[i] + (1 if self.t.word[i] and phrases.match(self.t.low, i, self.n) else 0)
        return counts

    @staticmethod
    def _any(counts: list[int], a: int, b: int) -> bool:
        return b > a and counts[b] > counts[a]

    def _magic_spans(self, phrases: tuple[str, ...]) -> dict[int, tuple[int, bool]]:
        """Where a trigger phrase starts: start -> (end, whether the whole phrase, not its first word alone).

        The whole phrase is compared on letters and digits across up to four words and the separators
        between them ("Presto, change-o", "presto change o"), with one typo allowed in a long phrase; its
        first word alone ("Presto!") counts only at a clause start and before punctuation or the end.
        """
        wanted = [(_squash(p.casefold()), _squash(p.casefold().split()[0])) for p in phrases]
        low, word = self.t.low, self.t.word
        spans: dict[int, tuple[int, bool]] = {}
        longest = max((len(full) for full, _ in wanted), default=0)
        for i in range(self.n):
            if not word[i] or not low[i][:1].isalnum():
                continue
            first = _squash(low[i])
            if not any(full[:3] == first[:3] for full, _ in wanted):
                continue
            joined, j, ends = "", i, []
            while j < self.n and len(joined) < longest + 2 and j - i < 8:
                if word[j]:
                    joined += _squash(low[j])
                    ends.append((j + 1, joined))
                elif low[j] not in {",", "-", "...", "\u2013", "\u2014"}:
                    break
                j += 1
            hit = next(
                (
                    end
                    for end, text in reversed(ends)
                    for full, _ in wanted
                    if text == full or (len(full) >= 8 and Levenshtein.distance(text, full, score_cutoff=1) <= 1)
                ),
                None,
            )
            if hit is not None:
                spans[i] = (hit, True)
            elif any(first == short for _, short in wanted) and self._short_form(i):
                spans[i] = (i + 1, False)
        return spans

    def _short_form(self, i: int) -> bool:
        before_ok = i == 0 or not self.t.word[i - 1]
        after_ok = i + 1 >= self.n or not self.t.word[i + 1]
        return before_ok and after_ok

    # --- pieces of a clause -------------------------------------------------------------------------------

    def _skip(self, i: int, end: int, *names: str) -> int:
        """Past any run of phrases of the classes ``names`` (and trigger phrases) from ``i``."""
        while i < end:
            if i in self.magic:
                i = self.magic[i][0]
                continue
            step = max(self.w.of(name).match(self.t.low, i, end) for name in names)
            if not step:
                return i
            i += step
        return i

    def _is(self, name: str, i: int, end: int) -> int:
        return self.w.of(name).match(self.t.low, i, end) if i < end and self.t.word[i] else 0

    def _capitalised(self, i: int) -> bool:
        text = self.t.text[self.t.start[i] : self.t.end[i]]
        return self.t.word[i] and text[:1].isupper() and (self.mixed_case or len(text) <= 1)

    def _brand_end(self, i: int, end: int) -> int:
        """Where a run of capitalised words starting at ``i`` ends (``i`` when there is none)."""
        j, last = i, i
        connectors = self.w.of("brand_connectors")
        while j < end and j - i < MAX_BRAND_WORDS:
            if self._capitalised(j) or (self.t.word[j] and self.t.low[j][:1].isdigit()):
                j += 1
                last = j
            elif j > i and connectors.match(self.t.low, j, end) and j + 1 < end and self._capitalised(j + 1):
                j += 1
            else:
                break
        return last

    def _known_word(self, low: str) -> bool:
        w = self.w
        return any(w.of(c).match([low], 0, 1) for c in ("match_fillers", "version_nouns", "ui_modes")) or bool(
            self.industry((low,))
        )

    def _name(self, i: int) -> tuple[str | None, int]:
        """A company name after CALLED (which ends at ``i``): as typed to the clause end, through "Dr." and
        "Co. Ltd."; (name, where it ends)."""
        suffixes = self.w.of("suffixes").words
        titles = self.w.of("titles").words
        j, last = i, i
        while j < self.n and j - i < MAX_NAME_TOKENS:
            low = self.t.low[j]
            j += 1
            if not self.t.word[j - 1]:
                if low in NAME_ENDS or set(low) <= SENTENCE_PUNCT:
                    break
                continue
            last = j
            if low.endswith(".") and low[:-1] in suffixes:
                after = self.t.low[j].rstrip(".") if j < self.n and self.t.word[j] else ""
                if after not in suffixes | titles:
                    break
        if last == i:
            return None, i
        name = " ".join(self.t.text[self.t.end[i - 1] : self.t.end[last - 1]].split()).strip(" \"'`*,:")
        return name or None, last

    def _label(self, start: int, end: int) -> str:
        text = self.t.text
        parts = [text[self.t.start[k] : self.t.end[k]].strip("'\"") for k in range(start, end)]
        fillers = self.w.of("label_fillers").words
        while len(parts) > 1 and parts[-1].casefold() in fillers:
            parts.pop()
        return " ".join(parts)

    def target(self, i: int, end: int, *, brand_ok: bool = True) -> _Target | None:
        """The target at ``i`` (see the grammar), or None when nothing there names a business."""
        w, low = self.w, self.t.low
        start = i
        article = w.of("articles").match(low, i, end)
        i += article
        if i >= end or not self.t.word[i]:
            return None
        if brand_ok and (not article or w.of("brand_articles").match(low, start, end)):
            brand_end = self._brand_end(i, end)
            single_at_start = brand_end == i + 1 and i == self.sentence_start[self.sentence_of[i]]
            follows = brand_end < end and self.t.word[brand_end] and not self._stop(brand_end, end)
            if brand_end > i and not (single_at_start or follows or all(map(self._known_word, low[i:brand_end]))):
                return self._brand_target(start, i, brand_end, end, article=bool(article))
        j = i
        while j < end and j - i < MAX_TARGET_WORDS and self.t.word[j] and not self._stop(j, end):
            j += 1
        while j > i and low[j - 1] in w.of("conjunctions").words:
            j -= 1
        if j == i:
            return None
        words = tuple(low[i:j])
        found = self._industry_of(words)
        version = self._version(j, end)
        stop = j + (len(version.split()) if version else 0)
        company: str | None = None
        called = self._is("called", stop, end)
        if called:
            company, stop = self._name(stop + called)
        return _Target(
            label=self._label(i, j),
            mode_id=found[0] if found else None,
            company=company,
            start=start,
            end=stop,
            article=bool(article),
            brand=False,
            version=version,
            appositive=False,
            words=words,
        )

    def _brand_target(self, start: int, i: int, brand_end: int, end: int, *, article: bool) -> _Target:
        """A brand ("Contoso Bank", "Fabrikam, the insurance company"): the company it names and its industry,
        from an appositive, else from its own words, else its last word ("Blue Yonder Airlines": airlines)."""
        words = tuple(self.t.low[i:brand_end])
        company = " ".join(self.t.text[self.t.start[i] : self.t.end[brand_end - 1]].split())
        appositive = self._appositive(brand_end)
        if appositive is not None:
            label, mode_id, stop = appositive
            version = None
        else:
            found = self._industry_of(words)
            label = found[1] if found else self._label(brand_end - 1, brand_end)
            mode_id = found[0] if found else None
            stop = brand_end
            version = self._version(brand_end, end)
        return _Target(
            label=label,
            mode_id=mode_id,
            company=company,
            start=start,
            end=stop,
            article=article,
            brand=True,
            version=version,
            appositive=appositive is not None,
            words=words,
        )

    def _stop(self, j: int, end: int) -> bool:
        w, low = self.w, self.t.low
        return bool(
            w.of("target_stops").match(low, j, end)
            or w.of("version_nouns").match(low, j, end)
            or w.of("called").match(low, j, end)
            or w.of("negations").match(low, j, end)
        )

    def _version(self, j: int, end: int) -> str | None:
        n = self._is("version_nouns", j, end)
        return " ".join(self.t.low[j : j + n]) if n else None

    def _appositive(self, j: int) -> tuple[str, str | None, int] | None:
        """ ", an airline" / ", the insurance company" / ", like a hotel" after a brand: (label, mode id, end)."""
        if j >= self.n or self.t.low[j] != ",":
            return None
        k = j + 1
        k += self._is("target_stops", k, self.n) if self.t.low[k : k + 1] == ["like"] else 0
        clause_end = min(self.n, k + MAX_TARGET_WORDS + 2)  # target() stops at the clause's punctuation anyway
        if not self._is("articles", k, clause_end):
            return None
        found = self.target(k, clause_end, brand_ok=False)
        if found is None:
            return None
        return found.label, found.mode_id, found.end

    def _industry_of(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        """(mode id, synonym as matched) of the industry the words name: the longest synonym ending them once
        fillers are dropped, tried on the whole and on each part between conjunctions ("cable and internet")."""
        fillers = self.w.of("match_fillers").words
        conjunctions = self.w.of("conjunctions").words | self.w.of("brand_connectors").words
        parts = [words]
        current: list[str] = []
        for word in words:
            if word in conjunctions:
                if current:
                    parts.append(tuple(current))
                current = []
            else:
                current.append(word)
        if current and len(current) < len(words):
            parts.append(tuple(current))
        for part in parts:
            stripped = list(part)
            while len(stripped) > 1 and stripped[-1] in fillers:
                stripped.pop()
            for candidate in (tuple(stripped), part):
                for k in range(len(candidate)):
                    found = self.industry(candidate[k:])
                    if found:
                        return found
        return None

    # --- requests -------------------------------------------------------------------------------------

    def _noun_like(self, target: _Target, *, magic: bool) -> bool:
        """Whether a target of an identity or copula request names a business, not a quality ("be quick")."""
        w = self.w
        first = target.words[0]
        if first in w.of("ordinary_targets").words or first in w.of("not_targets").words:
            return False
        if target.mode_id or target.brand or target.article:
            return True
        return magic and not first.endswith(("ed", "ly"))

    def _ui(self, target: _Target) -> bool:
        return bool(self.w.of("ui_modes").match(list(target.words), 0, len(target.words)) == len(target.words))

    def lead(self, i: int, end: int, *, at_start: bool, clause: tuple[int, int]) -> _Target | None:
        """The request that starts at ``i`` with a lead (copula, identity, switch, show), if any.

        Away from the clause start a lead counts only after the magic phrase ("Presto! ok so you're a bank").
        """
        if not (at_start or self.magic_any):
            return None
        return self._identity(i, end, at_start=at_start, clause=clause) or self._switched(i, end) or self._shown(i, end)

    def _identity(self, i: int, end: int, *, at_start: bool, clause: tuple[int, int]) -> _Target | None:
        """COPULA target (stated as a change, or after the magic phrase) or IDENTITY_LEAD target."""
        loose = self.magic_any and at_start  # "Presto, be university" may drop the article; "I want to be rich" not
        copula = self._is("copulas", i, end)
        if copula and not (self.magic_any or self._any(self.markers, *clause)):
            return None  # "you're a bank" describes; "you're a bank now" asks
        n = copula or self._is("identity_leads", i, end)
        if not n:
            return None
        target = self.target(self._skip(i + n, end, "change_markers"), end)
        return target if target and self._noun_like(target, magic=loose) and not self._ui(target) else None

    def _switched(self, i: int, end: int) -> _Target | None:
        """SWITCH_VERB [SWITCH_OBJECT] SWITCH_PREPOSITION target."""
        switched = self._switch(i, end)
        if switched is None:
            return None
        after, has_object = switched
        target = self.target(self._skip(after, end, "change_markers"), end)
        return target if target and self._switch_ok(target, has_object=has_object, magic=self.magic_any) else None

    def _shown(self, i: int, end: int) -> _Target | None:
        """SHOW_LEAD target VERSION_NOUN ("show me the banking version", "let's try a gym this time")."""
        n = self._is("show_leads", i, end)
        target = self.target(i + n, end) if n else None
        return target if target and self._show_ok(target) else None

    def _switch(self, i: int, end: int) -> tuple[int, bool] | None:
        """(where the target starts, whether an object such as "the demo" was named) after a switch lead."""
        n = self._is("make_leads", i, end)
        if n:
            return i + n, True
        n = self._is("switch_verbs", i, end)
        if not n:
            return None
        j = i + n
        obj = self._is("switch_objects", j, end)
        prep = self._is("switch_prepositions", j + obj, end)
        if not prep:
            return None
        return j + obj + prep, bool(obj)

    def _switch_ok(self, target: _Target, *, has_object: bool, magic: bool) -> bool:
        w = self.w
        if self._ui(target) or target.words[0] in w.of("ordinary_targets").words:
            return False
        if target.words[0] in w.of("not_targets").words:
            return False
        if target.mode_id or target.appositive:
            return True
        if target.version:
            return target.version not in w.of("weak_version_nouns").words
        return has_object or magic

    def _show_ok(self, target: _Target) -> bool:
        w = self.w
        if self._ui(target) or target.words[0] in w.of("ordinary_targets").words | w.of("not_targets").words:
            return False
        marked = self._is("change_markers", target.end, self.n) and not target.version
        if not (target.version or marked):
            return False
        return bool(target.mode_id) or (not target.version or target.version not in w.of("weak_version_nouns").words)

    def bare(self, i: int, end: int, *, full: bool, colon: bool) -> _Target | None:
        """A target with no lead, right after a trigger phrase or a "mode:" placeholder."""
        w = self.w
        i = self._skip(i, end, "bare_fillers", "change_markers")
        if i >= end or self.t.low[i] in w.of("not_targets").words:
            return None
        leads = ("copulas", "identity_leads", "make_leads", "switch_verbs", "negations", "question_openers")
        if any(self._is(name, i, end) for name in leads):
            return None  # a request that did not hold ("you're not a bank") is no bare target
        target = self.target(i, end)
        if target is None or self._ui(target) or target.words[0] in w.of("ordinary_targets").words:
            return None
        if target.mode_id or target.brand:
            return target
        last = target.words[-1]
        if colon or (full and not target.words[0].endswith(("ed", "ly"))):
            return target
        return target if target.article or target.version or last in w.of("business_nouns").words else None

    def _void(self, target: _Target, clause: tuple[int, int], opener: int, asking: bool) -> bool:
        """Whether a request is negated, asked about or hypothetical."""
        a, _b = clause
        if self._any(self.negations, a, target.start):
            return True
        if asking and self._any(self.hypothetical, opener, target.start):
            return True
        asks = self.sentence_asks[self.sentence_of[max(target.start, min(target.end, self.n) - 1)]]
        return asks and not asking

    def request(self) -> Found | None:
        """The request the message makes (the last one stated, unless retracted), or None."""
        found: _Target | None = None
        pending: tuple[bool, bool] | None = None  # (full phrase, after a colon): the next clause may be bare
        for a, b in self.clauses:
            p = self._skip(a, b, "interjections")
            had_magic = any(k in self.magic for k in range(a, p))
            full = any(self.magic[k][1] for k in range(a, p) if k in self.magic)
            if self._is("retractions", p, b) or self._is("retraction_clauses", p, b) == b - p > 0:
                found, pending = None, None
                continue
            if self._is("question_openers", p, b) and not self._is("asking_openers", p, b):
                pending = None
                continue
            asking = self._is("asking_openers", p, b)
            polite = 0 if asking else self._is("polite_openers", p, b)
            q = self._skip(p + asking + polite, b, "interjections")
            hit = self.lead(q, b, at_start=True, clause=(a, b))
            if hit is None and self.magic_any:
                hit = next((t for k in range(q + 1, b) if (t := self.lead(k, b, at_start=False, clause=(a, b)))), None)
            if hit is None and pending is not None and q == p:
                hit = self.bare(q, b, full=pending[0], colon=pending[1])
            if hit is None and had_magic and q < b and q == p:
                hit = self.bare(q, b, full=full, colon=False)
            if hit is None and q == p:
                hit = self._version_clause(q, b)
            if hit is not None and not self._void(hit, (a, b), p, bool(asking)):
                found = hit
            pending = None
            terminator = self.t.low[b] if b < self.n else ""
            if terminator != "?" and (had_magic and q == b):
                pending = (full, False)
            elif terminator in COLON_PUNCT and (
                self._is("placeholders", q, b) == b - q > 0 or (hit is None and self._switch(q, b) is not None)
            ):
                pending = (True, True)  # "mode: healthcare", "switch to custom business: a bakery"
        if found is None:
            return None
        return Found(found.label, found.mode_id, found.company)

    def _version_clause(self, i: int, end: int) -> _Target | None:
        """A clause that is only a target and a strong VERSION_NOUN ("bank mode", "hotel demo please")."""
        target = self.target(i, end)
        if target is None or not target.version or self._ui(target):
            return None
        if target.version in self.w.of("weak_version_nouns").words:
            return None
        rest = self._skip(target.end, end, "target_stops", "interjections")
        return target if rest == end and target.words[0] not in self.w.of("not_targets").words else None


__all__ = ["Found", "IndustryMatcher", "Parser"]
