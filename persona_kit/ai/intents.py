"""What a chat message asks for: a topic, an optional subject, and follow-up cues resolved against the history.

Matching is plain keyword rules, deterministic and offline. A message is read
into an :class:`Intent`; :func:`resolve_intent` fills what a follow-up leaves
out ("and my savings?", "when is the next one?") from the intent before it,
and :func:`intent_for` replays the user's earlier messages to find that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

SubjectKind = str
"""What kind of thing a subject is ("account", "policy_type", "medication"): each industry names its own."""
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
    step_back: bool = False
    """"The one before that": one step back in time along the list the previous question walked."""
    went_back: bool = False
    """Resolved: the last step walked back in time, so "the one after that" now walks forward again."""
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
    facets: frozenset[str] = frozenset()
    """How the question narrows a list ("purchase": only money out, "largest"): each industry names its own,
    and a follow-up on the same topic keeps them ("last purchase?" -> "and the one before that?")."""


def rx(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern, as every topic rule uses."""
    return re.compile(pattern, re.IGNORECASE)


# "overview" is tried before a mode's own topics ("an overview of my accounts" is not a balance question).
COMMON_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "overview",
        rx(
            r"\b(overview|summary|summari[sz]e|snapshot|at a glance|how am i doing|tell me about my "
            r"account|where do i stand|where i stand|money-?wise|recap|(money|financial|cash) situation|state of play"
            r"|how('s| is) "
            r"(my account|everything) looking)\b"
        ),
    ),
    (
        "identity",
        rx(
            r"\b(e-?mail|phone|address|date of birth|birthday|born|how old|my age|my (full )?name"
            r"|who am i(?! (seeing|meeting))|contact details|post ?code|zip( code)?|currency|which country"
            r"|what country|country)\b"
        ),
    ),
    ("help", rx(r"\b(help|what can you do|what do you know|what can i ask|options|capabilities)\b")),
    (
        "thanks",
        rx(
            r"\b(thanks|thank ?you|thx|ty|ta|cheers|appreciate[d]?|nice one|much obliged|brill|lovely"
            r"|great stuff)\b"
        ),
    ),
    ("goodbye", rx(r"\b(bye|goodbye|see (you|ya)|cya|laters|ttyl|cheerio|that'?s all|have a good (day|one|night))\b")),
    (
        "greeting",
        rx(
            r"^\W*(hi+|hiya|hello|helo|hallo|hey+|heya|yo|howdy|greetings|g'?day|good (morning|afternoon|evening)"
            r"|morning|evening)\b"
        ),
    ),
)

# Words that name a personal detail whatever else the message says ("the email on my account" is no balance question).
IDENTITY_FIRST = rx(
    r"\b(e-?mail( address)?|(phone|mobile|cell|contact|telephone) number|address|text me|call me on|reach me"
    r"|post ?code|zip code|currency|date of birth|birthday|my (full )?name"
    r"|name (on|is) (the|my) (account|policy|plan|file)|(what|which|whose) name)\b"
)

_CHART = rx(
    r"\b(chart|graph|plot|picture|visual|visuali[sz]\w*|diagram|trend\w*|over time|pie|as an? (bar|line|area)s?)\b"
)
_CHART_TYPES: tuple[tuple[ChartType, re.Pattern[str]], ...] = (
    ("pie", rx(r"\b(pie|donut|doughnut)\b")),
    ("bar", rx(r"\b(bar|column|histogram)\b")),
    ("area", rx(r"\barea\b")),
    ("line", rx(r"\b(line|trend\w*|over time)\b")),
)
_METRICS = rx(r"\b(metrics?|kpis?|key (numbers|figures|stats)|dashboard|scorecard|headline|as cards|stats)\b")
_REPEAT = rx(r"^\W*(are you sure|really|say (that|it) again|repeat( that)?|again|double[- ]check|come again)\W*$")
_FOLLOW_UP = rx(
    r"^\W*(and|what about|how about|also|then|ok(ay)?,? and|what of)\b|\b(it|that|this|those|them|they|these|one)\b"
    r"|^\W*(ok(ay)?|so|right|and)?\W*(how much|how many( times| of them| purchases| transactions| payments"
    r"| visits)?|how often|how much (was|is) (it|that|that one)|when|where|who|which|what date|what time"
    r"|what day|the amount|the date|amount|date)\W*$"
)
_TOTAL = rx(r"\b(total|overall|combined|together|all (of )?(my|them|policies|accounts)|every|both|sum)\b")
_WORD = re.compile(r"[a-z0-9']+")
"""A word, for telling a one- or two-word message ("deductible?", "and renewal?") that follows up on the last."""
SHORT = (2, 4)
"""A message with no subject of its own follows up on the last when it has at most this many words besides fillers:
without a topic of its own ("and renewal?"), and with one ("what's the monthly cost?" keeps the policy)."""
_FILLERS = frozenset({"ok", "okay", "so", "right", "and", "then", "um", "well", "please", "pls", "hmm", "oh"})


def _short(text: str, topic: str | None, subject: Subject | None) -> bool:
    words = [w for w in _WORD.findall(text) if w not in _FILLERS]
    return subject is None and 0 < len(words) <= SHORT[topic is not None]


_STEP = rx(r"\b(after that|one after|the following|next one after|then what|after this)\b")
_STEP_BACK = rx(r"\b(before that|one before|previous one|the one prior|prior to that|before this|earlier one)\b")
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
    ("this_month", rx(r"\b(this month|(the )?(last|past) (30|thirty) days)\b")),
    ("this_year", rx(r"\b((so far )?this (calendar |plan )?year|year[- ]to[- ]date|ytd)\b")),
    ("today", rx(r"\b(today|tonight|this (morning|afternoon|evening))\b")),
    (
        "window",
        rx(
            r"\b(yesterday|last night|(the )?(month|week|year) before|(this|last|past|previous) (week|weekend|fortnight"
            r"|quarter)|(last|past|previous) (month|year|decade)"
            rf"|(the )?(last|past|previous) (?!(30|thirty) days){_AMOUNT} {_UNITS}|{_AMOUNT} {_UNITS} ago"
            r"|(in|during|since|for|from|before|after|throughout|of) (19|20)\d\d"
            rf"|(in|during|since|throughout|before|after|back in) {_MONTHS}|new year'?s( day| eve)?|christmas"
            r"|(on|last) (monday|tuesday|wednesday"
            r"|thursday|friday|saturday|sunday)|over the (weekend|holidays))\b"
        ),
    ),
)
_FORECAST = rx(
    r"\b(next (week|month|quarter|year)|in the (future|coming)|future|go(ing|es)? (up|down)|forecast\w*"
    r"|predict\w*|project(ed|ion|ions)|will (it|they|my [\w' -]{1,30}?) (be|go|rise|increase|decrease|drop"
    r"|change|cost))\b"
)
_PERILS = rx(
    r"\b(floods?|flooding|earthquakes?|quakes?|theft|stolen|burglar\w*|break-?ins?|fires?|wildfires?|smoke|hail"
    r"|storms?|wind(storms?)?|hurricanes?|tornado(e?s)?|water damage|leaks?|burst pipes?|mou?ld|vandal\w*|sewer"
    r"|sinkholes?|landslides?|roadside|rental cars?|towing|jewel(le)?ry|pets?|dog bites?|terrorism|natural disasters?"
    r"|exclu\w+)\b"
)
_GAPS: tuple[tuple[Gap, re.Pattern[str]], ...] = (
    ("rate", rx(r"\b(interest|aprs?|apys?|rates?|yields?|dividends?|fees?|overdraft)\b")),
    ("per_year", rx(r"\b((per|a|each|every) year|annual(ly)?|yearly|per annum)\b")),
    ("per_month", rx(r"\b((per|a|each|every) month|monthly)\b")),
    ("forecast", _FORECAST),
    ("peril", _PERILS),
    ("cost", rx(r"\b(premiums?|co-?pays?|co-?insurance|costs?|prices?|how much (is|does|will|would) (a|an|the)\b)")),
    ("benefit", rx(r"\b(cover(s|ed|ing)?|coverage for|(in|out[- ]of)[- ]network|(prior |pre-?)authori[sz]ation)\b")),
)
_VERBS = (  # not "add up", "order by", "update me", "make a chart"
    r"(file|lower|reduce|change|cancel|book|schedule|reschedule|order(?! by)|transfer|move|pay|send|open|close"
    r"|increase|raise|refill|renew|update(?! me)|dispute|approve|add(?! up)|remove|upgrade|downgrade|freeze"
    r"|unfreeze|lock|unlock|redeem|submit|withdraw|waive|escalate|refund|reverse|unblock|block|port|activate"
    r"|deactivate|reset|replace|extend|top up|make (a |an )?(payment|transfer|claim|deposit|complaint))"
)
_ACTION = rx(
    rf"\b(can|could|would|will) you (please |just |auto[- ]?)?{_VERBS}\b|\b(pac|stac|porting|switching) codes?\b"
    rf"|\b(please|i want to|i'd like to|i would like to|i need to|help me|can i|could i|how do i|how can i"
    rf"|let me|go ahead and) {_VERBS}\b"
    rf"|^\W*((ok(ay)?|so|right|now|then|and|please|just),? )?{_VERBS}( off| over| out)? (my|a|an|the|me|some|it"
    r"|this|that|money|funds|[$€£¥]|\d)"
)
_ORDINALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        1,
        rx(
            r"\b(second (to|from) last|penultimate|next to last|one before (the )?last|after (the )?next( one)?"
            r"|the one after next)\b"
        ),
    ),
    (-1, rx(r"\b(last|final|latest|most recent(ly)?|newest)\b")),
    (1, rx(r"\b(second|2nd)\b")),
    (2, rx(r"\b(third|3rd)\b")),
    (3, rx(r"\b(fourth|4th)\b")),
    (0, rx(r"\b(next|first|1st|soonest|earliest)\b")),
)

TENURE = (
    r"member since|client since|customer since|since when have i been|been (a )?(client|customer|member) "
    r"(with you|for)|how long have i been"
)
"""How customers ask since when they have been one, in every industry (each adds its own "when did I join")."""

BEFORE_COVER = (
    r"(pay|owe|cover) (before|until) (you|insurance|the insurer|the insurance|the plan|it) (cover|pay|kick|step)\w*"
    r"|before (you|insurance|the insurer|the plan) (step|kick)s? in"
    r"|before (you|you lot|insurance|the insurer|the insurance|the plan|my plan|my insurance|it) (pays?|covers?"
    r"|starts? paying|pays? out|kicks? in|steps? in)"
    r"|(cover|pay) (it )?(myself|out of (my own )?pocket) before"
)
"""What a customer pays before the insurer or plan pays: a deductible, in every industry that has one."""

TopicRules = tuple[tuple[str, re.Pattern[str]], ...]
"""Ordered (topic, pattern) rules: the first topic whose pattern matches wins."""


@dataclass(frozen=True)
class Grammar:
    """What one industry's questions can be about: its topics, and how subjects carry between them.

    ``subject_topics`` names, per subject kind, the topics a follow-up can carry that subject into
    ("deductible on my home policy?" -> "and the premium?"); ``subject_default`` the topic a bare
    subject asks about ("and my savings?" -> the balance).
    """

    topics: TopicRules
    subject_topics: Mapping[str, frozenset[str]]
    subject_default: Mapping[str, str]
    future_lists: frozenset[str] = frozenset()
    """Topics whose lists run forward in time (appointments, soonest first); the rest run newest first."""
    facets: TopicRules = ()
    """Named patterns that narrow a list (:attr:`Intent.facets`); every one that matches applies."""


@dataclass(frozen=True)
class SubjectRule:
    """A phrase that names a subject, e.g. ``r"\\bcar\\b"`` for the Auto policy."""

    pattern: re.Pattern[str]
    subject: Subject


def subject_rule(kind: SubjectKind, value: str, *phrases: str) -> SubjectRule:
    """A rule matching any of ``phrases`` (or ``value`` itself) as whole words, case-insensitively."""
    words = sorted({re.escape(p.casefold()) for p in (value, *phrases) if p}, key=len, reverse=True)
    return SubjectRule(rx(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])"), Subject(kind, value))


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def first_match(text: str, rules: Iterable[tuple[str, re.Pattern[str]]]) -> str | None:
    """The name of the first rule whose pattern occurs in ``text``."""
    return next((name for name, pattern in rules if pattern.search(text)), None)


def parse_intent(grammar: Grammar, text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """Read one message on its own (no history) in an industry's ``grammar``."""
    norm = normalise(text)
    if _REPEAT.search(norm):
        return Intent(repeat=True)
    topic = (
        first_match(norm, COMMON_TOPICS[:1])
        or ("identity" if IDENTITY_FIRST.search(norm) else None)
        or first_match(norm, grammar.topics)
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
    facets = frozenset(name for name, pattern in grammar.facets if pattern.search(norm))
    return Intent(
        topic=topic,
        subject=subject,
        ordinal=ordinal,
        step=bool(_STEP.search(norm)),
        step_back=bool(_STEP_BACK.search(norm)),
        chart=chart,
        chart_type=chart_type,
        metrics=metrics,
        follow_up=bool(_FOLLOW_UP.search(core)) or _short(core, topic, subject),
        total=bool(_TOTAL.search(core)),
        gaps=gaps,
        action=bool(_ACTION.search(norm)) and not (chart or metrics),  # "change it to a bar chart" is no action
        facets=facets,
    )


_SMALL_TALK = frozenset({"greeting", "thanks", "goodbye", "help"})


def resolve_intent(grammar: Grammar, previous: Intent | None, current: Intent) -> Intent:
    """Fill what a follow-up leaves out from the previous question's intent."""
    if current.repeat:
        return previous or Intent()
    prev = previous or Intent()
    topic = current.topic
    inherited = False
    if topic is None or (topic in _SMALL_TALK and (current.subject or current.chart or current.metrics)):
        if current.subject is not None:
            carry = prev.topic in grammar.subject_topics[current.subject.kind]
            topic = prev.topic if carry else grammar.subject_default[current.subject.kind]
            inherited = carry
        elif prev.topic is not None and (
            current.follow_up or current.step or current.step_back or current.ordinal is not None
        ):
            topic, inherited = prev.topic, True
    elif (
        current.subject is not None
        and current.follow_up
        and topic == grammar.subject_default[current.subject.kind]
        and prev.topic in grammar.subject_topics[current.subject.kind]
    ):
        # "what about my home policy?" after a premium question: "policy" names the subject, not a new topic
        topic, inherited = prev.topic, True
    subject = current.subject
    carries = (current.topic is None or current.follow_up) and not current.total
    if subject is None and carries and prev.subject is not None and topic in grammar.subject_topics[prev.subject.kind]:
        subject = prev.subject
    ordinal = current.ordinal
    went_back = False
    if current.step or current.step_back:
        base = prev.ordinal if prev.topic == topic and prev.ordinal is not None and prev.ordinal >= 0 else 0
        back = current.step_back and not current.step
        # Down a list newest first is back in time; down one soonest first (appointments) is forward. "After
        # that" goes on down the list, unless the walk was going back in time: then it turns round.
        future = topic in grammar.future_lists
        back_in_time = -1 if future else 1
        delta = back_in_time if back else (-back_in_time if prev.went_back else 1)
        ordinal = max(base + delta, 0)
        went_back = back or prev.went_back
    elif ordinal is None and inherited and subject == prev.subject:
        ordinal = prev.ordinal
    facets = current.facets or (prev.facets if inherited else frozenset())
    return replace(
        current,
        topic=topic,
        subject=subject,
        ordinal=ordinal,
        step=False,
        step_back=False,
        went_back=went_back,
        facets=facets,
    )


def intent_for(grammar: Grammar, history: Sequence[str], text: str, subjects: Sequence[SubjectRule]) -> Intent:
    """The resolved intent of ``text`` after the user's earlier messages ``history`` (oldest first)."""
    resolved: Intent | None = None
    for earlier in (*history, text):
        resolved = resolve_intent(grammar, resolved, parse_intent(grammar, earlier, subjects))
    assert resolved is not None
    return resolved
