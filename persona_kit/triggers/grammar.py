"""The mode-request grammar: one pass over a message's tokens, clause by clause.

In words (each capitalised name is a word class of ``data/triggers/<language>.json``; INDUSTRY is any
synonym of a registry industry, ``Industry.synonyms``)::

    message  = clause { PUNCT clause }            the last request stated wins; a RETRACTION cancels it,
                                                  a CORRECTION replaces it ("no wait, healthcare"), and so does
                                                  a whole clause naming a business after a bare retraction ("no,
                                                  scratch that - a car rental company"); a clause right after it
                                                  that only names a brand of the same kind, or a name and a
                                                  BRAND_SPECIFIER, names its company ("..., Lagoon View Hospital",
                                                  "..., Nationwide specifically"), one that only says what a brand
                                                  is names its industry ("Be Lemonade - the renters insurers")
    clause   = { MAGIC | INTERJECTION } [ opener ] request      a clause also ends before a SCOPE_CONJUNCTION
                                                  that an opener follows ("they're nurses, so could you be ...")
    opener   = POLITE_OPENER | ASKING_OPENER      "please", "I want you to" | "can you", "could we"
    request  = COPULA target                      "you're a bank now" (needs MAGIC or a CHANGE_MARKER)
             | IDENTITY_LEAD target               "become an insurer", "pretend you're a hospital", "operate as a
                                                  bank", "step into the shoes of a clinic" (ROLE_VERB ROLE_PREP,
                                                  ROLE_FRAME ROLE_NOUN)
             | WEAK_IDENTITY_LEAD target          "play an insurance broker": a named industry, a brand or a
                                                  business noun only ("play a song" is no request)
             | SWITCH_VERB [SWITCH_OBJECT] SWITCH_PREPOSITION target     "switch the demo to a gym demo"
             | SHOW_LEAD target VERSION_NOUN      "show me the banking version", "do the telco one"
             | target VERSION_NOUN                "bank mode" (the whole clause)
             | PLACEHOLDER (":" | "=") target     "mode: healthcare", "switch to custom business: a bakery"
             | PLACEHOLDER ANNOUNCING_VERB target    one with a FORWARD_WORD: "next up is the banking vertical"
             | target                             right after MAGIC: "presto change-o: lender"
             | SUGGESTION_OPENER target           "how about an urgent care center next?", "let's do a bakery": a
                                                  business with an article, or an industry with a CHANGE_MARKER
                                                  (after a pause, in the next clause: "let's try... insurance")
             | THIRD_PERSON_SUBJECT lead          a stage direction, each lead in its THIRD_PERSONS form ("the bot
                                                  now plays X's support line"): a CHANGE_MARKER or a scene needed
             | FIRST_PERSON_COPULA business BOT_ROLE    "I'm First Meridian Credit Union's virtual assistant"
             | INDUSTRY CHANGE_MARKER             a mode's own name and a marker, the whole clause ("telecoms next")
    target   = [ARTICLE] ( brand [", " ARTICLE words] | words [CALLED name] ) [VERSION_NOUN]
    brand    = Capitalised words ("Contoso Bank", "St. Mary's Hospital"), not only industry words

Besides clauses, whole-message forms: a business and then a GO_PHRASE ("broadband provider, go"), a
business named just before the magic phrase ("Magpie Mobile. Presto change-o. Go."), a mode's own name
alone, and a sentence that puts the role before its verb (ROLE_PREP business ROLE_VERB: "as a phone company pls
answer from now"). A scene ("Stage direction:", "roleplay time!!") marks the clauses after it in its sentence
and the sentence right after it; after a request, a COPULA may say more of the same business ("new mode:
healthcare. you're the front desk at Lakeview Urgent Care"). A clause wholly inside quotation marks, with
words outside them that frame it ('she told me "be a bank"'), is reported speech and asks nothing.

A target's industry is the longest INDUSTRY that ends its words once fillers ("company", "provider")
are dropped ("auto insurer", "cable and internet company"; not "mobile plan"); no industry means a
custom mode. A target ending in a role (ROLES, or a ROLE_HEAD before a ROLE_LINK and a business: "a care
coordinator at Kaiser Permanente") names the business that owns the role or follows the link; "the agent"
alone is the business named just before it. A request is void when a NEGATION precedes it in its clause,
when its sentence asks (QUESTION_OPENER, or a "?" not after an ASKING_OPENER), or when a HYPOTHETICAL word
("ever") softens an asking opener in its clause or in a short clause of its own ("..., in theory?"). A
SWITCH_VERB without an object needs a named industry, a brand, a SECTOR or a mode noun, and no thing of an
industry's ("switch to a cheaper plan", "switch to online banking", "let's move on to the dental claim" and
"switch to dark mode" are no requests). Each position is
tried once with bounded look-ahead and only clauses holding a lead word are parsed, so time is linear.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from persona_kit.triggers.index import MessageIndex
from persona_kit.triggers.targets import BrandMatcher, IndustryMatcher, Target, TargetReader
from persona_kit.triggers.words import Tokens, TriggerWords, ends_sentence

COLON_PUNCT = (":", "=", "->", "-", "\u2013", "\u2014")
LEADS = ("copulas", "identity_leads", "weak_identity_leads", "switch_verbs", "make_leads", "show_leads")
OPENERS = ("asking_openers", "suggestion_openers", "hypothetical_suggestions")
"""Openers after which a request may be asked ("can you be a bank?", "how about a hotel?")."""
MAX_REQUEST_CLAUSES = 32
"""Only the last this many clauses holding a lead word are read (see :meth:`Parser.request`)."""
MAX_SCANNED_LEADS = 16
"""After the magic phrase a lead may stand anywhere in its clause; the first this many lead words are tried."""
MAX_ALONE_WORDS = 6
"""A message of at most this many words may be an industry's name alone (:meth:`Parser.named_alone`)."""
MAX_GO_CLAUSES = 3
"""A "..., go" message (:meth:`Parser.go_alone`) has at most this many clauses."""
MAGIC_REACH = 24
"""How many tokens after the magic phrase :meth:`Parser.after_magic` looks for the business asked for."""
MAX_SCENE_CLAUSES = 3
"""How many clauses back, in its sentence, a scene setter ("roleplay:") marks a request ("..., you're the bank")."""
ARROWS = ("→", "->", "⇒", "➡")
"""Marks between two modes' names that say "to" ("Telecom → insurance")."""
MAX_SCOPE_LOOKBACK = 8
"""How far back from a request :meth:`Parser._after_conjunction` looks for a SCOPE_CONJUNCTION."""
HESITATIONS = ("...", "-", "\u2013", "\u2014", ":")
"""A pause between an opener and what it puts forward ("let's try... insurance")."""
MAX_SOFTENER_WORDS = 2
"""A clause holding a HYPOTHETICAL word softens an asked request in its sentence when at most this many other words
stand in it ("just out of curiosity, ...", "..., in theory?")."""
OBJECT, PRONOUN = 2, 1
"""What a switch lead names: an object that is the mode ("switch the demo to"), or a pronoun ("make it")."""


@dataclass(frozen=True)
class Found:
    """A request found in a message: the industry as typed, its mode id (None: custom), a company name."""

    industry: str
    mode_id: str | None
    company_name: str | None


_Pending = tuple[bool, bool] | None
"""What a clause leaves for the next: (after the whole magic phrase, after a colon), or nothing."""


class Parser(TargetReader):
    """One message under the grammar above; build it, then read :meth:`request`."""

    def __init__(
        self,
        tokens: Tokens,
        words: TriggerWords,
        phrases: tuple[str, ...],
        industry: IndustryMatcher,
        *,
        magic_optional: bool,
        brand: BrandMatcher | None = None,
    ) -> None:
        super().__init__(MessageIndex(tokens, words, phrases), industry, brand)
        self.magic_any = bool(self.magic) or magic_optional
        self.earlier: Target | None = None
        """The request stated in an earlier clause, while :meth:`request` reads the message."""

    def lead(self, i: int, end: int, *, at_start: bool, clause: tuple[int, int]) -> Target | None:
        """The request that starts at ``i`` with a lead (copula, identity, switch, show), if any.

        Away from the clause start a lead counts only after the magic phrase ("Presto! ok so you're a bank").
        """
        if not (at_start or self.magic_any):
            return None
        return (
            self._identity(i, end, at_start=at_start, clause=clause)
            or self._switched(i, end)
            or self._shown(i, end)
            or self._directed(i, end, clause)
            or self._scripted(i, end, clause)
        )

    def _scripted(self, i: int, end: int, clause: tuple[int, int]) -> Target | None:
        """A line given to the assistant as its own: a FIRST_PERSON_COPULA, then a brand and a BOT_ROLE, in
        either order ("I'm First Meridian Credit Union's virtual assistant", "this is the chatbot for Contoso
        Bank"), nothing but fillers after, and nothing before in its sentence unless a scene is set. A person's
        own job ("I'm a virtual assistant for a dentist") or someone's helper ("I'm Tom's assistant") is no bot
        role, nor a line someone else said ("My bank's chatbot said: this is ...")."""
        n = self._is("first_person_copulas", i, end)
        target = self.target(i + n, end) if n else None
        if target is None or not target.brand or not (target.mode_id or self._business(target)):
            return None
        if not (self._opens(clause[0]) or self._staged(clause)):
            return None
        k = i + n + self._is("articles", i + n, end)
        role = self._is("bot_roles", k, end)
        before = role and self._is("role_links", k + role, end) and k + role + 1 == target.start  # "the bot for X"
        after = self._is("bot_roles", target.end, end)  # "X's virtual assistant"
        stop = target.end + after if after else target.end
        rest = self._skip(stop, end, "interjections", "change_markers", "polite_openers", "question_tags")
        return target if (before or after) and rest == end else None

    def _directed(self, i: int, end: int, clause: tuple[int, int]) -> Target | None:
        """A stage direction: a name of the assistant, then a lead in the third person ("the bot now plays
        Contoso Insurance's support line", "assistant switches to the role of ..."), in a clause a change marker or
        a scene marks ("Stage direction: ..."). After a scene any business with an article will do; else an
        industry, a brand or a business noun must be named ("the bot plays a song now" is no request)."""
        subject = self._is("third_person_subjects", i, end)
        a = clause[0]
        # "assistant switches to ...": the name was skipped as an interjection, the verb is at ``i``
        before = any(self._is("third_person_subjects", j, i) == i - j for j in range(max(a, i - 2), i))
        if not (subject or before):
            return None
        k = self._skip(i + subject, end, "change_markers")
        staged = self._staged(clause)
        if not (staged or self._marked(clause)):
            return None
        n = max(self._is("third_identity_leads", k, end), self._is("third_weak_identity_leads", k, end))
        switched = None if n else self._switch(k, end, verbs="third_switch_verbs")
        after = k + n if n else (switched[0] if switched else None)
        target = self.target(self._skip(after, end, "change_markers"), end, refer=True) if after else None
        if target is None or not self._noun_like(target, magic=False) or self._ui(target):
            return None
        if self._is("possessives", target.start, target.end):
            return None  # "the bot now switches to my bank account"
        # not "the bot now plays a bank ad", "... Contoso Insurance's hold music", "... a role in my kid's play"
        roled = target.mode_id is not None and self._roled(target.words)  # "the bot now becomes a hospital front desk"
        named = self._names_industry(target) or roled or target.brand or self._business(target)
        closed = self._skip(target.end, end, "interjections", "change_markers", "polite_openers") == end
        return target if named or (staged and target.article and closed) else None

    def _opens(self, a: int) -> bool:
        """Whether clause ``a`` opens its sentence, fillers and the magic phrase aside, over a few clauses at most."""
        clauses = self.ix.clauses
        k = bisect.bisect_left(clauses, (a, a))
        start = self.ix.sentence_start(a)
        fillers = ("interjections", "polite_openers", "change_markers")
        for c, d in clauses[max(0, k - MAX_SCENE_CLAUSES) : k]:
            if c >= start and self._skip(c, d, *fillers) < d:
                return False
        return k <= MAX_SCENE_CLAUSES or clauses[k - MAX_SCENE_CLAUSES][0] <= start

    def _closes(self, j: int) -> bool:
        """Whether only fillers follow token ``j`` to the end of its sentence, over a few clauses at most ("banking,
        please."): what was named there ends what is said, not "banking, which I hate" nor "retail, they said"."""
        clauses = self.ix.clauses
        k = max(0, bisect.bisect_right(clauses, (j, self.n + 1)) - 1)
        fillers = ("interjections", "change_markers", "polite_openers", "question_tags")
        for c, d in clauses[k : k + MAX_SCENE_CLAUSES]:
            if self._skip(max(c, j), d, *fillers) < d:
                return False
            if d >= self.n or ends_sentence(self.t.low[d]):
                return True
        return False

    def _staged(self, clause: tuple[int, int]) -> bool:
        """Whether a scene is set ("Stage direction:", "role play:") a few clauses before ``clause`` in its sentence,
        or as the sentence just before it ("roleplay time!! u r an insurer")."""
        ix = self.ix
        here = bisect.bisect_left(ix.clauses, clause)
        for k in range(here - 1, max(-1, here - 1 - MAX_SCENE_CLAUSES), -1):
            pa, pb = ix.clauses[k]
            scene = self._scene(pa, pb)
            if scene and (k == here - 1 or ix.sentence_start(clause[0]) <= pa):
                return True
            if ix.sentence_start(clause[0]) > pa:
                return False
        return False

    def _identity(self, i: int, end: int, *, at_start: bool, clause: tuple[int, int]) -> Target | None:
        """COPULA target (stated as a change, or after the magic phrase) or IDENTITY_LEAD target."""
        loose = self.magic_any and at_start  # "Presto, be university" may drop the article; "I want to be rich" not
        third = self._is("third_person_copulas", i, end)  # "now it becomes a bank": a copula, and a weak one
        copula = self._is("copulas", i, end) or third
        identity = self._is("identity_leads", i, end)  # "you are going to be" is a lead, "you are" a copula
        weak = self._is("weak_identity_leads", i, end) or third
        described = (third or copula > max(identity, weak)) and not (self.magic_any or self._marked(clause))
        earlier = self.earlier.mode_id if self.earlier is not None and not third else False
        if described and earlier is False:
            return None  # "you're a bank" describes; "you're a bank now" asks
        n = max(copula, identity, weak)
        if not n:
            return None
        target = self.target(self._skip(i + n, end, "change_markers"), end, refer=True)
        # after a request, a copula may say more of the same business ("new mode: healthcare. you're the front desk")
        if (
            not target
            or not self._noun_like(target, magic=loose)
            or self._ui(target)
            or (described and target.mode_id != earlier)
        ):
            return None
        if weak > max(copula, identity) and not (
            target.mode_id or target.brand or self._business(target) or self._roled(target.words)
        ):
            return None  # "play a song", "imitate a cat"; "play a hotel front desk" names a business's role
        if third and not (target.brand or self._business(target) or self._industry_ends(target.words)):
            return None  # "now it's going to be a long day", "... a bank holiday"
        return target

    def _marked(self, clause: tuple[int, int]) -> bool:
        """Whether a CHANGE_MARKER stands in the clause, or makes up the clause before it in its sentence ("for
        this next part, you're a clinic", "role play: you're my insurer")."""
        ix = self.ix
        a, b = clause
        if ix.any(ix.markers, a, b):
            return True
        if self._staged(clause):
            return True  # "roleplay: i'm a patient, you're the clinic nurse line"
        here = bisect.bisect_left(ix.clauses, clause)
        for k in range(here - 1, max(-1, here - 1 - MAX_SCENE_CLAUSES), -1):
            pa, pb = ix.clauses[k]
            if ix.sentence_start(a) > pa:
                return False
            if (
                k == here - 1
                and ix.any(ix.markers, pa, pb)
                and self._skip(pa, pb, "interjections", "change_markers") == pb
            ):
                return True
        return False

    def _scene(self, pa: int, pb: int) -> bool:
        """Whether clause [pa, pb) only sets a scene: a lead, a placeholder or a switch verb with its particle alone
        ("role play:", "Let's role-play:", "swap personas:", "Right, next scenario:", "Let's change it up:"), openers
        and fillers around it."""
        p = self._skip(pa, pb, "interjections", "polite_openers")
        switched = self._is("switch_verbs", p, pb)
        switched = (
            switched if " " in " ".join(self.t.low[p : p + switched]) else 0
        )  # "let's change it up:", not "change:"
        q = p + max(self._is("identity_leads", p, pb), self._is("placeholders", p, pb), switched)
        return q > p and self._skip(q, pb, "interjections", "polite_openers", "question_tags", "change_markers") == pb

    def _switched(self, i: int, end: int) -> Target | None:
        """SWITCH_VERB [SWITCH_OBJECT] SWITCH_PREPOSITION target."""
        switched = self._switch(i, end)
        if switched is None:
            return None
        after, obj = switched
        target = self.target(self._skip(after, end, "change_markers"), end, refer=True)
        return target if target and self._switch_ok(target, obj=obj, magic=self.magic_any) else None

    def _shown(self, i: int, end: int) -> Target | None:
        """SHOW_LEAD target VERSION_NOUN ("show me the banking version", "let's try a gym this time")."""
        n = self._is("show_leads", i, end)
        target = self.target(i + n, end) if n else None
        if target and self._bare_show(i, n, target, end):
            return target
        return target if target and self._show_ok(target) else None

    def _bare_show(self, i: int, n: int, target: Target, end: int) -> bool:
        """ "go telecom", "let's do banking": a bare lead, then an industry's name and nothing else in the clause."""
        bare = self._is("bare_show_leads", i, end) == n
        rest = range(target.end, end)
        named = bool(target.mode_id) and self.industry(target.words) is not None  # the name is all of it
        return bare and named and not target.article and not any(self.t.word[k] for k in rest)

    def _switch(self, i: int, end: int, verbs: str = "switch_verbs") -> tuple[int, int] | None:
        """(where the target starts, which object was named: :data:`OBJECT`, :data:`PRONOUN` or 0) after a
        switch lead ("switch the demo to", "make it", "switch to"), its verb one of the class ``verbs``."""
        n = self._is("make_leads", i, end)
        if n:
            return i + n, PRONOUN
        n = self._is(verbs, i, end)
        if not n:
            return None
        j = i + n
        obj = self._is("switch_objects", j, end)
        pronoun = self._is("pronoun_objects", j, end) == obj
        past = self._from_mode(j + obj, end)  # "switch from healthcare to insurance"
        if past > j + obj:
            return past + self._is("switch_prepositions", past, end), OBJECT
        prep = self._is("switch_prepositions", j + obj, end)
        if not prep:
            return None
        return j + obj + prep, (PRONOUN if pronoun else OBJECT) if obj else 0

    def _from_mode(self, j: int, end: int) -> int:
        """Past "from" and a mode's own name ("from healthcare", "from the banking mode"), to the preposition
        after it; else ``j``. Only a mode's own name: "switch from my bank to a credit union" is the customer's."""
        if j >= end or self.t.low[j] != "from":
            return j
        k = self._skip(j + 1, end, "articles")
        if k < end and self._own_name(self.t.low[k]):
            k += 1 + self._is("version_nouns", k + 1, end)
            if self._is("switch_prepositions", k, end):
                return k
        return j

    def _switch_ok(self, target: Target, *, obj: int, magic: bool) -> bool:
        """Whether "switch to" + this target asks for a mode: an industry (not a product of one: "switch to
        online banking"), a brand with its business, a mode noun, or anything after "the demo" or the magic."""
        w = self.w
        first, last = target.words[0], target.words[-1]
        refused = w.of("ordinary_targets").words | w.of("not_targets").words
        size = len(target.words)
        if not target.article and not target.version and w.of("sectors").match(list(target.words), 0, size) == size:
            liked = self._is("similes", target.end + 1, self.n)
            like = self._appositive(target.end, 0) if liked else None  # "switch to retail, like a clothes shop"
            return self._closes(like[2] if like else target.end)  # not "switch over to retail, they said"
        trade = len(target.words) > 1 and self._business(target)  # "a real estate agency": "real" is no quality here
        if self._ui(target) or (first in refused and not trade) or last in w.of("ordinary_targets").words:
            return False
        weak = obj == 0 and not magic and not target.version
        owned = (weak or self._is("possessives", target.start, target.end)) and not target.brand
        # "move on to my insurance claim", "let's move on to the dental claim": a thing of an industry's, no business
        things = owned and target.mode_id and not target.version and not self._industry_ends(target.words)
        heads = w.of("business_nouns").words | w.of("aspect_nouns").words | w.of("role_heads").words
        listed = any(word in w.of("conjunctions").words for word in target.words)  # "the phone/internet/TV side"
        things = things and last not in heads and not listed  # not "the banking side", "a bank branch"
        # "change it to 22 Baker St", "change it to 500": an address or an amount
        if self._personal(target) or things or first[:1].isdigit():
            return False
        if target.mode_id:
            product = first in w.of("product_modifiers").words and last in w.of("product_heads").words
            return not (weak and len(target.words) > 1 and product)
        if target.version:
            return target.version not in w.of("weak_version_nouns").words
        # "switch to a taxi firm" or "switch to a gym" names a business (not "switch to a place": too general)
        specific = len(target.words) > 1 or self._trade(target)
        business = target.article and obj == 0 and self._business(target) and specific
        return (
            target.appositive
            or business
            or obj == OBJECT
            or magic
            or (obj == PRONOUN and (target.article or target.brand))
        )

    def _show_ok(self, target: Target) -> bool:
        w = self.w
        if self._ui(target) or target.words[0] in w.of("ordinary_targets").words | w.of("not_targets").words:
            return False
        after = self._is("change_markers", target.end, self.n) > 0  # "let's try a gym this time", "the airline one now"
        if not (target.version or after):
            return False
        weak = target.version in w.of("weak_version_nouns").words
        return bool(target.mode_id) or not target.version or not weak or after

    def bare(self, i: int, end: int, *, full: bool, colon: bool) -> Target | None:
        """A target with no lead, right after a trigger phrase or a "mode:" placeholder."""
        w = self.w
        i = self._skip(i, end, "bare_fillers", "change_markers")
        if i >= end or self.t.low[i] in w.of("not_targets").words or self._is("go_phrases", i, end) == end - i:
            return None
        leads = ("copulas", "identity_leads", "weak_identity_leads", "make_leads", "switch_verbs", "negations",
                 "question_openers")  # fmt: skip
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

    def _void(self, target: Target, clause: tuple[int, int], opener: int, asking: bool) -> bool:
        """Whether a request is negated, asked about or hypothetical ("could you ever be", "can you be a bank too")."""
        a, b = clause
        if self.ix.any(self.ix.negations, self._after_conjunction(a, target.start), target.start):
            return True
        if asking and self._softened(target, min(opener, a), max(b, target.end)):
            return True  # "hypothetically, could you become a gym's chatbot?", "can you be a dentist, in theory?"
        asks = self.ix.asks(max(target.start, min(target.end, self.n) - 1))
        return asks and not asking

    def _softened(self, target: Target, a: int, b: int) -> bool:
        """Whether a HYPOTHETICAL word softens an asked request: in its own clause [a, b), or as a clause of its
        sentence that holds little else ("in theory", "just curious"; not "doesn't really matter which kind")."""
        ix = self.ix
        if ix.any(ix.hypothetical, a, b):
            return True
        start, end = ix.sentence_start(target.start), self._sentence_end(target.start)
        fillers = ("interjections", "question_tags", "hypothetical")
        for c, d in ix.clauses[bisect.bisect_left(ix.clauses, (start, start)) :]:
            if c >= end:
                break
            if ix.any(ix.hypothetical, c, d) and self._skip(c, d, *fillers) + MAX_SOFTENER_WORDS >= d:
                return True
        return False

    def _sentence_end(self, i: int) -> int:
        """Where the sentence holding token ``i`` ends (exclusive)."""
        ix = self.ix
        k = ix.sentence_of(i)
        return ix.sentence_ends[k] + 1 if k < len(ix.sentence_ends) else self.n

    def _after_conjunction(self, a: int, i: int) -> int:
        """Where the part of a clause that leads to ``i`` starts: past the last SCOPE_CONJUNCTION before it ("stop
        being a hospital and be a phone company": the negation is the first part's). Looks back a bounded way."""
        scope = self.w.of("scope_conjunctions").words
        for k in range(i - 1, max(a, i - MAX_SCOPE_LOOKBACK) - 1, -1):
            if self.t.low[k] in scope:
                return k + 1
        return a

    def request(self) -> Found | None:
        """The request the message makes (the last one stated, unless retracted), or None.

        Only the last :data:`MAX_REQUEST_CLAUSES` clauses that hold a lead word are read: a request is one
        of a message's last few statements, and this bounds the work on a message made of thousands.
        """
        ix = self.ix
        found: Target | None = None
        pending: _Pending = None
        with_cues = [k for k, (a, b) in enumerate(ix.clauses) if ix.any(ix.cues, a, b)]
        first = with_cues[-MAX_REQUEST_CLAUSES] if len(with_cues) > MAX_REQUEST_CLAUSES else 0
        just_found = False
        for a, b in ix.clauses[first:]:
            if just_found and found is not None and (named := self._named(a, b, found)) is not None:
                found, pending, just_found = named, None, False
                continue
            if pending is None and (marked := self._name_marked(a, b)) is not None:
                found, just_found = marked, True
                continue
            if pending is None and not ix.any(ix.cues, a, b) and (found is None or not ix.any(ix.undo, a, b)):
                just_found = False
                continue  # no lead, nothing pending, nothing to undo: an ordinary clause
            before = self.earlier = found
            found, pending = self._clause(a, b, found, pending)
            just_found = found is not None and found is not before
        return Found(found.label, found.mode_id, found.company) if found else None

    def after_magic(self) -> Found | None:
        """When the grammar finds no request but the whole magic phrase opened a clause: the first industry named
        in the next few words ("presto change-o... lemme see, the credit union version of you"), in a sentence
        that neither asks nor negates nor takes anything back. Bounded: :data:`MAGIC_REACH` tokens."""
        ix, low = self.ix, self.t.low
        wholes = [(start, end) for start, (end, full) in self.magic.items() if full]
        if not wholes:
            return None
        start, after = max(wholes)
        if ix.reports and ix.quoted[start]:
            return None  # "it says 'Presto-Change-O, you're a bank' but we're skipping that": reported speech
        stop = min(self.n, after + MAGIC_REACH)
        clauses = [(a, b) for a, b in ix.clauses if b > start and a < stop]
        heads = [self._skip(a, b, "interjections") for a, b in clauses]
        said = bool(clauses) and self._skip(clauses[0][0], start, "interjections") == start  # not "my band's Presto"
        asked = any(self._is("question_openers", h, stop) for h in heads if h >= after)  # "presto, are you a bank"
        undone = any(self._is("retractions", k, self.n) for k in range(after, stop))  # "..., never mind"
        if not said or asked or undone:
            return None
        for k in range(after, stop):
            if not self.t.word[k] or low[k] in self.w.of("not_targets").words:
                continue
            if ix.asks(k) or ix.any(ix.negations, min(ix.sentence_start(k), ix.sentence_start(start)), k + 1):
                break  # "do NOT presto change-o, I still need the bank"
            target = self.target(k, stop)
            if target is not None and target.mode_id and not self._ui(target):
                return Found(target.label, target.mode_id, target.company)
        return self._before_magic(start)

    def _before_magic(self, start: int) -> Found | None:
        """ "Magpie Mobile. Presto change-o. Go.": a clause that is only a business, right before the sentence the
        whole magic phrase opens and with nothing after the phrase but a GO_PHRASE."""
        ix = self.ix
        k = bisect.bisect_left(ix.clauses, (start, start)) - 1
        if k < 0 or k >= MAX_GO_CLAUSES or ix.asks(start - 1):
            return None
        a, b = ix.clauses[k]
        after = max(end for begin, (end, _full) in self.magic.items() if begin == start)
        rest = [k for k in range(after, self.n) if self.t.word[k]]
        if rest and self._skip(rest[0], self.n, "go_phrases", "interjections") < rest[-1] + 1:
            return None
        target = self.target(self._skip(a, b, "interjections"), b)
        if target is None or target.end != b or self._ui(target) or self._is("possessives", target.start, b):
            return None
        if not self._noun_like(target, magic=False) or self.ix.any(self.ix.negations, a, b):
            return None
        if not (target.brand or self._names_industry(target)):
            return None
        return Found(target.label, target.mode_id, target.company)

    def named_alone(self) -> Found | None:
        """A message that is only an industry's own name, besides interjections and punctuation ("healthcare",
        "INSURANCE. NOW.", "ok telecom please"): the name a mode is called by asks for it."""
        words = [k for k in range(self.n) if self.t.word[k]]
        if not words or len(words) > MAX_ALONE_WORDS:
            return None
        low = self.t.low
        fillers = ("interjections", "change_markers", "polite_openers", "question_tags")
        if any("?" in low[k] for k in range(self.n) if not self.t.word[k]):
            return None  # "insurance?" asks
        names = [k for k in words if self._own_name(low[k])]
        rest = [k for k in words if k not in names]
        if len(names) == 1 and all(any(self._is(f, k, k + 1) for f in fillers) for k in rest):
            return Found(low[names[0]], low[names[0]], None)
        # "bank pls", "urgent care plz": an industry's other name, asked for with a "please"
        said = [k for k in words if not any(self._is(f, k, k + 1) for f in fillers)]
        said = said[1:] if said and low[said[0]] in ("a", "an") else said  # "a health insurer please"
        polite = any(self._is("polite_openers", k, k + 1) for k in words)
        hit = (
            self.industry(tuple(low[k] for k in said)) if said and said == list(range(said[0], said[-1] + 1)) else None
        )
        if hit is None or not polite:
            return None
        label = " ".join(low[k] for k in said)
        return Found(label, hit[0], None)

    def switch_alone(self) -> Found | None:
        """A last sentence that only says to switch ("switch please", "Switch, please.", "switch pls") right after
        an industry was called by its mode's own name ("Next: telecom. Switch, please."): that mode. Not after a
        question or a negation, and not after a business of the customer's ("I hate my bank. switch please")."""
        ix, low = self.ix, self.t.low
        if not ix.clauses:
            return None
        last = ix.clauses[-1][0]
        start = next((k for k in (last, ix.sentence_start(last)) if self._bare_switch(k)), None)
        if start is None or ix.asks(start) or start == 0:
            return None  # "switch to a cheaper plan", "I want to switch": more than a bare "switch"
        before = max(0, start - MAGIC_REACH)
        if ix.any(ix.negations, before, start) or ix.asks(start - 1):
            return None  # "not banking. switch" or "is it banking? switch"
        named = [j for j in range(before, start) if self.t.word[j] and self._own_name(low[j])]
        if not named:
            return None
        return Found(low[named[-1]], low[named[-1]], None)

    def go_alone(self) -> Found | None:
        """A message that names a business and then only says to go ("broadband provider, go", "a concert venue box
        office, go!"): a known industry or a business noun ending the words, nothing asked, negated or taken back."""
        ix = self.ix
        if len(ix.clauses) < 2 or len(ix.clauses) > MAX_GO_CLAUSES:
            return None
        (a, b), (c, d) = ix.clauses[-2], ix.clauses[-1]
        if self._skip(c, d, "go_phrases", "interjections", "question_tags") != d or not self._is("go_phrases", c, d):
            return None
        p = self._skip(a, b, "interjections", "change_markers", "polite_openers")
        target = self.target(p, b)
        if target is None or target.end != b or self._ui(target) or not self._noun_like(target, magic=False):
            return None
        if ix.asks(a) or ix.asks(c) or ix.any(ix.negations, 0, self.n) or ix.any(ix.undo, 0, self.n):
            return None
        named = self._names_industry(target)
        if not (named or target.brand or (len(target.words) > 1 and self._business(target))):
            return None  # "lunch, go" or "the fees, go on"
        return Found(target.label, target.mode_id, target.company)

    def role_first(self) -> Found | None:
        """A sentence that names the role before the verb ("as a phone company, pls answer from now", "like a
        taxi firm, reply"): a ROLE_PREP, a business (an industry, a brand or a business noun), then a ROLE_VERB
        and only fillers to the sentence's end. Not asked, negated or taken back; the last such sentence wins."""
        ix = self.ix
        fillers = ("interjections", "polite_openers", "change_markers", "question_tags")
        for start in reversed(ix.sentence_starts[-MAX_REQUEST_CLAUSES:]):
            p = self._skip(start, self.n, *fillers)
            n = self._is("role_preps", p, self.n)
            target = self.target(p + n, self.n) if n else None
            if target is None or self._ui(target) or not self._noun_like(target, magic=False):
                continue
            end = self._sentence_end(p)
            end -= end > p and not self.t.word[end - 1]  # the sentence's own full stop
            k = self._skip_punct(target.end, end, *fillers)
            verb = self._is("role_verbs", k, end)
            named = self._names_industry(target)
            owned = self._is("possessives", target.start, target.end)  # "as my bank, answer": the customer's
            if not verb or owned or not (named or target.brand or self._business(target)):
                continue
            if self._skip_punct(k + verb, end, *fillers) < end or ix.asks(p) or ix.any(ix.negations, start, end):
                continue
            undone = any(self._is("retractions", j, self.n) for j in range(start, self.n))
            return None if undone else Found(target.label, target.mode_id, target.company)
        return None

    def _skip_punct(self, i: int, end: int, *names: str) -> int:
        """Past any run of phrases of the classes ``names`` and of punctuation that ends no sentence, from ``i``."""
        while i < end:
            if not self.t.word[i] and not ends_sentence(self.t.low[i]):
                i += 1
            elif (k := self._skip(i, end, *names)) > i:
                i = k
            else:
                break
        return i

    def brand_slot(self) -> str | None:
        """The brand a clause of its own gives ("..., the brand is Northwind Insurance", "Name: Tailwind Air",
        "call it SwiftDrop"): a BRAND_SLOT opening a clause, then a capitalised name to the clause's end. Only
        the last :data:`MAX_REQUEST_CLAUSES` clauses are read."""
        ix = self.ix
        conjunctions = self.w.of("conjunctions").words
        for a, b in reversed(ix.clauses[-MAX_REQUEST_CLAUSES:]):
            starts = [a, *(j + 1 for j in range(a, b) if self.t.low[j] in conjunctions)]  # "... and call it X"
            hits = [(p, n) for p in (self._skip(j, b, "interjections", "polite_openers") for j in starts)
                    if (n := self._is("brand_slots", p, b))]  # fmt: skip
            if not hits:
                continue
            p, n = hits[-1]
            k = p + n
            while k < self.n and not self.t.word[k] and self.t.low[k] in (":", "-", "="):
                k += 1
            if k < self.n and self._capitalised(k) and ix.mixed_case:
                end = self._brand_end(k, self.n)
                if end > k and (end == self.n or not self.t.word[end]):
                    return " ".join(self.t.text[self.t.start[k] : self.t.end[end - 1]].split())
        return None

    def transition_alone(self) -> Found | None:
        """A message that only names a move from one mode to another ("From banking to telecom, please.",
        "Telecom → insurance"): a mode's own name, "to" or an arrow, then an industry or a business, with nothing
        else but fillers. Not a question, a negation or a retraction."""
        ix, low = self.ix, self.t.low
        if not ix.clauses or len(ix.clauses) > MAX_GO_CLAUSES + 1:
            return None
        a = ix.clauses[0][0]
        k = self._skip(a, self.n, "interjections", "change_markers", "polite_openers")
        k += k < self.n and low[k] == "from"
        after = self._past_to(k + 1 + self._is("version_nouns", k + 1, self.n)) if k < self.n else None
        if after is None or not self._own_name(low[k]):
            return None
        end = next((j for j in range(after, self.n) if not self.t.word[j]), self.n)
        target = self.target(after, end)
        if target is None or self._ui(target) or not (target.mode_id or self._business(target)):
            return None
        rest = [j for j in range(target.end, self.n) if self.t.word[j]]
        tails = ("interjections", "change_markers", "polite_openers", "go_phrases", "question_tags")
        extra = bool(rest) and self._skip(rest[0], self.n, *tails) < rest[-1] + 1
        asked = ix.asks(a) or ix.asks(self.n - 1) or ix.any(ix.negations, 0, self.n) or ix.any(ix.undo, 0, self.n)
        return None if extra or asked else Found(target.label, target.mode_id, target.company)

    def _past_to(self, k: int) -> int | None:
        """Past the "to" or the arrow at ``k`` ("insurance -> banking", "telecom to insurance"); None if neither."""
        if k < self.n and not self.t.word[k] and any(c in self.t.low[k] for c in ARROWS):
            return k + 1  # "insurance -> banking": the arrow is a token of its own
        to = self._is("switch_prepositions", k, self.n)
        return k + to if to else None

    def _own_name(self, word: str) -> bool:
        """Whether ``word`` is a mode's own name ("telecom", "healthcare"), not merely a synonym ("bank")."""
        hit = self.industry((word,))
        return hit is not None and hit[0] == word

    def _bare_switch(self, k: int) -> bool:
        """Whether the tokens from ``k`` on are one SWITCH_VERB with only fillers around it ("Switch, please.")."""
        fillers = ("interjections", "polite_openers", "question_tags", "change_markers")
        verbs = 0
        while k < self.n:
            if not self.t.word[k]:
                k += 1
            elif n := self._is("switch_verbs", k, self.n):
                k, verbs = k + n, verbs + 1
            elif step := max(self._is(f, k, self.n) for f in fillers):
                k += step
            else:
                return False
        return verbs == 1

    def _name_marked(self, a: int, b: int) -> Target | None:
        """A clause that is only a mode's own name and a CHANGE_MARKER ("Right, telecoms next", "insurance now
        please"): that mode. Not asked, not negated."""
        ix, low = self.ix, self.t.low
        p = self._skip(a, b, "interjections", "polite_openers", "change_markers")
        if p >= b or not ix.any(ix.markers, a, b) or ix.asks(p) or ix.any(ix.negations, a, b):
            return None
        name = low[p]
        plural = (name.removesuffix(end) for end in self.w.of("plural_endings").words if name.endswith(end))
        if not (self._own_name(name) or any(map(self._own_name, plural))):
            return None
        rest = self._skip(
            p + 1, b, "interjections", "polite_openers", "change_markers", "version_nouns", "question_tags"
        )
        return self.target(p, p + 1) if rest == b and self._closes(b) else None  # not "insurance next, then rent"

    def _named(self, a: int, b: int, found: Target) -> Target | None:
        """The request with its company when clause [a, b) only names one, right after the clause that asked, in
        the same sentence ("you're a hospital now, Lagoon View Hospital", "a building society, Marlow specifically"),
        or with its industry when a brand was asked for and the clause only says what it is ("be Lemonade for a
        sec - the renters insurance people"); else None."""
        if a == 0 or ends_sentence(self.t.low[a - 1]):
            return None
        p = self._skip(a, b, "interjections")
        kind = self.target(p, b, brand_ok=False) if found.brand and found.mode_id is None else None
        if kind is not None and kind.article and kind.mode_id and kind.end == b and self._industry_ends(kind.words):
            return replace(found, label=kind.label, mode_id=kind.mode_id)  # "be Lemonade for a sec - the insurer"
        if found.company is not None:
            return None
        end = b - next((n for k in range(p, b) if (n := self._is("brand_specifiers", k, b)) == b - k), 0)
        if end < b and p < end and self._brand_end(p, end) == end and not all(map(self._known_word, self.t.low[p:end])):
            return replace(found, company=" ".join(self.t.text[self.t.start[p] : self.t.end[end - 1]].split()))
        brand = self.target(a, b)
        if brand is None or not brand.brand or brand.end != b:
            return None
        # The name says what it is, as the request did ("Lagoon View Hospital"), not a person addressed ("Bob").
        same = brand.mode_id is not None and brand.mode_id == found.mode_id
        business = found.mode_id is None and brand.mode_id is None and self._business(brand) and len(brand.words) > 1
        return replace(found, company=brand.company) if same or business else None

    def _clause(self, a: int, b: int, found: Target | None, pending: _Pending) -> tuple[Target | None, _Pending]:
        """(the request standing after clause [a, b), what it leaves pending for the next clause)."""
        p = self._skip(a, b, "interjections", "change_markers")
        reported = self.ix.reports and self.ix.all_quoted(a, b)  # 'she always says "you're a hospital now"'
        opens = any(self._is(name, p, b) for name in OPENERS)
        magic_here = [self.magic[k][1] for k in range(a, p) if k in self.magic]
        if found is None and pending is not None and p < b and self._skip(p, b, "corrections", "interjections") == b:
            return found, pending  # "be an insurer. no wait, sorry, a bank": one correction after another
        undone = self._undo(p, b, found)
        starts = range(a, min(p, b - 1) + 1)  # "ok, next up is ...": "next" may be read as an interjection
        announced = None if undone or reported else next(filter(None, (self._announced(k, b) for k in starts)), None)
        if announced is not None and not self._void(announced, (a, b), p, asking=False):
            undone = announced, None  # "next up is the banking vertical": "is" asks nothing here
        if undone is not None or reported or (self._is("question_openers", p, b) and not opens):
            return undone or (found, None)
        asking = self._is("asking_openers", p, b)
        suggest = 0 if asking else self._is("suggestion_openers", p, b)
        hit = self._suggested(*self._hesitated(self._skip(p + suggest, b, "interjections"), b)) if suggest else None
        supposed = 0 if asking or hit else self._is("hypothetical_suggestions", p, b)
        if supposed:
            hit = self._supposed(p + supposed, b)
        if hit is not None:  # "how about a hotel?", "let's do a bakery": a suggestion may be asked
            asking = suggest or supposed
        polite = self._is("polite_openers", p + asking, b)  # "could you go ahead and be a bank"
        q = self._skip(p + asking + polite, b, "interjections")
        opened = q > p  # after "can you", "please": no bare target, no "bank mode" clause
        magic = None if opened or not magic_here else any(magic_here)
        if hit is None:
            hit = self._hit(a, b, q, None if opened else pending, magic, opened=opened)
        quoted = hit is not None and self.ix.reports and self.ix.all_quoted(hit.start, hit.end)
        if hit is not None and not quoted and not self._void(hit, (a, b), p, bool(asking)):
            found = hit  # not 'it says "you're a bank" but we're skipping that': a quoted request is reported
        terminator = self.t.low[b] if b < self.n else ""
        if "?" not in terminator and magic_here and q == b:
            return found, (any(magic_here), False)  # "Presto-Change-O: insurance"
        if "?" not in terminator and pending is not None and q == b and hit is None:
            return found, pending  # "Presto! um... ok! a bank": a clause of interjections leaves room as it found it
        placeholder = self._is("placeholders", q, b)
        tail = ("polite_openers", "interjections", "question_tags")  # "Next persona please:"
        if terminator.endswith(COLON_PUNCT) and (
            (placeholder and self._skip(q + placeholder, b, *tail) == b)
            or (hit is None and self._switch(q, b) is not None)
        ):
            return found, (True, True)  # "mode: healthcare", "switch to custom business: a bakery"
        return found, None

    def _hesitated(self, q: int, b: int) -> tuple[int, int]:
        """Where what an opener puts forward stands: [q, b), or the next clause when nothing follows the opener but
        a pause ("let's try... insurance", "how about - a bakery")."""
        if q < b or b >= self.n or self.t.low[b] not in HESITATIONS:
            return q, b
        k = bisect.bisect_left(self.ix.clauses, (b, b))
        return self.ix.clauses[k] if k < len(self.ix.clauses) else (q, b)

    def _suggested(self, q: int, b: int) -> Target | None:
        """The business a SUGGESTION_OPENER puts forward ("how about an urgent care center next?", "let's do a
        bakery"): one with an article and a known industry or business noun, or any industry or brand with a
        CHANGE_MARKER after it ("what about telecom next?"). Not "what about my bank?" or "how about the fees"."""
        target = self.target(self._skip(q, b, "change_markers"), b, refer=True)
        if target is None or self._ui(target) or not self._noun_like(target, magic=False):
            return None
        if self._is("possessives", target.start, target.end) or self._is("definite_articles", target.start, b):
            return None
        if self._skip(target.end, b, "target_stops", "interjections", "change_markers", "sequence_adverbs") < b:
            return None  # "maybe a bank would help": the business is what the clause is about, not put forward
        named = self._names_industry(target)  # not "a hospital visit"
        marked = self._is("change_markers", target.end, self.n) > 0
        if target.article:
            return target if named or self._business(target) or (target.brand and marked) else None
        if named and self.industry(target.words) is not None and not self.ix.asks(target.start):
            return target  # "let's do banking", not "how about insurance?"
        whole = self.industry(self._unfilled(target.words)) is not None  # not "let's try... insurance claims now"
        return target if ((named and whole) or target.brand) and marked else None

    def _supposed(self, i: int, b: int) -> Target | None:
        """After a HYPOTHETICAL_SUGGESTION ("what if you were"), a business that is tried out: a CHANGE_MARKER after
        it ("... a hospital for a sec") or a GO_PHRASE as the next clause ("...? let's try that"). Without either it
        is a question about a hypothetical ("what if you were a bank, would you charge fees?")."""
        target = self.target(self._skip(i, b, "change_markers"), b, refer=True)
        if target is None or self._ui(target) or not self._noun_like(target, magic=False):
            return None
        named = self._names_industry(target)
        if not (named or target.brand or self._business(target)) or self._is("possessives", target.start, b):
            return None  # "if you were my bank, do it right": the customer's own
        if self._is("change_markers", target.end, b):
            return target
        k = bisect.bisect_left(self.ix.clauses, (b, b))
        if k < len(self.ix.clauses):
            c, d = self.ix.clauses[k]
            if self._is("go_phrases", c, d) and self._skip(c, d, "go_phrases", "interjections", "question_tags") == d:
                return target
        return None

    def _undo(self, p: int, b: int, found: Target | None) -> tuple[Target | None, _Pending] | None:
        """What a correction or a retraction at ``p`` leaves ("no wait, healthcare", "just kidding"), if any."""
        correction = self._is("corrections", p, b) if found is not None else 0
        if correction:  # "switch to insurance, no wait, healthcare", "be a bank, sorry, I mean a clinic"
            replaced = self.bare(p + correction, b, full=True, colon=False)
            if replaced is not None:
                return replaced, None
            if p + correction == b:
                return (None if self._is("retractions", p, b) else found), (True, False)
        whole = self._is("retractions", p, b) == b - p or self._is("retraction_clauses", p, b) == b - p
        if found is not None and whole and p < b:  # "be a car dealer... no, actually a home insurer"
            return self._replacement(b), None
        if found is not None and self._unswitched(p, b):
            return None, None  # "make it a bank. hmm, actually, let's not change anything yet"
        if self._is("retractions", p, b) or self._is("retraction_clauses", p, b) == b - p > 0:
            return None, None
        return None

    def _unswitched(self, p: int, b: int) -> bool:
        """Whether clause [p, b) only says not to switch: openers, a NEGATION, a switch verb or an identity lead and
        nothing after it but fillers ("let's not change anything yet", "actually don't switch", "let's not do that")."""
        k = self._skip(p, b, "interjections", "polite_openers")
        n = self._is("negations", k, b)
        verb = max(self._is(c, k + n, b) for c in ("switch_verbs", "identity_leads", "show_leads")) if n else 0
        rest = self._skip(k + n + verb, b, "not_targets", "change_markers", "interjections", "target_stops")
        return bool(verb) and rest == b  # not "but don't change the colours": that asks for something else

    def _replacement(self, b: int) -> Target | None:
        """The business the clause after a retraction that ends at ``b`` names instead, past any more retractions
        ("no, scratch that - a car rental company"): a whole clause naming an industry, a brand or a business."""
        ix = self.ix
        k = bisect.bisect_left(ix.clauses, (b, b))
        for c, d in ix.clauses[k : k + MAX_SCENE_CLAUSES]:
            q = self._skip(c, d, "interjections")
            if self._is("retractions", q, d) == d - q or self._is("retraction_clauses", q, d) == d - q:
                continue
            target = self.bare(q, d, full=False, colon=False)
            named = target is not None and (self._names_industry(target) or target.brand or self._business(target))
            rest = self._skip(target.end, d, "interjections", "change_markers", "polite_openers") if target else 0
            return target if named and target is not None and rest == d and not ix.asks(q) else None
        return None

    def _hit(self, a: int, b: int, q: int, pending: _Pending, magic: bool | None, *, opened: bool) -> Target | None:
        """The request clause [a, b) states from ``q`` on: a lead there (or, after the magic phrase, further on),
        a bare target the previous clause (``pending``) or the magic phrase (``magic``: whether it was whole)
        left room for, or "bank mode". ``pending`` and ``magic`` are None after an opener ("can you")."""
        hit = self.lead(q, b, at_start=True, clause=(a, b))
        if hit is None and opened and (n := self._is("gerund_leads", q, b)):  # "would you mind turning into a gym"
            target = self.target(self._skip(q + n, b, "change_markers"), b, refer=True)
            if target and self._noun_like(target, magic=False) and not self._ui(target):
                hit = target
        if hit is None and (self._is("negations", q, b) or self._marked((a, b))):
            hit = self._instead(q, b, (a, b))  # "role play: I'm a policyholder and you're my insurer"
        if hit is None and self.magic_any:
            for k in self.ix.cues_in(q + 1, b, MAX_SCANNED_LEADS):
                if self.ix.any(self.ix.negations, a, k):
                    break  # every later lead in the clause is negated too
                if hit := self.lead(k, b, at_start=False, clause=(a, b)):
                    break
        if hit is None and pending is not None:
            hit = self.bare(q, b, full=pending[0], colon=pending[1])
        if hit is None and magic is not None and q < b:
            hit = self.bare(q, b, full=magic, colon=False)
        if hit is None and not opened:
            hit = self._version_clause(q, b)
        return hit

    def _announced(self, q: int, b: int) -> Target | None:
        """ "next up is the banking vertical", "the next scenario will be an airline": a PLACEHOLDER that looks
        ahead ("next", "new"), an ANNOUNCING_VERB, then an industry, a brand, a business or a sector."""
        low = self.t.low
        k = q + self._is("definite_articles", q, b)
        n = self._is("placeholders", k, b)
        ahead = any(word in self.w.of("forward_words").words for word in low[k : k + n])
        verb = self._is("announcing_verbs", k + n, b) if n and ahead else 0
        target = self.target(k + n + verb, b) if verb else None
        if target is None or self._ui(target) or self._is("possessives", target.start, target.end):
            return None
        if not self._closes(target.end):
            return None  # "next up is the dentist for me, ugh", "next up is banking, which I hate"
        named = self._names_industry(target)
        sector = self._is("sectors", target.start, target.end) == len(target.words)
        return target if named or target.brand or self._business(target) or sector else None

    def _instead(self, q: int, b: int, clause: tuple[int, int]) -> Target | None:
        """ "stop being a hospital and be a phone company": after a clause that starts negated, a lead right after
        one of the next few SCOPE_CONJUNCTIONS starts a request of its own."""
        scope = self.w.of("scope_conjunctions").words
        joints = [k for k in range(q + 1, min(b, q + MAX_SCOPE_LOOKBACK * 2)) if self.t.low[k] in scope]
        for k in joints[:2]:
            start = self._skip(k + 1, b, "interjections", "polite_openers")
            if hit := self.lead(start, b, at_start=True, clause=clause):
                return hit
        return None

    def _version_clause(self, i: int, end: int) -> Target | None:
        """A clause that is only a target and a strong VERSION_NOUN ("bank mode", "hotel demo please")."""
        if any(self._is(name, i, end) for name in LEADS):
            return None  # a lead that did not hold ("enable night mode") is no industry name
        target = self.target(i, end)
        if target is None or not target.version or self._ui(target):
            return None
        named = bool(target.mode_id) and not target.article and self.industry(target.words) is not None
        trade = len(target.words) > 1 and target.words[-1] in self.w.of("business_nouns").words  # "pizza shop time"
        if target.version in self.w.of("weak_version_nouns").words and not (named or trade):
            return None  # "the bank one", "telecom time" name an industry; "bed time", "the new one" do not
        rest = self._skip(target.end, end, "target_stops", "interjections")
        return target if rest == end and target.words[0] not in self.w.of("not_targets").words else None


__all__ = ["Found", "IndustryMatcher", "Parser"]
