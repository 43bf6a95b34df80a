"""The simulator's answers: each industry's own (``Industry.simulator``), and the dispatch between them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from persona_kit.ai.answers import gaps
from persona_kit.ai.answers.choice import MAX_WORDS, asked, chosen
from persona_kit.ai.answers.common import Ask, Reply, Simulator, greeting, hello, key_metrics
from persona_kit.ai.charts import persona_key
from persona_kit.ai.examples import (
    ExampleIndex,
    Match,
    clarifying_question,
    content_words,
    example_index,
    example_phrases,
    has_examples,
    label_of,
)
from persona_kit.ai.guards import GUARD_TOPICS, guard_for, guard_patterns, guards, others
from persona_kit.ai.intents import COMMON_TOPICS, Intent, SubjectRule, intent_for, normalise, parse_intent
from persona_kit.ai.reading import (
    Reader,
    build_reader,
    everyday_words,
    lexicon,
    plain_letters,
    rejoin,
    rule_words,
    stopwords,
    unjoined,
    words_of,
)
from persona_kit.ai.rules import industry_rules, shared_rules
from persona_kit.facts import persona_facts
from persona_kit.generate import Persona
from persona_kit.industries import industry, industry_of
from persona_kit.models.modes import Mode
from persona_kit.protocol import ToolResultMessage

__all__ = ["Reply", "answer", "greeting_text", "simulator_for", "subject_rules"]

# Topics of every industry whose answers never draw a chart: a chart request there gets a sentence saying so.
CHARTLESS = frozenset({"member_since", "identity", "overview", "greeting", "help", "thanks", "ack", "goodbye"})


def simulator_for(persona: Persona) -> Simulator[Any]:
    """The simulator part of the persona's industry (its module is imported on first use)."""
    sim = industry_of(persona).simulator_module().SIMULATOR
    assert isinstance(sim, Simulator)
    return sim


def subject_rules(persona: Persona) -> list[SubjectRule]:
    """What a question about this persona can name: accounts, categories, policy types, medications, ..."""
    return simulator_for(persona).subject_rules(persona)


def _append(reply: Reply, sentence: str, *tools: ToolResultMessage) -> Reply:
    gap = "\n\n" if "\n" in reply.text else " "  # after a list, a new paragraph
    return Reply(f"{reply.text}{gap}{sentence}", (*reply.tools, *tools))


def _finish(sim: Simulator[Any], reply: Reply, intent: Intent, metrics: Callable[[], ToolResultMessage]) -> Reply:
    """Say where a chart went (or that there is none), and add metric cards when they were asked for."""
    has = {tool.payload.tool for tool in reply.tools}
    if intent.chart and "show_chart" in has and "dashboard" not in reply.text:
        reply = _append(reply, "The chart is on your dashboard.")
    elif intent.chart and "show_chart" not in has and intent.topic is not None:
        chartless = intent.topic in CHARTLESS or intent.topic in sim.chartless
        reply = _append(reply, "There is no chart for that one." if chartless else "There is nothing to chart there.")
    if intent.metrics and "show_metrics" not in has:
        reply = _append(reply, "Your key numbers are on the dashboard too.", metrics())
    return reply


def _answer(mode: Mode, persona: Persona, intent: Intent, text: str) -> Reply:
    """Answer from the mode's records; say first what they do not hold, or that this chat cannot act."""
    sim = simulator_for(persona)
    intent = gaps.focus(sim, intent, text)
    facts = {fact.field: fact.text for fact in persona_facts(persona)}
    ask: Ask[Any] = Ask(mode, persona, intent, text, facts, persona_key(persona))
    return _finish(sim, gaps.bridge(sim, ask, sim.answer(ask)), intent, lambda: key_metrics(ask))


@cache
def _reader(kind: str) -> Reader:
    """The reader for one industry: its rules' words and the shared rules' words are what typos are corrected to."""
    shared = shared_rules().vocabulary_sources()
    sim = industry(kind).simulator_module().SIMULATOR
    own = [pattern.pattern for _, pattern in sim.grammar.topics]
    usage = Counter(w for phrase in example_phrases(kind) for w in words_of([phrase])) if has_examples(kind) else None
    return build_reader(rule_words([*shared, *own, *guard_patterns()]), first=rule_words(own), usage=usage)


@cache
def _examples(kind: str) -> ExampleIndex | None:
    """The industry's example phrasings, each canonical question filed under the topic the rules read it as."""
    if not has_examples(kind):
        return None
    sim = industry(kind).simulator_module().SIMULATOR
    reader = _reader(kind)
    return example_index(kind, lambda question: parse_intent(sim.grammar, reader.canonical(question), []).topic)


def _placed(sim: Simulator[Any], rules: Sequence[SubjectRule], text: str) -> bool:
    """Whether the rules read ``text`` as something: a topic, a subject, a chart, metrics, a follow-up cue."""
    intent = parse_intent(sim.grammar, text, rules)
    return (
        bool(
            intent.topic
            or intent.subject
            or intent.metrics
            or intent.repeat
            or intent.step
            or intent.step_back
            or intent.ordinal is not None
        )
        or guard_for(text) is not None
    )


def _example_for(persona: Persona, text: str, rules: Sequence[SubjectRule]) -> Match:
    """What the nearest examples make of a message the rules cannot place (nothing, for one they can)."""
    sim = simulator_for(persona)
    index = _examples(industry_of(persona).kind)
    if index is None or _placed(sim, rules, text):
        return Match()
    return index.match(text)


def read(persona: Persona, text: str, rules: Sequence[SubjectRule], subject_words: set[str] | None = None) -> str:
    """``text`` as the rules read it: casual spellings rewritten, typos corrected against the industry's words.

    ``subject_words`` are the words of ``rules`` (:func:`rule_words`), when the caller has them already.
    """
    kind = industry_of(persona).kind
    text = unjoined(plain_letters(text))  # "whаt is my сrеdit sсоrе" (Cyrillic), "SELECT credit_score FROM me"
    words = rule_words(rule.pattern.pattern for rule in rules) if subject_words is None else subject_words
    own = industry_rules(kind)
    if own.dictated:  # "a tore vastatin": a medication's name said in pieces, before any piece is "corrected"
        names = {r.subject.value.split()[0].casefold() for r in rules if r.subject.kind in own.dictated}
        text = rejoin(normalise(text), names)
    return own.rewritten(_reader(kind).canonical(text, words))


def answer(mode: Mode, persona: Persona, history: Sequence[str], text: str) -> Reply:
    """The simulator's reply to ``text``, after the user's earlier messages ``history`` (oldest first).

    Every message is first read into canonical words (:func:`read`). "Are you sure?" repeats the answer to the
    last real question, word for word.
    """
    sim = simulator_for(persona)
    rules = sim.subject_rules(persona)
    words = rule_words(rule.pattern.pattern for rule in rules)
    placed: list[str] = []
    for earlier in history:
        placed.append(_as_placed(persona, read(persona, earlier, rules, words), rules, placed))
    history = placed
    text = read(persona, text, rules, words)
    short = len(shared_rules().word.findall(text)) <= MAX_WORDS  # only a short message can pick an option
    if history and short and (offered := _respond(mode, persona, history[:-1], history[-1], rules).offers):
        choice = chosen(offered, text)  # "the first one" after "do you mean your checking or savings balance?"
        if choice is not None:
            return _respond(mode, persona, history[:-1], read(persona, choice, rules, words), rules)
    if parse_intent(sim.grammar, text, rules).repeat:
        for j in range(len(history) - 1, -1, -1):
            if not parse_intent(sim.grammar, history[j], rules).repeat:
                again = answer(mode, persona, history[:j], history[j])
                return Reply(f"Yes, I double-checked. {again.text}", again.tools)
    return _respond(mode, persona, history, text, rules)


def _as_placed(persona: Persona, text: str, rules: Sequence[SubjectRule], before: Sequence[str] = ()) -> str:
    """An earlier message as the rules can read it after the messages ``before`` it: as typed when it followed up
    on them ("when did I open it?" after the latest ticket), else its canonical question when the examples gave
    one, and nothing for a guarded one (a refusal leaves no topic for the next message to follow up on)."""
    if guard_for(text) is not None:
        return ""
    sim = simulator_for(persona)
    if before and intent_for(sim.grammar, before, text, rules).topic is not None:
        return text
    index = _examples(industry_of(persona).kind)
    if index is not None and index.options(text):
        return text  # a bare "how much?" is answered with a clarifying question, which the next message may pick from
    return _example_for(persona, text, rules).canonical or text


# A compound question's joints ("and", "also", "plus", "vs", or a new sentence) and what asks for one whole
# ("total", "both"), from data/intents/en/rules.json.
_JOINT = shared_rules().joint
_WHOLE = shared_rules().whole


def _parts(persona: Persona, rules: Sequence[SubjectRule], text: str) -> list[str]:  # noqa: PLR0911 - one per shape
    """A compound question cut into the questions it asks ("my score and available credit?" -> two), else [text].

    Cut only where every piece asks something: the first names a topic, each later one a topic or a subject
    (it then takes the topic before it, as a follow-up), and no piece asks about a whole ("total in checking
    and savings" is one question).
    """
    sim = simulator_for(persona)
    if len(text) > MAX_COMPOUND:
        return [text]
    pieces = [piece.strip(" ,;?.!") for piece in _split(text, rules)]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) < 2:
        return [text]
    read = [parse_intent(sim.grammar, piece, rules) for piece in pieces]
    if _WHOLE.search(text) and not _separate_wholes(read):
        return [text]  # one whole: "the total in checking and savings"
    if parse_intent(sim.grammar, text, rules).topic == "identity" and {r.topic for r in read} <= {"identity", None}:
        return [text]  # personal details only: the identity answer gives every one asked
    index = _examples(industry_of(persona).kind)

    placed = [  # what the nearest examples make of each piece the rules give no topic, matched once
        index.match(pc).canonical if index is not None and r.topic is None else None
        for r, pc in zip(read, pieces, strict=True)
    ]

    def asks(r: Intent, piece: str, canonical: str | None) -> bool:  # a topic, a subject, an action, a guard,
        # something not on file, or a question the nearest examples surely place ("when does my cycle end")
        if r.topic is not None or r.subject is not None or guard_for(piece) is not None:
            return True
        if r.action and not shared_rules().own_question.search(piece):  # "cancel my card", not "can I pay it"
            return True
        if index is None:
            return False
        asked = shared_rules().story_question.match(piece) and not r.follow_up  # its own question, not "what about"
        return index.missing(piece) is not None or bool(asked and canonical is not None)

    first = asks(read[0], pieces[0], placed[0])
    rest = all(asks(r, pc, c) or r.follow_up for r, pc, c in zip(read[1:], pieces[1:], placed[1:], strict=True))
    distinct = len({(r.topic, r.subject, r.action, c) for r, c in zip(read, placed, strict=True)}) > 1
    if not (first and rest and distinct and all(r.topic != "greeting" for r in read[1:])):
        return [text]
    if read[0].topic in ("ack", "thanks", "greeting"):  # "fine, what's its dose then": the "fine" asks nothing
        if len(pieces) == 2:
            return [text]
        pieces, read = pieces[1:], read[1:]
    return _shared_subject(sim, rules, pieces, read)


MAX_COMPOUND = 400
"""The longest message read as a compound question (characters); a longer one is a story with one question."""


def _split(text: str, rules: Sequence[SubjectRule]) -> list[str]:
    """``text`` cut at its joints, except inside a subject's name ("home and contents", "Hearth and Home")."""
    norm = normalise(text)
    names = [m.span() for rule in rules for m in rule.pattern.finditer(norm) if " " in m.group(0)]
    pieces, start = [], 0
    for joint in _JOINT.finditer(text):
        if any(a < joint.start() and joint.end() <= b + 1 for a, b in names):
            continue
        pieces.append(text[start : joint.start()])
        start = joint.end()
    return [*pieces, text[start:]]


def _separate_wholes(read: Sequence[Intent]) -> bool:
    """Whether "total"/"both" asks for each piece's own whole: a different topic each ("total spent and total
    received"), or different spending categories ("entertainment and dining total")."""
    topics = [r.topic for r in read]
    if None not in topics and len(set(topics)) == len(topics):
        return True
    subjects = [r.subject for r in read]
    return all(s is not None and s.kind == "category" for s in subjects) and len(set(subjects)) == len(subjects)


def _shared_subject(
    sim: Simulator[Any], rules: Sequence[SubjectRule], pieces: list[str], read: list[Intent]
) -> list[str]:
    """Pieces before the one that names the subject are about it too ("the deductible and coverage on my car"); a
    first piece that only names it sets the scene for the rest ("I had a fender bender, how much do I pay?")."""
    named = [i for i, r in enumerate(read) if r.subject is not None]
    if not named or len({read[i].subject for i in named}) > 1:
        return pieces
    first = named[0]
    rule = next(rule for rule in rules if rule.subject == read[first].subject)
    phrase = m.group(0) if (m := rule.pattern.search(normalise(pieces[first]))) else ""
    bare = not content_words(normalise(pieces[0]).replace(phrase, " ")) if phrase else False
    subject = read[first].subject
    kind = subject.kind if subject is not None else ""
    carried = all(r.topic is None or r.topic in sim.grammar.subject_topics.get(kind, ()) for r in read[1:])
    if first == 0 and (read[0].topic is None or bare) and len(named) == 1 and carried:
        # "my sugar tablets, how many refills are left": the first piece only names what the rest is about
        return [f"{piece} {phrase}" for piece in pieces[1:]]
    return [f"{piece} {phrase}" if i < first else piece for i, piece in enumerate(pieces)]


_COMPARE = shared_rules().compare


_FIGURE = re.compile(r"-?[$\u00a3\u20ac]?\d[\d,.]*\d")
"""A figure in a reply ("$13,700.00", "686"), to tell two parts that give the same ones."""


def _join(replies: Sequence[Reply]) -> Reply:
    """The replies to a compound question's parts, each said once: a part's answer another part has already
    given is left out ("what's my balance and move 50 to savings": the refusal to act, not the balance again; "cancel
    my card and what's my credit limit": the refusal alone, then the credit limit)."""
    texts: list[str] = []
    tools: list[ToolResultMessage] = []
    lead = gaps.CANNOT_ACT + gaps.SEE
    for i, reply in enumerate(replies):
        text = reply.text
        others = {f for j, r in enumerate(replies) if j != i for f in _FIGURE.findall(r.text)}
        if text.startswith(lead) and others & set(_FIGURE.findall(text)):  # another part gives its figures
            text = gaps.CANNOT_ACT + "."
        for earlier in texts:
            if text != earlier and text.endswith(f" {earlier}"):
                text = text[: -len(earlier)].rstrip()
                text = text[: -len(gaps.SEE)] + "." if text.endswith(gaps.SEE) else text
        if not any(text == earlier or earlier.endswith(f" {text}") for earlier in texts):
            texts.append(text)
        tools += [t for t in reply.tools if t not in tools]
    gap = "\n\n" if any("\n" in t for t in texts) else " "
    return Reply(gap.join(texts), tuple(tools))


def _guarded(mode: Mode, persona: Persona, text: str) -> Reply | None:
    """A guard's reply (the industry's own, where it has one), or None when no guard applies."""
    guard = guard_for(text)
    if guard is None and _others_asked(persona, text):
        guard = next(g for g in guards() if g.kind == "privacy")
    if guard is None:
        return None
    sim = simulator_for(persona)
    own = GUARD_TOPICS.get(guard.kind)
    if own in sim.handlers:
        return _answer(mode, persona, Intent(topic=own), normalise(text))
    return Reply(
        guard.reply.format(first_name=persona.identity.first_name, company=mode.company_name, topics=sim.help_topics)
    )


COMMON_WORDS = 500
"""An industry's topic words that are among the language's this many commonest words ("have", "left") say nothing
of whose records a message asks for."""


@cache
def _record_words(kind: str, language: str = "en") -> frozenset[str]:
    """The words of an industry's topics that name its records ("limit", "broadband", "refills")."""
    sim = industry(kind).simulator_module().SIMULATOR
    common = frozenset(everyday_words(language)[:COMMON_WORDS]) | stopwords(language)
    return frozenset(w for w in rule_words(p.pattern for _, p in sim.grammar.topics) if len(w) > 2) - common


def _others_asked(persona: Persona, text: str) -> bool:
    """Whether ``text`` asks for someone else's records ("my fiancé banks with you too, what's his limit?")."""
    reading = others()
    return reading is not None and reading.asked(normalise(text), _record_words(industry_of(persona).kind))


def _declined(
    mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule]
) -> Reply | None:
    """A decline naming what the records do not hold, or None when they may answer (or it asks to act)."""
    sim = simulator_for(persona)
    index = _examples(industry_of(persona).kind)
    missing = index.missing(text) if index is not None else None
    if missing is None or index is None:
        return None
    intent = intent_for(sim.grammar, history, text, rules)  # "is that good?" is about the figure before
    if intent.action:
        return None
    first, company = persona.identity.first_name, mode.company_name
    if missing in index.answering and intent.topic is not None and intent.topic not in CHARTLESS:
        # "why is my risk so high?": the reasons are not on file, the figure is
        answered = _answer(mode, persona, intent, normalise(text))
        return Reply(f"I don't have {missing} in your {company} records; here is what they show. {answered.text}",
                     answered.tools)  # fmt: skip
    return Reply(
        f"I'm sorry, {first}, I don't have {missing} in your {company} records, so I'd rather not guess. "
        f"I can help with {sim.help_topics}."
    )


def _respond(mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule]) -> Reply:
    """Guards first, then a compound question part by part, then one question with its follow-up context."""
    guarded = _guarded(mode, persona, text)
    if guarded is None:
        return _unguarded(mode, persona, history, text, rules)
    own = _advice_apart(persona, rules, text)
    if own:  # the parts that ask for facts answered, then the advice refused
        replies, earlier = [], list(history)
        for part in own:
            replies.append(_unguarded(mode, persona, earlier, part, rules))
            earlier.append(part)
        return _join([*replies, guarded])
    return guarded


def _unguarded(mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule]) -> Reply:
    """:func:`_respond` past the guards: a compound question part by part, else one question."""
    sim = simulator_for(persona)
    text = _last_question(sim, text, rules)
    parts = _parts(persona, rules, text)
    if len(parts) > 1:
        replies, earlier = [], list(history)
        for part in parts:
            replies.append(_respond(mode, persona, earlier, part, rules))
            earlier.append(part)
        return _greeted(persona, rules, text, _join(replies))
    return _greeted(
        persona, rules, text, _hedged(mode, persona, rules, text, _single(mode, persona, history, text, rules))
    )


def _greeted(persona: Persona, rules: Sequence[SubjectRule], text: str, reply: Reply) -> Reply:
    """``reply`` opened by a hello when ``text`` opened with a greeting and the reply is not one already ("hello,
    what's my balance?": a hello and the balance, not the whole introduction)."""
    first = hello(persona.identity.first_name)
    if not _GREETING.search(normalise(text)) or reply.text.startswith(first):
        return reply
    if parse_intent(simulator_for(persona).grammar, text, rules).topic in SMALL_TALK:  # "hello, thanks"
        return reply
    return Reply(f"{first} {reply.text}", reply.tools, reply.offers)


def _single(mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule]) -> Reply:
    """The reply to one question: what the records lack declined, a comparison, the nearest example's reading."""
    sim = simulator_for(persona)
    declined = _declined(mode, persona, history, text, rules)
    if declined is not None:
        return declined
    intent = intent_for(sim.grammar, history, text, rules)
    if intent.topic == "greeting" and (after := _past_greeting(mode, persona, history, text, rules)) is not None:
        return after
    if history and _COMPARE.search(text) and intent.subject is not None:
        compared = intent_for(sim.grammar, history[:-1], history[-1], rules)
        if compared.topic == intent.topic and compared.subject not in (None, intent.subject):
            # "is that more than groceries?": both figures, the one before and this one
            before = _answer(mode, persona, compared, normalise(history[-1]))
            return _join([before, _answer(mode, persona, intent, normalise(text))])
    if intent.topic is None:
        unplaced = _unplaced(mode, persona, history, text, rules, intent)
        if unplaced is not None:
            return unplaced
    reply = _answer(mode, persona, intent, normalise(text))
    if intent.topic is None and _UNPLACED.search(reply.text):  # declined as nothing: perhaps something is close
        return _closest(mode, persona, history, text, rules, intent) or reply
    return reply


TENTATIVE_LEAD = "I don't have an exact match for that,"
"""How the nearest example's reading opens when it is only the closest (:data:`TENTATIVE`)."""
_TENTATIVE = re.compile(re.escape(TENTATIVE_LEAD))
_GREETING = dict(COMMON_TOPICS)["greeting"]
SMALL_TALK = frozenset({"greeting", "ack", "thanks", "goodbye", "help"})
MIN_AFTER_GREETING = 3
"""Words a message needs after its greeting to ask something of its own ("hello, how long have I banked here")."""


def _past_greeting(
    mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule]
) -> Reply | None:
    """The answer to what a message asks after its greeting, opened by a hello; None when it asks nothing the
    records answer (then the greeting stands)."""
    norm = normalise(text)
    m = _GREETING.search(norm)
    rest = norm[m.end() :].strip(" ,.!?:;-") if m else ""
    if len(shared_rules().word.findall(rest)) < MIN_AFTER_GREETING:
        return None
    sim = simulator_for(persona)
    if parse_intent(sim.grammar, rest, rules).topic in SMALL_TALK:  # "hi, anyone there?", "hello, thanks"
        return None
    reply = _unguarded(mode, persona, history, rest, rules)
    if _UNPLACED.search(reply.text) or _TENTATIVE.match(reply.text):  # after a hello, only what is surely asked
        return None
    return Reply(f"{hello(persona.identity.first_name)} {reply.text}", reply.tools, reply.offers)


_UNPLACED = re.compile(r"\bI don't have that in your\b")
"""The decline of a message nothing placed (an industry's own declines name what is missing, and stand)."""
_NONE_HELD = re.compile(r"\b(You have no|You don't have|You haven't|none on file|isn't on file|aren't on file)\b")
"""An answer that says the thing asked about is not there at all: no detail of it to decline."""
_HEDGED = re.compile(r"^(I don't have|I'm sorry|I can't|For your|Just to be sure|Hello|Hi\b|You're welcome)")
"""Replies that already say what the records lack, refuse, ask back or make small talk: no note before them."""


def _hedged(mode: Mode, persona: Persona, rules: Sequence[SubjectRule], text: str, reply: Reply) -> Reply:
    """``reply``, opened by the detail asked for that the records do not hold, when there is one ("what colour is
    my phone": the phone is on file, its colour is not)."""
    if reply.offers or _HEDGED.match(reply.text) or _NONE_HELD.search(reply.text):
        return reply
    unheld = _unheld(persona, rules, text, reply.text) or _other_kind(text, reply.text)
    if unheld is None:
        return reply
    company = mode.company_name
    return Reply(f"I don't have {unheld} in your {company} records; here is what they show. {reply.text}", reply.tools)


FOCUS_REAL_WORDS = 40_000
"""A question's detail counts as not on file only when it is one of the language's this many commonest words or a
lexicon word ("colour"): not a typo the reader could not mend, nor a word of another language ("saldo")."""


@cache
def _answer_types(language: str = "en") -> tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]:
    return tuple((re.compile(t.pattern), re.compile(t.shows, re.IGNORECASE if t.shows.islower() else 0), t.what)
                 for t in lexicon(language).answer_types)  # fmt: skip


def _other_kind(text: str, answer: str) -> str | None:
    """What a question's form asks for ("what time ...": the time of day) when the answer gives nothing of that
    kind, or None."""
    for asks, shows, what in _answer_types():
        if asks.search(text) and not shows.search(answer):
            return what
    return None


STEM = 5
"""Letters a detail and a word of the answer share at the start for the answer to show it ("remaining", "remains")."""


@cache
def _focus(language: str = "en") -> tuple[tuple[re.Pattern[str], ...], frozenset[str], frozenset[str]]:
    lex = lexicon(language)
    real = frozenset(everyday_words(language)[:FOCUS_REAL_WORDS]) | frozenset(lex.words)
    return tuple(re.compile(p) for p in lex.focus), frozenset(lex.focus_generic) | stopwords(language), real


def _unheld(persona: Persona, rules: Sequence[SubjectRule], text: str, answer: str) -> str | None:
    """The detail a question asks for that no word of the industry's names ("the colour", "the battery health"), or
    None. Only details in the places a question names one (:attr:`Lexicon.focus`), only everyday words, and none
    the answer itself shows ("the reason for my next appointment": the answer gives it)."""
    patterns, ignored, real = _focus()
    own = _reader(industry_of(persona).kind).own
    subject_words: set[str] | None = None  # the persona's subjects' words and the answer's stems, once needed
    shown: set[str] = set()
    for pattern in patterns:
        for m in pattern.finditer(text):
            phrase = m.group("what")
            for w in phrase.split():
                forms = {w, w.rstrip("s"), w[:-2]}
                if len(w) < 4 or w not in real or w in ignored or forms & own:
                    continue
                if subject_words is None:  # the subjects' words, the records' own labels ("frequency")
                    subject_words = rule_words(rule.pattern.pattern for rule in rules) | _label_words(persona)
                    shown = {a[:STEM] for a in re.findall(r"[a-z]+", answer.casefold()) if len(a) >= STEM}
                if not forms & subject_words and w[:STEM] not in shown:
                    return f"the {phrase}"
    return None


def _label_words(persona: Persona) -> set[str]:
    """The words of the labels of the persona's facts ("Frequency", "Instalment months"): what the records hold."""
    return {w for fact in persona_facts(persona) for w in re.findall(r"[a-z]+", fact.label.casefold())}


ADVICE = frozenset({"medical", "legal"})
"""Guard kinds that refuse advice: a compound question may ask for it in one part only."""


def _advice_apart(persona: Persona, rules: Sequence[SubjectRule], text: str) -> list[str]:
    """The parts of a compound question that ask something of their own when advice is asked for in another
    ("list my meds and tell me if I can take them with alcohol": "list my meds"); [] when there are none."""
    guard = guard_for(text)
    if guard is None or guard.kind not in ADVICE:
        return []
    parts = _parts(persona, rules, text)
    pieces = len(parts) < 2
    if pieces and len(text) <= MAX_COMPOUND:  # the pieces, when not every one asks ("..., someone told me not to")
        parts = [piece for piece in (p.strip(" ,;?.!") for p in _split(text, rules)) if piece]
    if len(parts) < 2:
        return []
    sim = simulator_for(persona)
    read = [parse_intent(sim.grammar, part, rules) for part in parts]
    asks = shared_rules().story_question  # "list my meds", "what's my deductible": asked, not told
    own = [
        p for p, r in zip(parts, read, strict=True) if guard_for(p) is None and (r.topic or r.subject) and asks.match(p)
    ]
    advice = not pieces or any(guard_for(p) is not None for p in parts)  # a piece of its own asks the advice
    return own if own and advice and len(own) < len(parts) else []


_CLAUSE_END = re.compile(r"[,.;:!?]+\s+")


def _last_question(sim: Simulator[Any], text: str, rules: Sequence[SubjectRule]) -> str:
    """The question of a long message that tells a story first and asks last ("so my brother borrowed my phone at
    the braai and watched the whole match, how much data have I got left"): from the last clause that starts like a
    question (a trailing "please" or "thanks" stays with it), when no earlier clause does and that part names a
    topic of its own and does not point back into the story ("it"); else the whole message. Linear in its length."""
    shared = shared_rules()
    starts = [0, *(m.end() for m in _CLAUSE_END.finditer(text))]
    if len(starts) < 2 or "?" in text[: starts[-1]].rstrip(" ?"):
        return text
    asks = [k for k in starts if shared.story_question.match(text, k)]
    if len(asks) != 1 or asks[0] < shared.story_length:
        return text
    last = text[asks[0] :]
    intent = parse_intent(sim.grammar, last, rules)
    told = parse_intent(sim.grammar, text[: asks[0]], rules).topic
    if told is not None and told != intent.topic:  # "... paying too much for the home internet, what do i pay"
        return text
    # "..., are there refills left on it?" points back into the story: that is no story to drop
    if (intent.topic is None and intent.subject is None) or intent.refers:
        return text
    if intent.subject is None:  # "i'm sure i have travel insurance ..., what's the cover": the story names the subject
        story = normalise(text[: asks[0]])
        hits = [(m.start(), -len(m.group(0)), m.group(0)) for rule in rules if (m := rule.pattern.search(story))]
        placed = f"{last} {min(hits)[2]}" if hits else last
        if parse_intent(sim.grammar, placed, rules).topic == intent.topic:  # the subject, not a new topic
            return placed
    return last


def _unplaced(
    mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule], intent: Intent
) -> Reply | None:
    """A request to act, or the nearest example's reading, for a message no topic rule placed."""
    sim = simulator_for(persona)
    if intent.action and gaps.focus(sim, intent, text).topic is None:
        return Reply(
            f"I can't make changes from this chat, {persona.identity.first_name}: payments, transfers, orders and "
            f"bookings are done in the {mode.company_name} app or website, or by phone. Here I can help with "
            f"{sim.help_topics}."
        )
    if intent.action:  # "pay my card bill for me": the refusal, then what the action is about (not an example's)
        return None
    index = _examples(industry_of(persona).kind)
    before = intent_for(sim.grammar, history[:-1], history[-1], rules).topic if history else None
    options = index.options(text) if index is not None and before is None else []
    if options:
        return Reply(clarifying_question(persona.identity.first_name, options), offers=tuple(map(asked, options)))
    match = _example_for(persona, text, rules)
    if match.questions is not None and before is not None and before in match.topics:
        # One of the two readings goes on with the conversation's topic ("how much is left?" after a phone):
        # that one is meant.
        match = Match(canonical=match.questions[match.topics.index(before)])
    if match.clarify is not None:
        offers = match.questions or tuple(map(asked, match.clarify))
        return Reply(clarifying_question(persona.identity.first_name, match.clarify), offers=offers)
    if match.canonical is None:
        return None
    canonical = read(persona, match.canonical, rules) + (" as a chart" if intent.chart else "")
    return _answer(mode, persona, intent_for(sim.grammar, history, canonical, rules), normalise(canonical))


def _closest(
    mode: Mode, persona: Persona, history: Sequence[str], text: str, rules: Sequence[SubjectRule], intent: Intent
) -> Reply | None:
    """For a message nothing placed: the nearest example's answer, said to be only the closest match ("I don't have
    an exact match for that; the closest I have is your savings balance. ..."), or None when none is near enough."""
    index = _examples(industry_of(persona).kind)
    if index is None or history or intent.metrics or intent.action:
        return None  # "pull up my dashboard": the key numbers answer it; a follow-up goes on with its topic
    question = index.tentative(text)
    if question is None:
        return None
    sim = simulator_for(persona)
    canonical = read(persona, question.canonical, rules) + (" as a chart" if intent.chart else "")
    closest = intent_for(sim.grammar, [], canonical, rules)
    if closest.topic is None:
        return None
    answered = _answer(mode, persona, closest, normalise(canonical))
    first = persona.identity.first_name
    return Reply(f"{TENTATIVE_LEAD} {first}; the closest I have is {label_of(question)}. "
                 f"{answered.text}", answered.tools)  # fmt: skip


def greeting_text(mode: Mode, persona: Persona) -> str:
    """The assistant's hello after a switch: in character, naming the customer and what it can help with."""
    facts = {fact.field: fact.text for fact in persona_facts(persona)}
    ask: Ask[Any] = Ask(mode, persona, Intent(topic="greeting"), "hello", facts, persona_key(persona))
    return greeting(ask, simulator_for(persona).help_topics).text
