"""Reading a target: the business a mode request names ("a cable and internet company", "Contoso Bank",
"Fabrikam, the insurance company", "a bank called Harbor Federal"), its industry and company name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from persona_kit.triggers.index import MessageIndex
from persona_kit.triggers.words import ends_sentence

MAX_TARGET_WORDS = 5
MAX_BRAND_WORDS = 8
MAX_NAME_TOKENS = 40
MAX_ANTECEDENT = 32
"""How many tokens before a pronoun target ("be them") are searched for the business it stands for."""
NAME_ENDS = frozenset({",", ";"})

IndustryMatcher = Callable[[tuple[str, ...]], tuple[str, str] | None]
"""Casefolded target words -> (mode id, synonym) of the industry they name, if any."""


class BrandMatcher(Protocol):
    """Casefolded words of a company's name -> (mode id, word) of the industry the name tells, if any."""

    def __call__(self, words: tuple[str, ...], *, capitalised: bool) -> tuple[str, str] | None: ...


def _no_brand(words: tuple[str, ...], *, capitalised: bool) -> tuple[str, str] | None:
    return None


@dataclass(frozen=True)
class Target:
    """A business named in a request, over tokens [start, end): industry label, mode id (None: custom), company,
    and what the grammar weighs (an article before it, a brand, a version noun after it, an appositive)."""

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


class TargetReader:
    """Reads targets in one indexed message (see :mod:`persona_kit.triggers.grammar` for the grammar)."""

    def __init__(self, ix: MessageIndex, industry: IndustryMatcher, brand: BrandMatcher | None = None) -> None:
        self.brand = brand or _no_brand
        self.ix = ix
        self.t = ix.t
        self.w = ix.w
        self.n = ix.n
        self.magic = ix.magic
        self.industry = industry
        self._targets: dict[tuple[int, int, bool, bool, int], Target | None] = {}

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
        return self.t.word[i] and text[:1].isupper() and (self.ix.mixed_case or len(text) <= 1)

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
        "Co. Ltd." (in a message typed in both cases, a capitalised name ends where its capitals do); (name, where
        it ends)."""
        suffixes = self.w.of("suffixes").words
        titles = self.w.of("titles").words
        j, last = i, i
        stop = self.n
        if i < self.n and self._capitalised(i) and self.ix.mixed_case:  # "a gym called PulseBox for the next demo"
            stop = max(self._brand_end(i, self.n), i + 1)
        while j < stop and j - i < MAX_NAME_TOKENS:
            low = self.t.low[j]
            j += 1
            if not self.t.word[j - 1]:
                if any(ch in NAME_ENDS for ch in low) or ends_sentence(low):
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

    def target(self, i: int, end: int, *, brand_ok: bool = True, refer: bool = False, links: int = 2) -> Target | None:
        """The target at ``i`` (see the grammar), or None when nothing there names a business. With ``refer``,
        a pronoun there ("be them", "switch to that") stands for the business named just before it. At most
        ``links`` roles are followed to their business ("the chatbot of a chain of clinics": two), through
        appositives too, so a chain of them ("Tom, the agent for Tom, the agent for ...") is read in bounded depth;
        each reading is kept, so a message's targets cost time linear in its size."""
        key = (i, end, brand_ok, refer, links)
        if key not in self._targets:
            self._targets[key] = self._read_target(i, end, brand_ok=brand_ok, refer=refer, links=links)
        return self._targets[key]

    def _read_target(self, i: int, end: int, *, brand_ok: bool, refer: bool, links: int) -> Target | None:
        w, low = self.w, self.t.low
        start = i
        if refer and (n := self._is("anaphors", i, end)):
            antecedent = self._antecedent(i)
            return None if antecedent is None else replace(antecedent, start=i, end=i + n, article=True)
        article = w.of("articles").match(low, i, end)
        i += article
        if i >= end or not self.t.word[i]:
            return None
        if brand_ok and (not article or w.of("brand_articles").match(low, start, end)):
            brand_end = self._brand_end(i, end)
            # "Shamrock Mutual the Irish insurer": the brand ends where an article starts its business
            cut = (k for k in range(i + 1, brand_end) if self._is("articles", k, end) and self._appositive(k, links))
            brand_end = next(cut, brand_end)
            single_at_start = brand_end == i + 1 and i == self.ix.sentence_start(i)
            # "be Pulse Fitness Studios and handle a cancellation": a conjunction and a second task end the brand
            joined = brand_end < end and low[brand_end] in self.w.of("scope_conjunctions").words
            follows = brand_end < end and self.t.word[brand_end] and not self._stop(brand_end, end) and not joined
            named = brand_end > i and self._appositive(brand_end, links) is not None  # "Shamrock Mutual, the insurer"
            plain = single_at_start or follows or all(map(self._known_word, low[i:brand_end]))
            if brand_end > i and (named or not plain):
                return self._brand_target(start, i, brand_end, end, article=bool(article), links=links)
        j = i + self._leading_version(i, end)  # "a theme park": "theme" is no version noun before another word
        base = i  # past an owner's name the words count from it: "First Meridian Credit Union's virtual assistant"
        while j < end and j - base < MAX_TARGET_WORDS and self.t.word[j] and not self._stop(j, end):
            base = j if low[j].endswith("'s") and base == i else base
            j += 1
        j = self._trimmed(i, j)
        conjunctions = w.of("conjunctions").words
        joint = next((k for k in range(i, j) if low[k] in conjunctions), None)
        if joint is not None and not self._joined(tuple(low[i:j]), tuple(low[joint + 1 : j])):
            j = joint  # "a financial advisor and tell me ...": the second half is no part of the business
        if j == i:
            return None
        words = tuple(low[i:j])
        through = self._through_role(start, i, j, article=bool(article), links=links)
        if through is not None or (refer and self._role_alone(start, i, j)):
            # "you're the agent now": the business named before it, or none
            return through or self._role_of_antecedent(start, j)
        found, company = self._industry_or_brand(i, j, words)
        version = self._version(j, end)
        stop = j + (len(version.split()) if version else 0)
        called = self._is("called", stop, end)
        called = 0 if self._is("not_targets", stop + called, end) else called  # "a hospital called me": a verb
        if called:
            company, stop = self._name(stop + called)
        elif company is None and stop == j and (found or words[-1] in w.of("business_nouns").words):
            company, stop = self._named_after(stop)
            if company is not None and found is None:  # "our practice, Maple Row Surgery": the name tells
                found = self._industry_of(tuple(company.casefold().split()))
        return Target(
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

    def _role_alone(self, start: int, i: int, j: int) -> bool:
        """Whether the words [i, j) are a role alone after "the", no link after it ("the agent", "the front desk")."""
        roles = self.w.of("roles").match(self.t.low, i, j) == j - i
        return bool(self._is("definite_articles", start, self.n) and roles and not self._is("role_links", j, self.n))

    def _role_of_antecedent(self, start: int, j: int) -> Target | None:
        """The business a role alone over [start, j) serves: the industry or brand named before it ("next scenario is
        banking and you're the agent"); None when none was, or the words after it go on ("my bank sent me here and
        you're the agent now": no request)."""
        antecedent = self._antecedent(start)
        if antecedent is None or not (antecedent.brand or self._names_industry(antecedent)):
            return None  # not "my bank sent me here and you're the agent": the words after the business go on
        if self._is("possessives", antecedent.start, antecedent.end):
            return None
        return replace(antecedent, start=start, end=j, article=True)

    def _trimmed(self, i: int, j: int) -> int:
        """Where the words [i, j) end without the conjunctions and SEQUENCE_ADVERBS that close them ("let's do
        healthcare first", "a bank and"); one word at least stays unless it is a conjunction."""
        low, w = self.t.low, self.w
        conjunctions = w.of("conjunctions").words
        trailing = conjunctions | w.of("sequence_adverbs").words
        while j > i + 1 and low[j - 1] in trailing:
            j -= 1
        while j > i and low[j - 1] in conjunctions:
            j -= 1
        return j

    def _antecedent(self, i: int) -> Target | None:
        """The last business named in the :data:`MAX_ANTECEDENT` tokens before ``i``: an industry, a brand or a
        trade ("Cobalt Shield Insurance — be them", "our prospect is a mobile operator, so switch to that")."""
        latest: Target | None = None
        industry: Target | None = None  # the latest that names an industry wins over a later trade or name
        k = max(0, i - MAX_ANTECEDENT)
        while k < i:
            t = None
            if self.t.word[k] and self.t.low[k] not in self.w.of("not_targets").words:
                t = self.target(k, i)
            if t is None or t.end > i or not (t.mode_id or t.brand or self._business(t)) or self._ui(t):
                k += 1
                continue
            if self._later(t, latest):
                latest = t
            if t.mode_id and self._later(t, industry):
                industry = t
            k = t.end if t.brand else k + 1  # a brand is read whole: "Cobalt Shield Insurance", not "Shield ..."
        return industry or latest

    @staticmethod
    def _later(t: Target, before: Target | None) -> bool:
        """Whether ``t`` replaces ``before`` as the business named last: it comes after it, or inside it from an
        article or as a brand ("our prospect runs a cell network": "a cell network"; "meal kit company", not
        "company")."""
        if before is None or t.start >= before.end:
            return True
        # "you represent Fabrikam Health Insurance": the brand, not the words from "represent" on
        return (t.article or t.brand) and not before.article and not before.brand

    def _typed(self, i: int, j: int, name: str) -> str | None:
        """The words of ``name`` as typed among tokens [i, j) ("Geico" in "Geico real quick"), if there."""
        want = tuple(name.casefold().split())
        have = [w.removesuffix("'s") for w in self.t.low[i:j]]
        for k in range(len(have) - len(want) + 1):
            if tuple(have[k : k + len(want)]) == want:
                text = self.t.text[self.t.start[i + k] : self.t.end[i + k + len(want) - 1]]
                return " ".join(text.split()).removesuffix("'s")
        return None

    def _industry_or_brand(self, i: int, j: int, words: tuple[str, ...]) -> tuple[tuple[str, str] | None, str | None]:
        """(the industry the words [i, j) name, the company) : a synonym, else a known brand among them
        ("become geico real quick": insurance, "geico")."""
        found = self._industry_of(words)
        if found is None and (found := self.brand(words, capitalised=False)) is not None:
            return found, self._typed(i, j, found[1])
        return found, None

    def _through_role(self, start: int, i: int, j: int, *, article: bool, links: int) -> Target | None:
        """When the words [i, j) end in a role: the business it serves ("the receptionist for a clinic"), its
        owner ("Monzo's in-app helper") or its brand ("a Verizon rep"); None to read the words as they are."""
        low = self.t.low
        words = tuple(low[i:j])
        role = self._role_start(i, j)
        headed = role is None and self._is("role_heads", j - 1, j) and self._is("role_links", j, self.n)
        if headed:  # "a care coordinator at Kaiser Permanente": a role by its head, if a business follows
            role = j - 1
        marked = self._is("change_markers", j, self.n)  # "the front desk for a bit": no business after "for"
        link = self._is("role_links", j, self.n) if role is not None and links and not marked else 0
        # "Fairhaven Credit Union's assistant", "a Verizon rep", "a bank assistant": the modifiers name it
        role_at = j if role is None else role  # modifiers of the role: [i, role_at)
        owned = self._role_owner(start, i, role_at, article=article) if role is not None and role_at > i else None
        if link:  # "the (virtual) receptionist for a hospital": the business is the one after "for"
            inner = self.target(j + link, min(self.n, j + link + MAX_TARGET_WORDS + 2), links=links - 1)
            told: tuple[str | None, str] | None = (owned.mode_id, owned.label) if owned else None
            if told is None and role_at > i:
                told = self._industry_of(words[: role_at - i])
            if inner is not None and inner.brand and inner.mode_id is None and told and told[0]:
                return replace(inner, label=told[1], mode_id=told[0])  # "the banking assistant for Contoso"
            business = inner is not None and (inner.mode_id or inner.brand or self._business(inner))
            if inner is not None and (told is None or inner.mode_id or inner.brand) and (business or not headed):
                return inner  # not "a banking assistant for my presentation", nor "a desk clerk at night"
        if headed:
            return None
        if owned is not None:
            return owned
        return None

    def _role_start(self, i: int, j: int) -> int | None:
        """Where a role ("assistant", "front desk") that ends the words [i, j) starts, the earliest such; None when
        they end in no role."""
        roles, low = self.w.of("roles"), self.t.low
        start = next((k for k in range(i, j) if roles.match(low, k, j) == j - k), None)
        if start is not None or j - i < 2 or not self._is("role_heads", j - 1, j):
            return start
        # "a coffee shop's order assistant": the role is what follows the business in the possessive
        owner = next((k + 1 for k in range(j - 2, i - 1, -1) if low[k].endswith(("'s", "s'"))), None)
        return owner if owner is not None and owner < j else None

    def _role_owner(self, start: int, i: int, role: int, *, article: bool) -> Target | None:
        """The business a role's modifiers name, [i, role): its owner in the possessive ("Monzo's in-app helper",
        "Tamarack Community Hospital's patient helpline"), else the modifiers themselves when they name an
        industry or a brand ("a Verizon rep", "a bank assistant"); None when they name neither ("a virtual
        assistant"). A run of capitalised words there is the company."""
        low = self.t.low
        owner = next((k + 1 for k in range(i, role) if low[k].endswith("'s")), None)
        stop = owner if owner is not None else role
        words = tuple(w.removesuffix("'s") for w in low[i:stop])
        capitalised = all(self._capitalised(k) or low[k][:1].isdigit() for k in range(i, stop))
        found = self._industry_of(words) or self.brand(words, capitalised=capitalised)
        branded = capitalised and not all(self._known_word(w) for w in words)
        known = None if branded else self.brand(words, capitalised=False)  # "BT broadband customer service"
        if owner is None and not branded and known is None:
            return None  # "a virtual assistant", "a banking app": read as words; "a zoo's helpline" names a business
        company = self._typed(i, stop, known[1]) if known else None
        if branded:
            company = " ".join(self.t.text[self.t.start[i] : self.t.end[stop - 1]].split())
            company = company.removesuffix("'s").rstrip("'")  # "Fabrikam Motors' service department"
        label = found[1] if found else self._label(stop - 1 if branded else i, stop).removesuffix("'s")
        return Target(
            label=label,
            mode_id=found[0] if found else None,
            company=company,
            start=start,
            end=stop,
            article=article,
            brand=branded,
            version=None,
            appositive=False,
            words=words,
        )

    def _joined(self, words: tuple[str, ...], after: tuple[str, ...]) -> bool:
        """Whether words joined by "and" name one business ("savings and loan", "gas and electric utility")."""
        nouns = self.w.of("business_nouns").words | self.w.of("match_fillers").words
        return bool(self.industry(words) or self._industry_of(after) or words[-1] in nouns)

    def _brand_target(self, start: int, i: int, brand_end: int, end: int, *, article: bool, links: int) -> Target:
        """A brand ("Contoso Bank", "Fabrikam, the insurance company"): the company it names and its industry,
        from an appositive, else from its own words, else its last word ("Blue Yonder Airlines": airlines)."""
        words = tuple(self.t.low[i:brand_end])
        company = " ".join(self.t.text[self.t.start[i] : self.t.end[brand_end - 1]].split())
        appositive = self._appositive(brand_end, links)
        if appositive is not None:
            label, mode_id, stop = appositive
            version = None
        else:
            found = self._industry_of(words) or self.brand(words, capitalised=True)
            label = found[1] if found else self._label(brand_end - 1, brand_end)
            mode_id = found[0] if found else None
            stop = brand_end
            version = self._version(brand_end, end)
        return Target(
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

    def _leading_version(self, i: int, end: int) -> int:
        """How many words of a version noun start a target and are part of its name ("theme park", "demo
        kitchen"): a one-word version noun followed by a word that is no stop and no version noun; else 0."""
        n = self._is("version_nouns", i, end)
        k = i + n
        if n != 1 or k >= end or not self.t.word[k] or self._stop(k, end):
            return 0
        return n

    def _named_after(self, j: int) -> tuple[str | None, int]:
        """ "our clinic, Cedar Hollow Clinic": a brand of two or more capitalised words after a comma that ends
        its clause; (the name, where it ends), else (None, ``j``). One capitalised word may be whoever is
        addressed ("be a bank, Tom")."""
        if j + 1 >= self.n or self.t.low[j] != "," or not self._capitalised(j + 1):
            return None, j
        brand_end = self._brand_end(j + 1, self.n)
        closes = brand_end == self.n or not self.t.word[brand_end] or self._stop(brand_end, self.n)
        if brand_end - (j + 1) < 2 or not closes or all(map(self._known_word, self.t.low[j + 1 : brand_end])):
            return None, j
        return " ".join(self.t.text[self.t.start[j + 1] : self.t.end[brand_end - 1]].split()), brand_end

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

    def _appositive(self, j: int, links: int) -> tuple[str, str | None, int] | None:
        """ ", an airline" / ", the insurance company" / ", like a hotel" after a brand: (label, mode id, end),
        following at most ``links`` roles, the brand's budget."""
        comma = j < self.n and self.t.low[j] == ","
        k = j + 1 if comma else j  # "Shamrock Mutual the Irish insurer": no comma, but an industry must follow
        if k >= self.n:
            return None
        k += self._is("target_stops", k, self.n) if self._is("similes", k, self.n) else 0
        clause_end = min(self.n, k + MAX_TARGET_WORDS + 2)  # target() stops at the clause's punctuation anyway
        if not self._is("articles", k, clause_end):
            return None
        found = self.target(k, clause_end, brand_ok=False, links=links)
        if found is None or (not comma and found.mode_id is None):
            return None
        return found.label, found.mode_id, found.end

    def _industry_of(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        """(mode id, synonym as matched) of the industry the words name: the longest synonym ending them once
        fillers are dropped, tried on the whole and on each part between conjunctions ("cable and internet")."""
        trades = self.w.of("other_trades")
        bare = list(self._unfilled(words))
        if any(trades.match(bare, k, len(bare)) == len(bare) - k for k in range(len(bare))):
            return None  # "a vet clinic", "the animal hospital": another trade, not healthcare
        traded = [k + n for k in range(len(words)) if (n := trades.match(list(words), k, len(words)))]
        if traded:  # "a vet clinic receptionist": the words after the trade are its, not an industry's
            words = words[max(traded) :]
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
            for candidate in (self._unfilled(part), part):
                for k in range(len(candidate)):
                    found = self.industry(candidate[k:])
                    if found:
                        return found
        return self._industry_within(words)

    def _unfilled(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """``words`` without the fillers that end them ("an urgent care center" -> "urgent care"), one word at least."""
        fillers = self.w.of("match_fillers").words
        end = len(words)
        while end > 1 and words[end - 1] in fillers:
            end -= 1
        return words[:end]

    def _industry_ends(self, words: tuple[str, ...]) -> bool:
        """Whether an industry's synonym ends ``words`` once fillers are dropped ("an urgent care center")."""
        bare = self._unfilled(words)
        return any(self.industry(bare[k:]) is not None for k in range(len(bare)))

    def _names_industry(self, target: Target) -> bool:
        """Whether a target names a known industry in its last words ("an urgent care center"), not a thing of one
        ("a hospital visit", "a bank ad")."""
        return target.mode_id is not None and self._industry_ends(target.words)

    def _industry_within(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        """When no synonym ends the words: the one that ends latest inside them, more words after it ("a hospital
        patient line", "the life insurer my nan uses")."""
        modifiers = self.w.of("product_modifiers").words
        nouns = self.w.of("business_nouns").words | self.w.of("match_fillers").words
        for end in range(len(words) - 1, 0, -1):
            for k in range(end):
                found = self.industry(words[k:end])
                if found and end - k == 1 and words[k] in modifiers and words[end] not in nouns:
                    continue  # a modifier of another trade is no industry: "a mobile mechanic", not "a phone network"
                if found:
                    return found
        return None

    # --- requests -------------------------------------------------------------------------------------

    def _noun_like(self, target: Target, *, magic: bool) -> bool:
        """Whether a target of an identity or copula request names a business, not a quality ("be quick")."""
        w = self.w
        first = target.words[0]
        # "a real estate agency": "real" is no quality here (but "a good bot" is one: a role is no business)
        trade = len(target.words) > 1 and target.words[-1] in w.of("business_nouns").words
        if (first in w.of("ordinary_targets").words and not trade) or first in w.of("not_targets").words:
            return False
        if self._personal(target):
            return False
        if target.mode_id or target.brand or target.article or self._roled(target.words):
            return True
        return magic and not first.endswith(("ed", "ly"))

    def _roled(self, words: tuple[str, ...]) -> bool:
        """Whether the words are a business's role without an article ("hotel receptionist", "railway enquiry
        counter"): a ROLE after at least one word that is no ordinary one, not a role alone ("customer support")."""
        roles, ordinary = self.w.of("roles"), self.w.of("ordinary_targets").words | self.w.of("not_targets").words
        size = len(words)
        ends = any(roles.match(list(words), k, size) == size - k for k in range(1, size))
        alone = roles.match(list(words), 0, size) == size  # "customer support", "virtual assistant": a role alone
        return ends and not alone and words[0] not in ordinary

    def _business(self, target: Target) -> bool:
        """Whether a target's last word is a business noun ("a dog walking business", "a car dealership")."""
        nouns = self.w.of("business_nouns").words | self.w.of("match_fillers").words
        return target.words[-1] in nouns

    def _trade(self, target: Target) -> bool:
        """Whether a one-word target is a specific kind of business ("gym", "bakery"), not a general noun that only
        says it is one ("company", "place", "service": the MATCH_FILLERS)."""
        last = target.words[-1]
        return last in self.w.of("business_nouns").words and last not in self.w.of("match_fillers").words

    def _personal(self, target: Target) -> bool:
        """ "my financial advisor", "my friend": a person of the customer's, not a business (a known industry or
        a business noun is: "my mobile carrier", "my energy provider")."""
        if not self._is("possessives", target.start, target.start + 1) or target.mode_id or target.brand:
            return False
        nouns = self.w.of("business_nouns").words | self.w.of("match_fillers").words
        return target.words[-1] not in nouns

    def _ui(self, target: Target) -> bool:
        return bool(self.w.of("ui_modes").match(list(target.words), 0, len(target.words)) == len(target.words))


__all__ = ["BrandMatcher", "IndustryMatcher", "Target", "TargetReader"]
