"""Offline detection of mode-switch requests typed into the chat.

The reference dashboard switches industry when the user types a phrase such as
"Presto-Change-O, you're a bank". :func:`detect_mode_request` finds such a
request (trigger phrase, industry, optional company name) without any model;
:func:`resolve_mode_request` turns it into a :class:`~persona_kit.models.modes.Mode`:
a built-in one, a custom one from the catalogue, or a new custom mode built
from the request, so an unknown industry is never an error.

Only a statement switches: an industry that is negated in its clause ("you're
not a bank", "you aren't a bank any more", "never become a clinic") or asked
about ("are you a bank?", "you're a bank?", "is it insurance") is ignored. A
polite request phrased as a question ("could you be a bank?") still switches.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from persona_kit.industries import industries
from persona_kit.models.modes import CUSTOM_KIND, Metric, Mode, Tab, Theme
from persona_kit.modes import ModeCatalogue

DEFAULT_PHRASES = ("presto-change-o", "presto chango")

DEFAULT_INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (kind, record.synonyms) for kind, record in industries().items() if record.builtin_mode
)
"""Industry synonyms per built-in mode id (``Industry.synonyms``), matched as whole words; the longest match wins."""

MAX_COMPANY_CHARS = 60
"""A company name (typed in chat, or given to :func:`custom_mode` or :func:`with_company`) is cut to this length."""
MAX_INDUSTRY_WORDS = 4
MAX_INDUSTRY_CHARS = 60
"""An industry name is cut to this many characters: a word can be as long as the message."""
MAX_SLUG_CHARS = 48

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_LEAD = re.compile(
    r"\b(?:you\s*+'?\s*+re(?:\s+now)?|you\s+are(?:\s+now)?|be(?:come)?|turn\s+into|act\s+as|switch\s+to"
    r"|change\s+(?:in)?to|make\s+(?:it|this)|pretend\s+to\s+be)\s+(?:(?:an?|the)\s+)?",
    re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_NEXT_WORD = re.compile(r"\s*+([^\W_][\w&'\-]*)")
"""The next word after nothing but white space."""
_STOP_WORDS = frozenset(
    {"called", "named", "from", "for", "with", "that", "who", "which", "and", "but", "please", "now", "instead"}
    | {"today", "again", "so", "to", "not", "no", "never"}
)
_FILLER = frozenset({"company", "business", "firm", "provider", "organisation", "organization"})
_CALLED = re.compile(r"\s*(?:called|named)\s+", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|never|no\s+(?:longer|more)|(?:do|does|did|is|are|was|were|wo|ca|should|would|could)nt)\b|n't\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\s*(?:are\s+you|is\s+(?:it|this|that)|am\s+i)\b", re.IGNORECASE)
_POLITE = re.compile(
    r"\s*(?:please\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:now\s+)?"
    r"(?:be(?:come)?|turn\s+into|act\s+as|switch\s+to|change\s+(?:in)?to|pretend\s+to\s+be)\b",
    re.IGNORECASE,
)
_TITLES = frozenset({"dr", "st", "mr", "mrs", "ms"})
"""Abbreviations written before a name: their full stop ends neither the name nor the sentence ("Dr. Smith's")."""
_SUFFIXES = frozenset({"co", "inc", "ltd", "corp"})
"""Abbreviations that end a company name: the full stop is kept ("Acme Co.") and ends it."""
_ABBREVIATION = re.compile(r"\b([A-Za-z]{2,4})\Z")
_NEXT_ABBREVIATION = re.compile(r"\s+([A-Za-z]{2,4})\.")
_SENTENCE_END = re.compile(r"[.!?]+|\n")
_CLAUSE_END = re.compile(r"[.!?\n,;:]")


def _abbreviation(text: str, dot: int) -> str | None:
    """The title or company suffix the full stop at ``text[dot]`` ends ("Dr", "Inc"), casefolded; None otherwise."""
    found = _ABBREVIATION.search(text[max(0, dot - 6) : dot])
    word = found.group(1).casefold() if found else None
    return word if word in _TITLES | _SUFFIXES else None


def _is_end(text: str, i: int) -> bool:
    """Whether the punctuation at ``text[i]`` ends a clause: not the full stop of "3.5", "acme.com" or "Dr."."""
    if text[i] != ".":
        return True
    if i + 1 < len(text) and text[i + 1].isalnum():
        return False
    return _abbreviation(text, i) not in _TITLES


def _name_end(text: str, start: int) -> int:
    """Where a company name starting at ``start`` ends: at a clause or sentence end, through "Dr." and "St.",
    and just after the full stop of a suffix ("Acme Co.") unless another abbreviation follows ("Acme Co. Ltd.")."""
    for found in _CLAUSE_END.finditer(text, start):
        i = found.start()
        if found.group() == ":" or not _is_end(text, i):
            continue
        if found.group() == "." and _abbreviation(text, i) in _SUFFIXES:
            after = _NEXT_ABBREVIATION.match(text, i + 1)
            if after and after.group(1).casefold() in _TITLES | _SUFFIXES:
                continue
            return i + 1
        return i
    return len(text)


class _Scan:
    """One message, indexed once so every question :func:`detect_mode_request` asks of it is a lookup.

    Clause and sentence ends, trigger-phrase ends and negations are found in one pass each; clause starts
    are then found by bisection, so no match scans back (or forward) over the whole text. What a clause
    starts with (a polite request, a question) is read once per clause.
    """

    def __init__(self, text: str, triggers: list[int]) -> None:
        self.text = text
        self.triggers = sorted(triggers)
        self.clause_ends = [m.start() for m in _CLAUSE_END.finditer(text) if _is_end(text, m.start())]
        runs = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
        self.run_ends = [end for _start, end in runs]
        self.runs = runs
        # for each run, whether the first run from it on that ends a sentence holds a "?" (None: no such run)
        self.question_from: list[bool | None] = [None] * (len(runs) + 1)
        for k in range(len(runs) - 1, -1, -1):
            start, end = runs[k]
            ends = _is_end(text, start)
            self.question_from[k] = "?" in text[start:end] if ends else self.question_from[k + 1]
        negations = [m.span() for m in _NEGATION.finditer(text)]
        self.negation_starts = [start for start, _end in negations]
        self.negation_ends = [end for _start, end in negations]
        self._openings: dict[int, tuple[bool, bool]] = {}

    def floor(self, pos: int) -> int:
        """The end of the last trigger phrase at or before ``pos`` (0 if none): no part of a request."""
        i = bisect.bisect_right(self.triggers, pos)
        return self.triggers[i - 1] if i else 0

    def clause_start(self, pos: int, floor: int) -> int:
        """Where the clause holding ``text[pos]`` starts: after the last comma, colon, semicolon or sentence end
        before it, and not before ``floor`` (the end of the trigger phrase, which is no part of the request)."""
        i = bisect.bisect_left(self.clause_ends, pos)
        return self.clause_ends[i - 1] + 1 if i and self.clause_ends[i - 1] >= floor else floor

    def ends_in_question(self, pos: int) -> bool:
        """Whether the sentence holding ``text[pos]`` ends with a question mark ("... a bank?", "... a bank?!")."""
        k = bisect.bisect_right(self.run_ends, pos)
        if k < len(self.runs) and self.runs[k][0] < pos:  # ``pos`` inside a run such as "?!": the rest of it counts
            if _is_end(self.text, pos):
                return "?" in self.text[pos : self.runs[k][1]]
            k += 1
        return bool(self.question_from[k])

    def negated(self, start: int, end: int) -> bool:
        """Whether a negation ("not", "never", "isn't") lies wholly within ``text[start:end]``."""
        i = bisect.bisect_left(self.negation_starts, start)
        return i < len(self.negation_starts) and self.negation_ends[i] <= end

    def opening(self, clause: int) -> tuple[bool, bool]:
        """(is a polite request, is a question) for the clause starting at ``clause``, read once per clause."""
        if clause not in self._openings:
            polite = bool(_POLITE.match(self.text, clause))
            self._openings[clause] = (polite, not polite and bool(_QUESTION.match(self.text, clause)))
        return self._openings[clause]

    def is_statement(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` (an industry, or a "you're ..." request) is asserted, not negated or asked
        about. Negations count from the start of the clause to ``start``, so "you're a bank, not a clinic" is a bank.
        """
        clause = self.clause_start(start, self.floor(start))
        if self.negated(clause, start):
            return False
        polite, question = self.opening(clause)
        return polite or not (question or self.ends_in_question(end))


def _phrase_ends(text: str, phrases: tuple[str, ...]) -> list[int]:
    """Where each trigger phrase ends in ``text``, matched as :func:`_squash` compares them."""
    ends: list[int] = []
    for phrase in phrases:
        pattern = r"[\W_]*".join(map(re.escape, _squash(phrase)))
        ends += [m.end() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return ends


def _squash(text: str) -> str:
    """Letters and digits only, lower case: "Presto-Change-O!" and "presto change o" both give "prestochangeo"."""
    return _NOT_ALNUM.sub("", text.casefold())


@dataclass(frozen=True)
class TriggerConfig:
    """What counts as a mode-switch request.

    ``phrases`` must appear in the message (compared on letters and digits
    only, so punctuation and case do not matter); an empty tuple means any
    "you're a ..." request switches. ``industries`` maps mode ids to synonyms.
    """

    phrases: tuple[str, ...] = DEFAULT_PHRASES
    industries: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_INDUSTRIES

    def __post_init__(self) -> None:
        for phrase in self.phrases:
            if not _squash(phrase):
                msg = f"trigger phrase {phrase!r} has no letters or digits; give a phrase such as 'presto-change-o'"
                raise ValueError(msg)
        for mode_id, synonyms in self.industries:
            if not synonyms or not all(s.strip() for s in synonyms):
                msg = f"industry {mode_id!r} needs at least one non-empty synonym, got {synonyms!r}"
                raise ValueError(msg)

    def with_phrases(self, *phrases: str) -> TriggerConfig:
        """The same config with other trigger phrases."""
        return TriggerConfig(tuple(phrases), self.industries)

    def with_industry(self, mode_id: str, *synonyms: str) -> TriggerConfig:
        """The same config with synonyms for ``mode_id`` added (or replaced)."""
        others = tuple(item for item in self.industries if item[0] != mode_id)
        return TriggerConfig(self.phrases, (*others, (mode_id, tuple(synonyms))))

    def find_industry(self, text: str) -> tuple[str, str] | None:
        """(mode id, synonym as written) of the best synonym in ``text``: longest first, then earliest."""
        found = min(self._industries_in(text), default=None)
        return (found[3], found[4]) if found else None

    def _industries_in(self, text: str) -> list[tuple[int, int, int, str, str]]:
        """Every synonym in ``text`` as (-length, start, end, mode id, as written)."""
        found: list[tuple[int, int, int, str, str]] = []
        for mode_id, synonyms in self.industries:
            for synonym in synonyms:
                words = synonym.casefold().split()
                pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
                matches = re.finditer(pattern, text, re.IGNORECASE)
                found += [(-len(synonym), m.start(), m.end(), mode_id, m.group()) for m in matches]
        return found

    def industry_for(self, phrase: str) -> str | None:
        """The mode id a phrase such as "credit union" names, if any."""
        found = self.find_industry(phrase)
        return found[0] if found else None


DEFAULT_TRIGGERS = TriggerConfig()


@dataclass(frozen=True)
class ModeRequest:
    """A mode switch asked for in chat: the industry as typed, the mode it maps to, any company name."""

    industry: str
    mode_id: str | None
    company_name: str | None = None


def _company(rest: str) -> str | None:
    match = _CALLED.match(rest)
    if not match:
        return None
    name = " ".join(rest[match.end() : _name_end(rest, match.end())].split()).strip(" \"'`*,")
    return name[:MAX_COMPANY_CHARS].strip() or None


def _industry_words(text: str, pos: int) -> tuple[str, int]:
    """The industry words at ``text[pos:]`` (up to punctuation or a stop word) and where they end."""
    words: list[str] = []
    while len(words) < MAX_INDUSTRY_WORDS and (match := _NEXT_WORD.match(text, pos)):
        word = match.group(1).casefold()
        if word in _STOP_WORDS or word.endswith("n't"):
            break
        words.append(match.group(1))
        pos = match.end()
    while len(words) > 1 and words[-1].casefold() in _FILLER:
        words.pop()
    return " ".join(words)[:MAX_INDUSTRY_CHARS].strip(), pos


def detect_mode_request(text: str, config: TriggerConfig = DEFAULT_TRIGGERS) -> ModeRequest | None:
    """A mode-switch request in ``text``, or None if it is an ordinary chat message.

    "Presto-Change-O, you're a bank called Harbor Federal" gives
    ``ModeRequest("bank", "banking", "Harbor Federal")``; "Presto-Change-O,
    you're an airline" gives ``ModeRequest("airline", None)``; "Presto-Change-O,
    you're not a bank" and "Presto-Change-O? Are you a bank?" give None.
    """
    squashed = _squash(text)
    if config.phrases and not any(_squash(p) in squashed for p in config.phrases):
        return None
    text = text.translate(_APOSTROPHES)
    scan = _Scan(text, _phrase_ends(text, config.phrases))
    for lead in _LEAD.finditer(text):
        industry, end = _industry_words(text, lead.end())
        if industry and scan.is_statement(lead.start(), end):
            return ModeRequest(industry, config.industry_for(industry), _company(text[end:]))
    if not config.phrases:
        return None
    stated = [m for m in config._industries_in(text) if scan.is_statement(m[1], m[2])]
    best = min(stated, default=None)
    return ModeRequest(best[4], best[3]) if best else None


# --- building the mode ---------------------------------------------------------

CUSTOM_THEME = Theme(
    primary="#334155",
    secondary="#6366F1",
    background="#F8FAFC",
    surface="#FFFFFF",
    text="#0F172A",
    text_muted="#64748B",
)


def _slug(text: str) -> str:
    """An id-safe slug. Text that is not plain ASCII, or whose slug is cut to fit an id, also gets a short stable
    digest of the whole text, so ids stay distinct ("x" * 49 and "x" * 50 are two industries)."""
    folded = text.casefold()
    whole = "-".join(re.findall(r"[a-z0-9]+", folded))
    slug = whole[:MAX_SLUG_CHARS].strip("-")
    if slug and folded.isascii() and len(whole) <= MAX_SLUG_CHARS:
        return slug
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=4, person=b"persona_kit.md").hexdigest()
    return f"{slug}-{digest}" if slug else digest


def custom_mode(industry: str, company_name: str | None = None) -> Mode:
    """A custom mode for an industry no mode covers, with a generic persona.

    The industry is cut to ``MAX_INDUSTRY_CHARS`` and the company to ``MAX_COMPANY_CHARS`` characters. Both are
    kept as typed (HTML included): the wire is JSON, and whoever renders them as HTML escapes them.
    """
    label = " ".join(industry.split())[:MAX_INDUSTRY_CHARS].strip()
    if not label:
        msg = "industry must name something, e.g. 'airline'"
        raise ValueError(msg)
    title = " ".join(word[:1].upper() + word[1:] for word in label.split())
    company = _company_name(company_name) or f"{title} Co."
    return Mode(
        id=f"custom-{_slug(label)}",
        name=title,
        company_name=company,
        tagline=f"Your {label} partner",
        persona_kind=CUSTOM_KIND,
        theme=CUSTOM_THEME,
        tabs=[
            Tab(id="overview", label="Overview", icon="home"),
            Tab(id="activity", label="Activity", icon="activity"),
            Tab(id="rewards", label="Rewards", icon="star"),
        ],
        system_prompt=(
            f"You are the virtual assistant of {company}, a {label} business. You help the customer with their "
            "account: account value, activity, loyalty points and status tier. Answer with the customer's exact "
            "figures from the context below, be concise and friendly, and never invent accounts or numbers. "
            "When a chart or metrics help, call show_chart or show_metrics."
        ),
        default_metrics=[
            Metric(label="Account value", value="amount", unit="currency"),
            Metric(label="Loyalty points", value="count", unit="points"),
            Metric(label="Status tier", value="tier", unit=""),
        ],
    )


def _company_name(name: str | None) -> str | None:
    return " ".join(name.split())[:MAX_COMPANY_CHARS].strip() or None if name else None


def with_company(mode: Mode, company_name: str) -> Mode:
    """``mode`` branded for another company (cut to ``MAX_COMPANY_CHARS``): its name, and the prompt that says it."""
    company_name = _company_name(company_name) or mode.company_name
    prompt = mode.system_prompt.replace(mode.company_name, company_name)
    return mode.model_copy(update={"company_name": company_name, "system_prompt": prompt})


def resolve_mode_request(request: ModeRequest, modes: ModeCatalogue) -> Mode:
    """The mode a request asks for: a catalogue mode (renamed if a company was given) or a new custom one."""
    mode: Mode | None = None
    if request.mode_id is not None and request.mode_id in modes:
        mode = modes.get(request.mode_id)
    if mode is None:
        wanted = request.industry.casefold()
        mode = next((m for m in modes if wanted in (m.id.casefold(), m.name.casefold())), None)
    if mode is None:
        return custom_mode(request.industry, request.company_name)
    return with_company(mode, request.company_name) if request.company_name else mode
