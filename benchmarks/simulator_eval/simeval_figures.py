"""Reading a reply: the figures it states, and whether it declines, refuses or asks to clarify.

Independent of the simulator: the figures are read with general patterns for the spellings an
English-speaking assistant uses (``$1,234.50``, ``-£92.10``, ``minus $5``, ``$250k``, ``23%``,
``Jul 1, 2026`` / ``1 Jul 2026`` / ``July 1st`` / ``2026-07-01``, ``14:30`` / ``2:30 PM``, small
numbers in words), and the cues are plain English phrases listed below. Only ``en_US`` and
``en_GB`` spellings are read (day-first numeric dates for en_GB, month-first for en_US).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from simeval_cues import DECLINE_CUES, NUMBER_WORDS, ZERO_CUES, any_cue, mentions, normalise, sentences

# --- the values a field resolves to ------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount; ``signed``: a negative amount must be stated as negative (a balance), else the
    magnitude is enough (a purchase of -$12.50 may be quoted as "you spent $12.50")."""

    amount: float
    signed: bool = True
    about: tuple[str, ...] = ()
    """Words naming the figure: a zero may be put in words in a sentence naming it ("no Gas spending")."""


@dataclass(frozen=True)
class Number:
    """A count, score, GB or Mbps figure; ``tol`` is the accepted difference."""

    value: float
    tol: float = 1e-6
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class Percent:
    """A share in percent (the prompt rounds to a whole percent, so half a point either way is accepted)."""

    value: float
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class Day:
    """A date; ``loose`` also accepts the month and year, "since 2016" or "N years" (tenure questions)."""

    value: dt.date
    loose: bool = False
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Clock:
    """A time of day, 24-hour."""

    hour: int
    minute: int


@dataclass(frozen=True)
class Text:
    """A name, ID, status or label: any of ``options``, case-insensitive, on word boundaries."""

    options: tuple[str, ...]


@dataclass(frozen=True)
class Phone:
    """A phone number, compared by its digits."""

    digits: str


@dataclass(frozen=True)
class Listed:
    """A count stated by listing the items: every ``inside`` value is stated and no ``outside`` one
    ("You're taking Metformin" says one prescription; a list of every transaction does not say how
    many were groceries)."""

    inside: tuple[Money | Number | Day | Clock | Text, ...]
    outside: tuple[Money | Number | Day | Clock | Text, ...] = ()


Value = Money | Number | Percent | Day | Clock | Text | Phone | Listed

# --- figures in a reply ---------------------------------------------------------------

_MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH} {_DAY}(?:,? {_YEAR})?\b"),
    re.compile(rf"\b{_DAY}(?: of)? {_MONTH},? {_YEAR}\b"),
    re.compile(rf"\b{_DAY}(?: of)? {_MONTH}\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},? {_YEAR}\b")
_TIME = re.compile(
    r"\b(?P<h>[0-2]?\d)(?::(?P<m>[0-5]\d))?\s?(?P<ampm>a\.?m\.?|p\.?m\.?)(?![a-z])|\b(?P<h24>[0-2]?\d):(?P<m24>[0-5]\d)\b"
)
_PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d ()\-.]{7,}\d(?![\w-])")
_ID = re.compile(r"\b[A-Z]{2,5}-[0-9A-Z]{4,12}\b|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
"""IDs as records spell them (upper case: ``AU-17QDBV59``, ``TKT-24UUCWTB``) and email addresses."""
_NUMBER = re.compile(
    r"(?P<pre>minus |negative |overdrawn by |in the red by )?(?P<neg>(?<![\w.])-)?(?P<open>\()?"
    r"(?P<cur>[$£€¥￥]|usd |gbp |eur )?(?P<neg2>-)?"
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)"
    r"(?P<scale>\s?(?:k|m|bn|million|thousand)\b)?(?P<pct>\s?%|\s?per ?cent\b)?"
)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class Amount:
    """A number read from a reply: its value (negative when stated so) and whether it had a currency."""

    value: float
    money: bool
    percent: bool


@dataclass(frozen=True)
class Figures:
    """Everything a reply states, read once."""

    text: str
    """The normalised reply text."""
    numbers: tuple[Amount, ...] = ()
    days: tuple[tuple[int | None, int, int], ...] = ()
    """(year or None, month, day)."""
    month_years: tuple[tuple[int, int], ...] = ()
    clocks: tuple[tuple[int, int], ...] = ()
    phones: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    words: tuple[int, ...] = field(default=())
    """Small numbers written as words."""


def _month(name: str) -> int:
    return _MONTHS[name[:3]]


def _valid_day(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def read_figures(reply: str, *, day_first: bool = False) -> Figures:
    """The figures ``reply`` states; ``day_first`` reads ``01/07/2026`` as 1 July (en_GB)."""
    ids = [m.group(0).casefold() for m in _ID.finditer(reply)]
    text = normalise(reply)
    work = text
    for found in ids:
        work = work.replace(found, " " * len(found))
    days: list[tuple[int | None, int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(work):
            g = m.groupdict()
            year = int(g["year"]) if g.get("year") else None
            if "mon" in g:
                month, day = _month(g["mon"]), int(g["day"])
            elif "m" in g:
                month, day = int(g["m"]), int(g["day"])
            else:
                a, b = int(g["a"]), int(g["b"])
                month, day = (b, a) if day_first else (a, b)
            if _valid_day(year, month, day):
                days.append((year, month, day))
                work = _blank(work, m.span())
    month_years = []
    for m in _MONTH_YEAR.finditer(work):
        month_years.append((int(m.group("year")), _month(m.group("mon"))))
        work = _blank(work, m.span())
    clocks = []
    for m in _TIME.finditer(work):
        if m.group("h24") is not None:
            hour, minute = int(m.group("h24")), int(m.group("m24"))
        else:
            hour, minute = int(m.group("h")) % 12, int(m.group("m") or 0)
            hour += 12 if m.group("ampm").startswith("p") else 0
        if hour < 24:
            clocks.append((hour, minute))
            work = _blank(work, m.span())
    phones = []
    for m in _PHONE.finditer(work):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) >= 9:
            phones.append(digits)
            work = _blank(work, m.span())
    numbers = [_amount(m) for m in _NUMBER.finditer(work)]
    words = [NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", work) if w in NUMBER_WORDS]
    return Figures(
        text, tuple(numbers), tuple(days), tuple(month_years), tuple(clocks), tuple(phones), tuple(ids), tuple(words)
    )


def _amount(m: re.Match[str]) -> Amount:
    value = float(m.group("num").replace(",", ""))
    if m.group("scale"):
        value *= _SCALES[m.group("scale").strip()]
    negative = bool(m.group("pre") or m.group("neg") or m.group("neg2"))
    money = bool(m.group("cur"))
    end = m.end()
    if m.group("open") and money and m.string[end : end + 1] == ")":  # accounting style: ($12.50)
        negative = True
    return Amount(-value if negative else value, money, bool(m.group("pct")))


# --- matching a value against a reply ---------------------------------------------------


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol + 1e-9 * max(abs(a), abs(b))


def none_stated(fig: Figures, about: tuple[str, ...]) -> bool:
    """A sentence says there is none (a zero or decline cue) and names one of ``about`` (any sentence
    when ``about`` is empty). "I don't have that in your records" names nothing, so it says no
    item is absent."""
    for sentence in sentences(fig.text):
        if (any_cue(ZERO_CUES, sentence) or any_cue(DECLINE_CUES, sentence)) and (
            not about or any(mentions(w, sentence) for w in about)
        ):
            return True
    return False


def _zero_stated(fig: Figures, about: tuple[str, ...]) -> bool:
    return none_stated(fig, about)


def _day_matches(day: Day, fig: Figures) -> bool:
    d = day.value
    if any((y in (None, d.year)) and (m, dd) == (d.month, d.day) for y, m, dd in fig.days):
        return True
    if not day.loose:
        return False
    if (d.year, d.month) in fig.month_years:
        return True
    if re.search(rf"\b(?:since|in|from|back in|joined in) {d.year}\b", fig.text):
        return True
    if day.as_of is not None:
        years = (day.as_of - d).days / 365.2425
        spelled = {int(years), round(years)}
        for found in re.findall(r"\b(\d+|[a-z]+)\+? (?:full )?years?\b", fig.text):
            n = int(found) if found.isdigit() else NUMBER_WORDS.get(found)
            if n in spelled:
                return True
    return False


def matches(value: Value, fig: Figures) -> bool:
    """``fig`` states ``value`` (in any of the accepted spellings)."""
    if isinstance(value, Money):
        if _close(value.amount, 0.0, 0.005) and _zero_stated(fig, value.about):
            return True
        for n in fig.numbers:
            if n.percent or not _close(abs(n.value), abs(value.amount), 0.005):
                continue
            if not value.signed or (n.value < 0) == (value.amount < -0.005) or _close(value.amount, 0.0, 0.005):
                return True
        return False
    if isinstance(value, Number):
        if value.value == 0 and _zero_stated(fig, value.about):
            return True
        if any(not n.percent and _close(n.value, value.value, value.tol) for n in fig.numbers):
            return True
        return value.value == int(value.value) and int(value.value) in fig.words
    if isinstance(value, Percent):
        if value.value >= 99.5 and re.search(r"\b(?:full|fully|entire|whole|all of)\b", fig.text):
            return True
        if value.value < 0.5 and _zero_stated(fig, value.about):
            return True
        return any(n.percent and abs(n.value - value.value) <= 0.5 + 1e-9 for n in fig.numbers)
    if isinstance(value, Listed):
        return (
            bool(value.inside)
            and all(matches(v, fig) for v in value.inside)
            and not any(matches(v, fig) for v in value.outside)
        )
    if isinstance(value, Day):
        return _day_matches(value, fig)
    if isinstance(value, Clock):
        if (value.hour, value.minute) in fig.clocks:
            return True
        return (value.hour, value.minute) == (12, 0) and "noon" in fig.text
    if isinstance(value, Phone):
        return any(value.digits.endswith(p[-10:]) or p.endswith(value.digits[-10:]) for p in fig.phones if len(p) >= 9)
    return any(_has_text(option, fig.text) for option in value.options)


def _has_text(option: str, text: str) -> bool:
    """``option`` in ``text`` on word boundaries, case and commas aside ("Flat 86B Henderson Gardens")."""
    needle = normalise(option).replace(",", "")
    if not needle:
        return False
    left = r"\b" if needle[0].isalnum() else ""
    right = r"\b" if needle[-1].isalnum() else ""
    return re.search(left + re.escape(needle) + right, text.replace(",", "")) is not None


# --- what counts as "a figure" for the wrong-figure check -----------------------------


def figure_keys(fig: Figures) -> set[tuple[object, ...]]:
    """The figures of ``fig`` that identify a record value: amounts, percentages, dates, times, IDs,
    phones and numbers of 13 or more (not years). Small whole numbers are left out: "1 transaction"
    or "2 policies" say too little to tell one field from another."""
    keys: set[tuple[object, ...]] = set()
    for n in fig.numbers:
        if n.percent:
            keys.add(("pct", round(n.value)))
            continue
        magnitude = round(abs(n.value), 2)
        if magnitude == 0:
            continue
        whole = magnitude == int(magnitude)
        if n.money or not whole or (magnitude >= 13 and not 1900 <= magnitude <= 2100):
            keys.add(("num", magnitude))
    keys.update(("date", m, d) for _, m, d in fig.days)
    keys.update(("time", h, m) for h, m in fig.clocks)
    keys.update(("id", i) for i in fig.ids)
    keys.update(("phone", p[-10:]) for p in fig.phones)
    return keys


__all__ = [
    "Amount",
    "Clock",
    "Day",
    "Figures",
    "Listed",
    "Money",
    "Number",
    "Percent",
    "Phone",
    "Text",
    "Value",
    "figure_keys",
    "matches",
    "none_stated",
    "read_figures",
]
