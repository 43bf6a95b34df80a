"""What a chat message asks for: a topic, an optional subject, and follow-up cues resolved against the history.

Matching is plain keyword rules, deterministic and offline. A message is read
into an :class:`Intent`; :func:`resolve_intent` fills what a follow-up leaves
out ("and my savings?", "when is the next one?") from the intent before it,
and :func:`intent_for` replays the user's earlier messages to find that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

SubjectKind = Literal["account", "category", "merchant", "policy_type", "claim", "medication", "specialty", "provider"]
ChartType = Literal["line", "bar", "pie", "area"]
Gap = Literal[
    "rate", "today", "window", "this_month", "this_year", "per_year", "per_month", "forecast", "peril", "cost",
    "benefit",
]  # fmt: skip
"""A qualifier the records may not answer: a rate, a period, a yearly figure, a forecast, a peril, a price..."""


@dataclass(frozen=True)
class Subject:
    """A thing a question is about: an account, a category, a policy type, a medication, ..."""

    kind: SubjectKind
    value: str


@dataclass(frozen=True)
class Intent:
    """One question, read: its topic, subject, position in a list, and whether a chart or metrics were asked for."""

    topic: str | None = None
    subject: Subject | None = None
    ordinal: int | None = None
    step: bool = False
    chart: bool = False
    chart_type: ChartType | None = None
    metrics: bool = False
    repeat: bool = False
    follow_up: bool = False
    total: bool = False
    gaps: frozenset[Gap] = frozenset()
    """Qualifiers the question carries that the records may not cover; the answers decide per mode and topic."""
    action: bool = False
    """Asked to do something (transfer, cancel, book, ...), which this chat cannot."""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Ordered: the first topic whose pattern matches wins, so specific topics come before general ones.
TOPICS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "banking": (
        ("security", _rx(r"\b(password|pin|full account number|social security|ssn|cvv|security code)\b")),
        ("credit_score", _rx(r"\b(credit score|fico|score)\b")),
        (
            "utilization",
            _rx(r"\butili[sz]ation\b|\bhow much of my (credit|limit)\b|\bpercent(age)? of my (credit|limit)"),
        ),
        (
            "available_credit",
            _rx(
                r"\b(available credit|credit (left|remaining|available)|can i (still )?(spend|borrow|charge)"
                r"|left on my (card|credit)|room on my card|headroom)\b"
            ),
        ),
        (
            "credit_used",
            _rx(
                r"\b(credit (used|balance|card balance)|card balance|owe|debt|used on my card"
                r"|how much (have|did) i use)"
            ),
        ),
        ("credit_limit", _rx(r"\b(credit limit|limit|credit line|line of credit)\b")),
        ("account_number", _rx(r"\b(account number|last (four|4)|ends? in|ending)\b")),
        ("member_since", _rx(r"\b(member since|customer since|how long have i been|when did i (join|open|become))\b")),
        (
            "income",
            _rx(
                r"\b(income|deposits?|paychecks?|pay ?day|salary|wages?|(get|got|been) paid|paid me|money (came )?in"
                r"|received|refunds?|credits? to my account)\b"
            ),
        ),
        (
            "spending",
            _rx(
                r"\b(spen[dt]|spending|expenses?|outgoings|where (does|did) my money go|categor(y|ies)"
                r"|budget)\b"
            ),
        ),
        (
            "transactions",
            _rx(
                r"\b(transactions?|purchases?|charges?|payments?|buy|bought|paid|activity|statement"
                r"|biggest|largest|smallest)\b"
            ),
        ),
        (
            "balance",
            _rx(
                r"\b(balances?|how much (money )?(do i have|is in|have i got)|checking|savings|funds"
                r"|money in|cash|accounts?)\b"
            ),
        ),
    ),
    "insurance": (
        (
            "claim_outcome",
            _rx(
                r"\b(will|would|going to) (my |the |this |it |that )?(claim )?(be )?"
                r"(approved|paid|accepted|denied|rejected)|\bguarantee"
            ),
        ),
        ("claims", _rx(r"\b(claims?|clm-\w+|accident|filed|payout|paid out|reimburse\w*)\b")),
        ("risk_score", _rx(r"\b(risk|risk score|rating)\b")),
        ("renewal", _rx(r"\b(renew\w*|expir\w*|end date|run out|lapse)\b")),
        ("deductible", _rx(r"\b(deductibles?|excess)\b")),
        (
            "premium",
            _rx(
                r"\b(premiums?|how much (do|am) i pay\w*|cost|costs|pay each month|monthly (payment|bill)"
                r"|bill|price|rates?)\b"
            ),
        ),
        ("coverage", _rx(r"\b(coverage|covered|cover|insured for|how much protection|sum insured)\b")),
        (
            "policies",
            _rx(
                r"\b(polic(y|ies)|policy numbers?|what insurance|which insurance|insurance do i have"
                r"|products?|plans?)\b"
            ),
        ),
        ("member_since", _rx(r"\b(member since|customer since|how long have i been|when did i (join|become))\b")),
    ),
    "healthcare": (
        (
            "medical_advice",
            _rx(
                r"\b(should i (take|stop|skip|double|increase|decrease|change|worry)|side effects?"
                r"|symptoms?|diagnos\w*|is it safe|interact\w*|overdose|chest pain|emergency"
                r"|am i sick|what'?s wrong with me)\b"
            ),
        ),
        ("out_of_pocket", _rx(r"\b(out[- ]of[- ]pocket|oop|maximum|max)\b")),
        ("deductible", _rx(r"\b(deductibles?)\b")),
        ("refills", _rx(r"\b(refills?|refill)\b")),
        (
            "prescriptions",
            _rx(
                r"\b(prescriptions?|prescribed|prescriber|medications?|medicines?|meds|pills|drugs?"
                r"|rx|dosage|dose|how often|take it|taking|do i take|(medication|medicine|meds|drugs?) am i on)\b"
            ),
        ),
        (
            "appointments",
            _rx(
                r"\b(appointments?|appt|visits?|scheduled|booked|calendar|check-?up|see (the|a|my) "
                r"(doctor|dentist|specialist)|when do i see|where do i go|what time)\b"
            ),
        ),
        ("pcp", _rx(r"\b(primary care|pcp|my doctor|family doctor|gp|physician|who is my doctor)\b")),
        ("member_id", _rx(r"\b(member (id|number|#)|id card|membership (id|number))\b")),
        ("plan", _rx(r"\b(plan|ppo|hmo|hdhp|pos|network|coverage|insurance)\b")),
    ),
    "generic": (
        ("tier", _rx(r"\b(tier|status|level|bronze|silver|gold|platinum|next tier|upgrade)\b")),
        ("points", _rx(r"\b(points?|loyalty|rewards?)\b")),
        ("account_value", _rx(r"\b(account value|value|worth|balance|spent with you|lifetime)\b")),
        ("last_activity", _rx(r"\b(last (activity|visit|order|purchase|interaction)|most recent)\b")),
        ("activity", _rx(r"\b(activity|activities|interactions?|orders?|visits?|how many times)\b")),
        ("member_since", _rx(r"\b(customer since|member since|how long have i been|when did i (join|start))\b")),
    ),
}

# "overview" is tried before a mode's own topics ("an overview of my accounts" is not a balance question).
COMMON_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "overview",
        _rx(
            r"\b(overview|summary|summari[sz]e|snapshot|at a glance|how am i doing|tell me about my "
            r"account|where do i stand|recap)\b"
        ),
    ),
    (
        "identity",
        _rx(
            r"\b(e-?mail|phone|address|date of birth|birthday|born|how old|my age|my name|who am i"
            r"|contact details)\b"
        ),
    ),
    ("help", _rx(r"\b(help|what can you do|what do you know|what can i ask|options|capabilities)\b")),
    ("thanks", _rx(r"\b(thanks|thank you|thx|cheers|appreciate)\b")),
    ("goodbye", _rx(r"\b(bye|goodbye|see you|that'?s all)\b")),
    ("greeting", _rx(r"^\W*(hi|hello|hey|good (morning|afternoon|evening)|greetings|howdy)\b")),
)

_CHART = _rx(r"\b(chart|graph|plot|visuali[sz]\w*|diagram|trend\w*|over time|pie|as an? (bar|line|area)s?)\b")
_CHART_TYPES: tuple[tuple[ChartType, re.Pattern[str]], ...] = (
    ("pie", _rx(r"\b(pie|donut|doughnut)\b")),
    ("bar", _rx(r"\b(bar|column|histogram)\b")),
    ("area", _rx(r"\barea\b")),
    ("line", _rx(r"\b(line|trend\w*|over time)\b")),
)
_METRICS = _rx(r"\b(metrics?|kpis?|key (numbers|figures|stats)|dashboard|scorecard|headline|as cards|stats)\b")
_REPEAT = _rx(r"^\W*(are you sure|really|say (that|it) again|repeat( that)?|again|double[- ]check|come again)\W*$")
_FOLLOW_UP = _rx(r"^\W*(and|what about|how about|also|then|ok(ay)?,? and|what of)\b|\b(it|that|this|those|them|one)\b")
_TOTAL = _rx(r"\b(total|overall|combined|together|all (of )?(my|them|policies|accounts)|every|both|sum)\b")
_STEP = _rx(r"\b(after that|one after|the following|next one after|then what|after this)\b")
_MONTHS = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?"
    r"|dec(ember)?)"
)
_AMOUNT = r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several|couple of)"
_UNITS = r"(days?|weeks?|months?|quarters?|years?)"
# A period the records may not cover. "this_month" is about as long as the recent-transactions window, "this_year"
# is a health plan's own year, "today" is now for a balance; "window" is any other period (narrower, older, or cut
# by the calendar). The last one that matches is kept.
_WINDOWS: tuple[tuple[Gap, re.Pattern[str]], ...] = (
    ("this_month", _rx(r"\b(this month|(the )?(last|past) (30|thirty) days)\b")),
    ("this_year", _rx(r"\b((so far )?this (calendar |plan )?year|year[- ]to[- ]date|ytd)\b")),
    ("today", _rx(r"\b(today|tonight|this (morning|afternoon|evening))\b")),
    (
        "window",
        _rx(
            r"\b(yesterday|last night|(this|last|past|previous) (week|weekend|fortnight"
            r"|quarter)|(last|past|previous) (month|year|decade)"
            rf"|(the )?(last|past|previous) (?!(30|thirty) days){_AMOUNT} {_UNITS}|{_AMOUNT} {_UNITS} ago"
            r"|(in|during|since|for|from|before|after|throughout|of) (19|20)\d\d"
            rf"|(in|during|since|throughout|before|after|back in) {_MONTHS}|(on|last) (monday|tuesday|wednesday"
            r"|thursday|friday|saturday|sunday)|over the (weekend|holidays))\b"
        ),
    ),
)
_FORECAST = _rx(
    r"\b(next (week|month|quarter|year)|in the (future|coming)|future|go(ing|es)? (up|down)|forecast\w*"
    r"|predict\w*|project(ed|ion|ions)|will (it|they|my [\w' -]{1,30}?) (be|go|rise|increase|decrease|drop"
    r"|change|cost))\b"
)
_PERILS = _rx(
    r"\b(floods?|flooding|earthquakes?|quakes?|theft|stolen|burglar\w*|break-?ins?|fires?|wildfires?|smoke|hail"
    r"|storms?|wind(storms?)?|hurricanes?|tornado(e?s)?|water damage|leaks?|burst pipes?|mou?ld|vandal\w*|sewer"
    r"|sinkholes?|landslides?|roadside|rental cars?|towing|jewel(le)?ry|pets?|dog bites?|terrorism|natural disasters?"
    r"|exclu\w+)\b"
)
_GAPS: tuple[tuple[Gap, re.Pattern[str]], ...] = (
    ("rate", _rx(r"\b(interest|aprs?|apys?|rates?|yields?|dividends?|fees?|overdraft)\b")),
    ("per_year", _rx(r"\b((per|a|each|every) year|annual(ly)?|yearly|per annum)\b")),
    ("per_month", _rx(r"\b((per|a|each|every) month|monthly)\b")),
    ("forecast", _FORECAST),
    ("peril", _PERILS),
    ("cost", _rx(r"\b(premiums?|co-?pays?|co-?insurance|costs?|prices?|how much (is|does|will|would) (a|an|the)\b)")),
    ("benefit", _rx(r"\b(cover(s|ed|ing)?|coverage for|(in|out[- ]of)[- ]network|(prior |pre-?)authori[sz]ation)\b")),
)
_VERBS = (  # not "add up", "order by", "update me", "make a chart"
    r"(file|lower|reduce|change|cancel|book|schedule|reschedule|order(?! by)|transfer|move|pay|send|open|close"
    r"|increase|raise|refill|renew|update(?! me)|dispute|approve|add(?! up)|remove|upgrade|downgrade|freeze"
    r"|unfreeze|lock|unlock|redeem|submit|withdraw|make (a |an )?(payment|transfer|claim|deposit))"
)
_ACTION = _rx(
    rf"\b(can|could|would|will) you (please )?{_VERBS}\b"
    rf"|\b(please|i want to|i'd like to|i would like to|i need to|help me|can i|could i|how do i|how can i"
    rf"|let me|go ahead and) {_VERBS}\b"
    rf"|^\W*{_VERBS} (my|a|an|the|me|some|it|this|that|money|funds|[$€£¥]|\d)"
)
_ORDINALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (-1, _rx(r"\b(last|final|latest|most recent|newest)\b")),
    (1, _rx(r"\b(second|2nd)\b")),
    (2, _rx(r"\b(third|3rd)\b")),
    (3, _rx(r"\b(fourth|4th)\b")),
    (0, _rx(r"\b(next|first|1st|soonest|earliest)\b")),
)

# The topics a subject can be carried into by a follow-up ("deductible on my home policy?" -> "and the premium?").
SUBJECT_TOPICS: dict[SubjectKind, frozenset[str]] = {
    "account": frozenset({"balance"}),
    "category": frozenset({"spending", "transactions"}),
    "merchant": frozenset({"spending", "transactions"}),
    "policy_type": frozenset({"policies", "coverage", "premium", "deductible", "renewal", "claims"}),
    "claim": frozenset({"claims", "claim_outcome"}),
    "medication": frozenset({"prescriptions", "refills"}),
    "specialty": frozenset({"appointments"}),
    "provider": frozenset({"appointments", "prescriptions"}),
}
SUBJECT_DEFAULT_TOPIC: dict[SubjectKind, str] = {
    "account": "balance",
    "category": "spending",
    "merchant": "transactions",
    "policy_type": "policies",
    "claim": "claims",
    "medication": "prescriptions",
    "specialty": "appointments",
    "provider": "appointments",
}


@dataclass(frozen=True)
class SubjectRule:
    """A phrase that names a subject, e.g. ``r"\\bcar\\b"`` for the Auto policy."""

    pattern: re.Pattern[str]
    subject: Subject


def subject_rule(kind: SubjectKind, value: str, *phrases: str) -> SubjectRule:
    """A rule matching any of ``phrases`` (or ``value`` itself) as whole words, case-insensitively."""
    words = sorted({re.escape(p.casefold()) for p in (value, *phrases) if p}, key=len, reverse=True)
    return SubjectRule(_rx(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])"), Subject(kind, value))


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def first_match(text: str, rules: Iterable[tuple[str, re.Pattern[str]]]) -> str | None:
    """The name of the first rule whose pattern occurs in ``text``."""
    return next((name for name, pattern in rules if pattern.search(text)), None)


def parse_intent(kind: str, text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """Read one message on its own (no history) for a persona of ``kind``."""
    norm = normalise(text)
    if _REPEAT.search(norm):
        return Intent(repeat=True)
    topic = (
        first_match(norm, COMMON_TOPICS[:1])
        or first_match(norm, TOPICS.get(kind, ()))
        or first_match(norm, COMMON_TOPICS)
    )
    hits = [
        (m.start(), -len(m.group(0)), i, r.subject) for i, r in enumerate(subjects) if (m := r.pattern.search(norm))
    ]
    subject = min(hits)[3] if hits else None
    windows = [gap for gap, pattern in _WINDOWS if pattern.search(norm)]
    gaps = frozenset([*windows[-1:], *(gap for gap, pattern in _GAPS if pattern.search(norm))])
    core = norm  # "last week" and "next year" name a period, not a position in a list or a follow-up
    for pattern in (*(rx for _, rx in _WINDOWS), _FORECAST):
        core = pattern.sub(" ", core)
    ordinal = next((value for value, pattern in _ORDINALS if pattern.search(core)), None)
    chart = bool(_CHART.search(norm))
    chart_type = next((name for name, pattern in _CHART_TYPES if pattern.search(norm)), None) if chart else None
    metrics = bool(_METRICS.search(norm))
    return Intent(
        topic=topic,
        subject=subject,
        ordinal=ordinal,
        step=bool(_STEP.search(norm)),
        chart=chart,
        chart_type=chart_type,
        metrics=metrics,
        follow_up=bool(_FOLLOW_UP.search(core)),
        total=bool(_TOTAL.search(core)),
        gaps=gaps,
        action=bool(_ACTION.search(norm)) and not (chart or metrics),  # "change it to a bar chart" is no action
    )


_SMALL_TALK = frozenset({"greeting", "thanks", "goodbye", "help"})


def resolve_intent(previous: Intent | None, current: Intent) -> Intent:
    """Fill what a follow-up leaves out from the previous question's intent."""
    if current.repeat:
        return previous or Intent()
    prev = previous or Intent()
    topic = current.topic
    inherited = False
    if topic is None or (topic in _SMALL_TALK and (current.subject or current.chart or current.metrics)):
        if current.subject is not None:
            carry = prev.topic in SUBJECT_TOPICS[current.subject.kind]
            topic = prev.topic if carry else SUBJECT_DEFAULT_TOPIC[current.subject.kind]
            inherited = carry
        elif prev.topic is not None and (current.follow_up or current.step or current.ordinal is not None):
            topic, inherited = prev.topic, True
    elif (
        current.subject is not None
        and current.follow_up
        and topic == SUBJECT_DEFAULT_TOPIC[current.subject.kind]
        and prev.topic in SUBJECT_TOPICS[current.subject.kind]
    ):
        # "what about my home policy?" after a premium question: "policy" names the subject, not a new topic
        topic, inherited = prev.topic, True
    subject = current.subject
    carries = (current.topic is None or current.follow_up) and not current.total
    if subject is None and carries and prev.subject is not None and topic in SUBJECT_TOPICS[prev.subject.kind]:
        subject = prev.subject
    ordinal = current.ordinal
    if current.step:
        base = prev.ordinal if prev.topic == topic and prev.ordinal is not None and prev.ordinal >= 0 else 0
        ordinal = base + 1
    elif ordinal is None and inherited and subject == prev.subject:
        ordinal = prev.ordinal
    return replace(current, topic=topic, subject=subject, ordinal=ordinal, step=False)


def intent_for(kind: str, history: Sequence[str], text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """The resolved intent of ``text`` after the user's earlier messages ``history`` (oldest first)."""
    resolved: Intent | None = None
    for earlier in (*history, text):
        resolved = resolve_intent(resolved, parse_intent(kind, earlier, subjects))
    assert resolved is not None
    return resolved
