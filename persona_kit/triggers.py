"""Offline detection of mode-switch requests typed into the chat.

The reference dashboard switches industry when the user types a phrase such as
"Presto-Change-O, you're a bank". :func:`detect_mode_request` finds such a
request (trigger phrase, industry, optional company name) without any model;
:func:`resolve_mode_request` turns it into a :class:`~persona_kit.models.modes.Mode`:
a built-in one, a custom one from the catalogue, or a new custom mode built
from the request, so an unknown industry is never an error.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from persona_kit.models.modes import Metric, Mode, Tab, Theme
from persona_kit.modes import ModeCatalogue

DEFAULT_PHRASES = ("presto-change-o", "presto chango")

DEFAULT_INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("banking", ("bank", "banking", "banker", "credit union", "savings and loan")),
    ("insurance", ("insurer", "insurance", "insurance company", "claims", "claims department")),
    (
        "healthcare",
        ("health", "healthcare", "health care", "health plan", "health insurance", "clinic", "hospital", "doctor",
         "doctor's office", "medical practice"),
    ),
)  # fmt: skip
"""Industry synonyms per mode id, matched as whole words; the longest match wins."""

MAX_COMPANY_CHARS = 60
MAX_INDUSTRY_WORDS = 4

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_LEAD = re.compile(
    r"\b(?:you\s*'?\s*re(?:\s+now)?|you\s+are(?:\s+now)?|be(?:come)?|turn\s+into|act\s+as|switch\s+to"
    r"|change\s+(?:in)?to|make\s+(?:it|this)|pretend\s+to\s+be)\s+(?:(?:an?|the)\s+)?",
    re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_][\w&'\-]*")
_STOP_WORDS = frozenset(
    {"called", "named", "from", "for", "with", "that", "who", "which", "and", "but", "please", "now", "instead"}
    | {"today", "again", "so", "to"}
)
_FILLER = frozenset({"company", "business", "firm", "provider", "organisation", "organization"})
_COMPANY = re.compile(r"\s*(?:called|named)\s+(?P<company>[^.!?;,\n]+)", re.IGNORECASE)


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
        best: tuple[int, int, str, str] | None = None
        for mode_id, synonyms in self.industries:
            for synonym in synonyms:
                words = synonym.casefold().split()
                pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
                found = re.search(pattern, text, re.IGNORECASE)
                if found and (best is None or (-len(synonym), found.start()) < best[:2]):
                    best = (-len(synonym), found.start(), mode_id, found.group())
        return (best[2], best[3]) if best else None

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
    match = _COMPANY.match(rest)
    if not match:
        return None
    name = " ".join(match.group("company").split()).strip(" \"'`*,")
    return name[:MAX_COMPANY_CHARS].strip() or None


def _industry_words(rest: str) -> tuple[str, str]:
    """The industry words at the start of ``rest`` (up to punctuation or a stop word) and the text after them."""
    words: list[str] = []
    pos = 0
    for match in _WORD.finditer(rest):
        if rest[pos : match.start()].strip() or len(words) == MAX_INDUSTRY_WORDS:
            break
        if match.group().casefold() in _STOP_WORDS:
            break
        words.append(match.group())
        pos = match.end()
    while len(words) > 1 and words[-1].casefold() in _FILLER:
        words.pop()
    return " ".join(words), rest[pos:]


def detect_mode_request(text: str, config: TriggerConfig = DEFAULT_TRIGGERS) -> ModeRequest | None:
    """A mode-switch request in ``text``, or None if it is an ordinary chat message.

    "Presto-Change-O, you're a bank called Harbor Federal" gives
    ``ModeRequest("bank", "banking", "Harbor Federal")``; "Presto-Change-O,
    you're an airline" gives ``ModeRequest("airline", None)``.
    """
    squashed = _squash(text)
    if config.phrases and not any(_squash(p) in squashed for p in config.phrases):
        return None
    text = text.translate(_APOSTROPHES)
    for lead in _LEAD.finditer(text):
        industry, rest = _industry_words(text[lead.end() :])
        if industry:
            return ModeRequest(industry, config.industry_for(industry), _company(rest))
    if not config.phrases:
        return None
    found = config.find_industry(text)
    return ModeRequest(found[1], found[0]) if found else None


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
    """An id-safe slug; text that is not plain ASCII also gets a short stable digest, so ids stay distinct."""
    folded = text.casefold()
    slug = "-".join(re.findall(r"[a-z0-9]+", folded))[:48].strip("-")
    if slug and folded.isascii():
        return slug
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=4, person=b"persona_kit.md").hexdigest()
    return f"{slug}-{digest}" if slug else digest


def custom_mode(industry: str, company_name: str | None = None) -> Mode:
    """A custom mode for an industry no mode covers, with a generic persona."""
    label = " ".join(industry.split())
    if not label:
        msg = "industry must name something, e.g. 'airline'"
        raise ValueError(msg)
    title = " ".join(word[:1].upper() + word[1:] for word in label.split())
    company = company_name or f"{title} Co."
    return Mode(
        id=f"custom-{_slug(label)}",
        name=title,
        company_name=company,
        tagline=f"Your {label} partner",
        persona_kind="generic",
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


def with_company(mode: Mode, company_name: str) -> Mode:
    """``mode`` branded for another company: the name, and the system prompt that mentions it."""
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
