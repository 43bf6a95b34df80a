"""The words of the mode-request grammar, read from ``data/triggers/<language>.json``, and the tokens of a message.

The grammar (:mod:`persona_kit.triggers.grammar`) never names an English word: it asks whether the tokens at
a position start a phrase of some class ("a polite opener", "a negation"). Each class is a
:class:`PhraseSet`, compiled once from the data file, so adding a language is one more data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from persona_kit.data import DataModel, data_dir, read_json

_Phrases = list[str]


class TriggerWordsFile(DataModel):
    """``data/triggers/<language>.json``: every word class of the grammar, as lower-case phrases."""

    language: str
    interjections: _Phrases
    polite_openers: _Phrases
    asking_openers: _Phrases
    suggestion_openers: _Phrases = Field(default_factory=list)
    third_person_copulas: _Phrases = Field(default_factory=list)
    """ "it becomes", "it's going to be": a copula (a change marker needed) that also needs a business named."""
    hypothetical_suggestions: _Phrases = Field(default_factory=list)
    """ "what if you were": a business tried out only when a change marker or a go phrase follows it."""
    go_phrases: _Phrases = Field(default_factory=list)
    """What says only "go" after a business was named ("go", "take it away", "action")."""
    """Openers that put a business forward as a suggestion, which may be asked ("how about", "let's do")."""
    hypothetical: _Phrases
    question_openers: _Phrases
    negations: _Phrases = Field(min_length=1)
    retractions: _Phrases
    corrections: _Phrases
    retraction_clauses: _Phrases
    identity_leads: _Phrases = Field(min_length=1)
    role_verbs: _Phrases = Field(default_factory=list)
    """Verbs that take a role after one of ``role_preps`` ("operate" + "as"): each pair is an identity lead."""
    role_preps: _Phrases = Field(default_factory=list)
    role_frames: _Phrases = Field(default_factory=list)
    """Verbs that take one of ``role_nouns`` ("step into" + "the shoes of"): each pair is an identity lead."""
    role_nouns: _Phrases = Field(default_factory=list)
    weak_identity_leads: _Phrases = Field(default_factory=list)
    """Leads ("play", "impersonate") that ask for a mode only before a named industry, a brand or a business noun."""
    copulas: _Phrases
    change_markers: _Phrases
    switch_verbs: _Phrases
    switch_objects: _Phrases
    pronoun_objects: _Phrases
    anaphors: _Phrases = Field(default_factory=list)
    """Pronouns a request may name its business by when it was named just before ("..., be them")."""
    switch_prepositions: _Phrases
    make_leads: _Phrases
    show_leads: _Phrases
    bare_show_leads: _Phrases = Field(default_factory=list)
    """Show leads that take a bare industry name as the whole clause ("go telecom", "let's do banking")."""
    version_nouns: _Phrases
    weak_version_nouns: _Phrases
    placeholders: _Phrases
    ui_modes: _Phrases
    ordinary_targets: _Phrases
    target_stops: _Phrases
    conjunctions: _Phrases
    question_tags: _Phrases = Field(default_factory=list)
    """A last clause that only softens ("..., ok?", "..., please?"): its "?" does not make the sentence ask."""
    scope_conjunctions: _Phrases = Field(default_factory=list)
    """Words after which a negation before them no longer applies ("stop being a hospital and be a phone company")."""
    articles: _Phrases
    roles: _Phrases
    role_heads: _Phrases = Field(default_factory=list)
    """Nouns that end a role whatever words go before them ("order assistant", "membership desk", "dispatcher"):
    after a business in the possessive, the words between are the role's ("a plumbing company's dispatcher")."""
    role_links: _Phrases
    product_modifiers: _Phrases
    product_heads: _Phrases
    possessives: _Phrases
    brand_articles: _Phrases
    brand_connectors: _Phrases
    bare_fillers: _Phrases
    not_targets: _Phrases
    business_nouns: _Phrases
    other_trades: _Phrases = Field(default_factory=list)
    """Trades named like an industry that are none of them ("a vet clinic", "a tree surgeon"): a custom mode."""
    sectors: _Phrases = Field(default_factory=list)
    """Names of a sector no built-in mode covers, said without an article ("switch to retail", "go hospitality"):
    a custom mode, as an industry's own name is its mode."""
    aspect_nouns: _Phrases = Field(default_factory=list)
    """Nouns after an industry that still name the business, not a thing of it ("the banking side", "a broadband
    provider role"; not "the dental claim")."""
    match_fillers: _Phrases
    label_fillers: _Phrases
    titles: _Phrases
    suffixes: _Phrases
    called: _Phrases
    agents: _Phrases = Field(default_factory=list)
    """Other names for the assistant, or the demo it runs, a request may be addressed to ("the assistant", "it",
    "the next demo"): every polite opener with "you" in it is also an opener with each of them ("i'd like the
    assistant to", "i'm asking it to", "i'd like the next demo to")."""
    gerunds: dict[str, str] = Field(default_factory=dict)
    """Each lead verb's -ing form ("turn": "turning"): every identity lead and switch that starts with one is also a
    lead in that form after an opener ("would you mind turning into", "how about becoming"), never on its own
    ("being a bank is hard")."""
    third_persons: dict[str, str] = Field(default_factory=dict)
    """Each lead verb's third-person form ("become": "becomes"): every identity lead, weak lead and switch verb that
    starts with one is also a lead in that form after one of ``third_person_subjects`` ("the bot now plays ...")."""
    third_person_subjects: _Phrases = Field(default_factory=list)
    """Names of the assistant a stage direction speaks of ("the assistant", "bot"): "the assistant becomes a bank"."""
    sequence_adverbs: _Phrases = Field(default_factory=list)
    """Words that end a request with its place in a plan ("let's do healthcare first"): no part of the business."""
    brand_specifiers: _Phrases = Field(default_factory=list)
    """What follows a name that says it is one of the business asked for ("..., Nationwide specifically")."""
    first_person_copulas: _Phrases = Field(default_factory=list)
    """What starts a line the assistant is given to say as its own ("i'm", "this is"): a request before a
    business and one of ``bot_roles`` ("I'm First Meridian Credit Union's virtual assistant")."""
    bot_roles: _Phrases = Field(default_factory=list)
    """Roles only a bot plays ("virtual assistant", "chatbot"): a person says "I'm a bank assistant" of a job."""
    announcing_verbs: _Phrases = Field(default_factory=list)
    """What says which business comes after a placeholder that looks ahead ("next up is", "the next demo will be")."""
    forward_words: _Phrases = Field(default_factory=list)
    """Words that make a placeholder look ahead ("next", "new"): "next up is a bank" announces, "the mode is" not."""
    definite_articles: _Phrases = Field(default_factory=list)
    """Articles that point back ("the"): "the agent" alone is the role of the business named just before it."""
    plural_endings: _Phrases = Field(default_factory=list)
    """Endings a mode's own name may take in the plural ("telecoms next")."""
    similes: _Phrases = Field(default_factory=list)
    """Words that start an example of a business after a comma ("retail, like a clothes shop")."""
    particle_joins: _Phrases = Field(default_factory=list)
    """Words after a switch verb that make it a polite opener ("switch over and be a bank")."""
    switch_particles: _Phrases = Field(default_factory=list)
    """Words a switch verb may take before its preposition or an "and" ("switch over to", "shift gears into", "switch
    over and be"): each switch verb with one is a switch verb too, and with "and" after it a polite opener."""
    brand_slots: _Phrases = Field(default_factory=list)
    """What gives a request's brand in a clause of its own ("the brand is", "brand name:", "call it"): the
    capitalised name after it is the company's, when the request named none."""


class PhraseSet:
    """Phrases of one word class, looked up by their first word: matching at a position costs O(1)."""

    def __init__(self, phrases: list[str] | tuple[str, ...]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.casefold().split())
            if words:
                by_first.setdefault(words[0], []).append(words)
        self._by_first = {first: sorted(set(found), key=len, reverse=True) for first, found in by_first.items()}
        self.words = frozenset(words[0] for found in self._by_first.values() for words in found if len(words) == 1)
        self.firsts = frozenset(self._by_first)
        """The first word of every phrase: a token not in it starts none."""

    def match(self, low: list[str], i: int, end: int) -> int:
        """How many words of the longest phrase that starts at ``low[i]`` (and ends by ``end``); 0 for none."""
        if i >= end:
            return 0
        for words in self._by_first.get(low[i], ()):
            n = len(words)
            if i + n <= end and tuple(low[i : i + n]) == words:
                return n
        return 0

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, tuple) and phrase in self._by_first.get(phrase[0] if phrase else "", ())


@dataclass(frozen=True)
class TriggerWords:
    """The compiled word classes of one language (see ``data/triggers/en.json`` for what each holds)."""

    language: str
    classes: dict[str, PhraseSet]

    def of(self, name: str) -> PhraseSet:
        """The word class called ``name``."""
        return self.classes[name]


@cache
def trigger_languages() -> tuple[str, ...]:
    """The languages with a trigger-word file, ``data/triggers/<language>.json``."""
    return tuple(sorted(path.stem for path in (data_dir() / "triggers").glob("*.json")))


def _gerunds(phrases: list[str], forms: dict[str, str]) -> list[str]:
    """Each phrase whose first word has a form in ``forms``, in that form ("turn into": "turning into", "turns
    into")."""
    found = []
    for phrase in phrases:
        first, _, rest = phrase.partition(" ")
        if first in forms:
            found.append(f"{forms[first]} {rest}".strip())
    return found


@cache
def trigger_words(language: str = "en") -> TriggerWords:
    """The grammar's words for ``language``, validated and compiled once."""
    parsed = TriggerWordsFile.model_validate(read_json(f"triggers/{language}.json"))
    exclude = {
        "language",
        "role_frames",
        "role_nouns",
        "gerunds",
        "agents",
        "third_persons",
    }
    lists = parsed.model_dump(exclude=exclude | {"switch_particles"})
    verbs = parsed.switch_verbs
    lists["switch_verbs"] += [f"{verb} {particle}" for verb in verbs for particle in parsed.switch_particles]
    joins = [f"{verb} {join}" for verb in lists["switch_verbs"] for join in parsed.particle_joins]
    lists["polite_openers"] += joins  # "switch over and be a bank"
    lists["polite_openers"] += [
        " ".join(agent if w in ("you", "u") else w for w in phrase.split())
        for phrase in parsed.polite_openers
        if {"you", "u"} & set(phrase.split())
        for agent in parsed.agents
    ]
    lists["identity_leads"] += [f"{verb} {prep}" for verb in parsed.role_verbs for prep in parsed.role_preps]
    lists["identity_leads"] += [f"{verb} {noun}" for verb in parsed.role_frames for noun in parsed.role_nouns]
    switches = [f"{verb} {prep}" for verb in lists["switch_verbs"] for prep in lists["switch_prepositions"]]
    lists["gerund_leads"] = _gerunds([*lists["identity_leads"], *switches], parsed.gerunds)
    for name in ("identity_leads", "weak_identity_leads", "switch_verbs"):
        lists[f"third_{name}"] = _gerunds(lists[name], parsed.third_persons)  # "becomes", "plays", "switches"
    return TriggerWords(parsed.language, {name: PhraseSet(phrases) for name, phrases in lists.items()})


# --- tokens ---------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2026": "..."})
_TOKEN = re.compile(
    r"(?P<w>[^\W_][\w'\-]*(?:&[^\W_][\w'\-]*|\.[a-z0-9][\w'\-]*)*|[&+/])"  # "change-o", "you're", "AT&T", "a.com"
    r"|(?P<p>(?:[.!?,;:=()\[\]{}\"\u201c\u201d\u00ab\u00bb\n\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff]"
    r"|->|(?<!\S)[-\u2013\u2014]+(?!\S))+)"  # one run; an emoji ends a clause ("time for banking \U0001f3e6 switch")
)
SENTENCE_PUNCT = frozenset(".!?\n")
"""A punctuation run holding one of these ends a sentence (``"?!"`` does, and asks)."""


def ends_sentence(run: str) -> bool:
    """Whether a punctuation run ends a sentence."""
    return any(ch in SENTENCE_PUNCT for ch in run)


@dataclass(frozen=True)
class Tokens:
    """A message as words and punctuation: parallel lists, one entry per token.

    ``low`` is the casefolded text (a trailing quote dropped, ``'s`` kept), ``word`` whether the token is a
    word, ``start``/``end`` its span in the text. A title or suffix abbreviation keeps its full stop ("Dr.",
    "Co."), so the stop ends no sentence inside a name.
    """

    text: str
    low: list[str]
    word: list[bool]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.low)


def tokenize(text: str, words: TriggerWords) -> Tokens:
    """Split ``text`` into word tokens and punctuation runs (one regex pass, linear in its length)."""
    text = text.translate(_APOSTROPHES)
    found = [(m.group(), m.start(), m.end(), m.lastgroup == "w") for m in _TOKEN.finditer(text)]
    low = [token.casefold().rstrip("'-") if is_word else token for token, _s, _e, is_word in found]
    is_word = [item[3] for item in found]
    starts = [item[1] for item in found]
    ends = [item[2] for item in found]
    abbreviations = words.of("titles").words | words.of("suffixes").words
    dropped: set[int] = set()
    for i in [i for i, x in enumerate(low) if x in abbreviations and is_word[i]]:
        after = i + 1
        if after < len(low) and not is_word[after] and starts[after] == ends[i] and low[after][0] == ".":
            low[i] += "."  # "Dr." and "Co." keep their full stop: it ends no sentence inside a name
            ends[i] += 1
            if low[after] == ".":
                dropped.add(after)
            else:
                low[after] = low[after][1:]
                starts[after] += 1
    if dropped:
        keep = [i for i in range(len(low)) if i not in dropped]
        low, is_word = [low[i] for i in keep], [is_word[i] for i in keep]
        starts, ends = [starts[i] for i in keep], [ends[i] for i in keep]
    return Tokens(text, low, is_word, starts, ends)


__all__ = [
    "trigger_languages",
    "SENTENCE_PUNCT",
    "ends_sentence",
    "PhraseSet",
    "Tokens",
    "TriggerWords",
    "TriggerWordsFile",
    "tokenize",
    "trigger_words",
]
