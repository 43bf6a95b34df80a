"""Mode-switch requests typed into the chat, detected offline."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scaling import LINEAR_LIMIT, fill, growth

from persona_kit import ModeCatalogue, Session, get_mode
from persona_kit.ai import SimulatorResponder
from persona_kit.protocol import chat_message, parse_outbound, switch_mode_message
from persona_kit.session import MAX_SWITCHED_MODES
from persona_kit.triggers import (
    DEFAULT_TRIGGERS,
    MAX_COMPANY_CHARS,
    MAX_INDUSTRY_CHARS,
    ModeRequest,
    TriggerConfig,
    custom_mode,
    detect_mode_request,
    resolve_mode_request,
    with_company,
)

CATALOGUE = ModeCatalogue()


@pytest.mark.parametrize(
    ("text", "industry", "mode_id"),
    [
        ("Presto-Change-O, you're a bank", "bank", "banking"),
        ("presto change-o! You\u2019re a banking app", "banking app", "banking"),
        ("PRESTO-CHANGE-O you are a credit union", "credit union", "banking"),
        ("Presto-Change-O, you're an insurer", "insurer", "insurance"),
        ("Presto-Change-O, become an insurance company", "insurance", "insurance"),
        ("Presto-Change-O, you're now the claims department", "claims department", "insurance"),
        ("Presto-Change-O, you're a clinic", "clinic", "healthcare"),
        ("Presto-Change-O: you're a hospital.", "hospital", "healthcare"),
        ("Presto-Change-O, act as a doctor's office", "doctor's office", "healthcare"),
        ("Presto-Change-O, you're a health insurance company", "health insurance", "insurance"),
        ("Presto-Change-O, switch to healthcare", "healthcare", "healthcare"),
        ("Presto chango, you're a bank now please", "bank", "banking"),
        ("act like my bank please", "bank", "banking"),  # no magic phrase: "act like" asks
        ("make the dashboard a bank", "bank", "banking"),
        ("can you act like a doctor's office", "doctor's office", "healthcare"),
    ],
)
def test_industry_synonyms_map_to_modes(text: str, industry: str, mode_id: str) -> None:
    assert detect_mode_request(text) == ModeRequest(industry, mode_id)
    assert resolve_mode_request(ModeRequest(industry, mode_id), CATALOGUE) == get_mode(mode_id)


@pytest.mark.parametrize(
    "text",
    [
        "you're a bank",  # no trigger phrase: an ordinary message
        "What is my balance?",
        "Presto-Change-O",  # a trigger but no industry
        "Presto-Change-O!!!",
        "",
        "act like a grown up",  # an idiom, not a business
        "be a grown-up about it",
        "don't act like a hospital",
    ],
)
def test_ordinary_messages_are_not_requests(text: str) -> None:
    assert detect_mode_request(text) is None


def test_trigger_without_a_request_phrase_still_finds_an_industry() -> None:
    assert detect_mode_request("PRESTO-CHANGE-O: insurance!") == ModeRequest("insurance", "insurance")
    assert detect_mode_request("Presto-Change-O ... hospital time") == ModeRequest("hospital", "healthcare")


def test_company_name_overrides_the_mode_company() -> None:
    request = detect_mode_request("Presto-Change-O, you're a bank called Harbor Federal.")
    assert request == ModeRequest("bank", "banking", "Harbor Federal")
    mode = resolve_mode_request(request, CATALOGUE)
    assert mode.id == "banking"
    assert mode.company_name == "Harbor Federal"
    assert "Harbor Federal" in mode.system_prompt
    assert "Summit National Bank" not in mode.system_prompt
    assert mode.theme == get_mode("banking").theme
    assert CATALOGUE.get("banking").company_name == "Summit National Bank"  # the catalogue is untouched


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Presto-Change-O, you're a clinic named 'Blue Ridge Health'", "Blue Ridge Health"),
        ('Presto-Change-O, you are an insurer called "Acme Mutual"!', "Acme Mutual"),
        ("Presto-Change-O, you're a bank called Harbor Federal, and hurry", "Harbor Federal"),
        ("Presto-Change-O, you're a bank called " + "X" * 200, "X" * 60),
    ],
)
def test_company_names_are_cleaned(text: str, company: str) -> None:
    request = detect_mode_request(text)
    assert request is not None
    assert request.company_name == company


def test_unknown_industry_becomes_a_custom_mode() -> None:
    request = detect_mode_request("Presto-Change-O, you're an airline called Skyway Air")
    assert request == ModeRequest("airline", None, "Skyway Air")
    mode = resolve_mode_request(request, CATALOGUE)
    assert (mode.id, mode.name, mode.company_name, mode.persona_kind) == (
        "custom-airline",
        "Airline",
        "Skyway Air",
        "generic",
    )
    assert "Skyway Air" in mode.system_prompt
    plain = resolve_mode_request(detect_mode_request("Presto-Change-O, you're a pet grooming business"), CATALOGUE)
    assert (plain.id, plain.name, plain.company_name) == ("custom-pet-grooming", "Pet Grooming", "Pet Grooming Co.")


def test_custom_modes_already_in_the_catalogue_are_reused() -> None:
    airline = custom_mode("airline", "Skyway Air")
    catalogue = CATALOGUE.with_modes(airline)
    mode = resolve_mode_request(ModeRequest("airline", None), catalogue)
    assert mode == airline
    renamed = resolve_mode_request(ModeRequest("airline", None, "Jetset"), catalogue)
    assert (renamed.id, renamed.company_name) == ("custom-airline", "Jetset")


def test_custom_mode_ids_are_valid_and_distinct() -> None:
    ids = {custom_mode(name).id for name in ("ラーメン屋", "café", "cafe", "Cafe!", "x" * 100)}
    assert len(ids) == 4  # "cafe" and "Cafe!" are the same industry
    for mode_id in ids:
        assert mode_id.startswith("custom-")
        assert len(mode_id) <= 64
    with pytest.raises(ValueError, match="industry must name something"):
        custom_mode("   ")


def test_trigger_phrases_and_industries_are_configurable() -> None:
    config = DEFAULT_TRIGGERS.with_phrases("abracadabra").with_industry("airline", "airline", "carrier")
    assert detect_mode_request("Presto-Change-O, you're a bank", config) is None
    assert detect_mode_request("Abracadabra! you're a bank", config) == ModeRequest("bank", "banking")
    assert detect_mode_request("Abracadabra, you're a regional carrier", config) == ModeRequest(
        "regional carrier", "airline"
    )
    anything = TriggerConfig(phrases=())
    assert detect_mode_request("you're a bank", anything) == ModeRequest("bank", "banking")
    assert detect_mode_request("banking question", anything) is None


def test_bad_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="has no letters or digits"):
        TriggerConfig(phrases=("!!!",))
    with pytest.raises(ValueError, match="needs at least one non-empty synonym"):
        TriggerConfig(industries=(("banking", ()),))


def test_with_company_keeps_everything_else() -> None:
    mode = with_company(get_mode("insurance"), "Acme Mutual")
    assert mode.model_dump(exclude={"company_name", "system_prompt"}) == get_mode("insurance").model_dump(
        exclude={"company_name", "system_prompt"}
    )


@given(st.text(max_size=200))
def test_detection_never_raises(text: str) -> None:
    request = detect_mode_request(text)
    if request is not None:
        mode = resolve_mode_request(request, CATALOGUE)
        assert mode.id


@given(st.text(max_size=60))
def test_any_request_after_the_trigger_resolves_to_a_valid_mode(tail: str) -> None:
    request = detect_mode_request("Presto-Change-O, you're a " + tail)
    if request is not None:
        resolve_mode_request(request, CATALOGUE)  # a Mode validates its id, name and company


@pytest.mark.parametrize(
    "text",
    [
        "Presto-Change-O, you're not a bank",
        "Presto-Change-O, you are no longer a bank",
        "Presto-Change-O, you're never a bank",
        "Presto-Change-O, you aren't a bank",
        "Presto-Change-O, you aren\u2019t a bank any more",
        "Presto-Change-O, it isn't insurance",
        "Presto-Change-O, don't become a clinic",
        "Presto-Change-O, never switch to healthcare",
        "PRESTO-CHANGE-O: not insurance!",
    ],
)
def test_a_negated_industry_does_not_switch(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "What does presto-change-o mean? Are you a bank?",
        "Presto-Change-O, you're a bank?",
        "Presto-Change-O, are you a bank",
        "Presto-Change-O, is it insurance",
        "Presto-Change-O... is this a hospital?!",
        "Presto-Change-O, you're a bank called Harbor Federal?",
    ],
)
def test_a_question_about_an_industry_does_not_switch(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Presto-Change-O, you're a bank, not a clinic", ModeRequest("bank", "banking")),
        ("Presto-Change-O, you're not a bank, you're a clinic", ModeRequest("clinic", "healthcare")),
        ("I'm not sure, but Presto-Change-O, you're a bank", ModeRequest("bank", "banking")),
        ("I am not kidding: presto-change-o you're an insurer", ModeRequest("insurer", "insurance")),
        ("Presto-Change-O! You're a bank. Are you ready?", ModeRequest("bank", "banking")),
        ("Presto-Change-O, could you be a bank?", ModeRequest("bank", "banking")),
        (
            "Presto-Change-O, can you please become an insurer called Acme Mutual?",
            ModeRequest("insurer", "insurance", "Acme Mutual"),
        ),
    ],
)
def test_negations_and_questions_elsewhere_do_not_block_a_request(text: str, expected: ModeRequest) -> None:
    assert detect_mode_request(text) == expected


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Presto-Change-O, you're a clinic called Dr. Smith's Clinic", "Dr. Smith's Clinic"),
        ("Presto-Change-O, you're a clinic called Dr. Smith's Clinic. Thanks!", "Dr. Smith's Clinic"),
        ("Presto-Change-O, you're a hospital named St. Mary's. Go!", "St. Mary's"),
        ("Presto-Change-O, you're a bank called Mr. and Mrs. Jones Savings", "Mr. and Mrs. Jones Savings"),
        ("Presto-Change-O, you're a clinic named Ms. Lee Care", "Ms. Lee Care"),
        ("Presto-Change-O, you're a bank called Acme Co. Please hurry.", "Acme Co."),
        ("Presto-Change-O, you're an insurer called Acme Mutual Co. Ltd. Thanks", "Acme Mutual Co. Ltd."),
        ("Presto-Change-O, you're a bank called Harbor Federal Inc.", "Harbor Federal Inc."),
        ("Presto-Change-O, you're a bank called Harbor Federal. It's a test.", "Harbor Federal"),
        ("Presto-Change-O, you're a clinic called Dr. " + "X" * 200, "Dr. " + "X" * 56),
    ],
)
def test_company_names_keep_abbreviations_and_stop_at_the_sentence_end(text: str, company: str) -> None:
    request = detect_mode_request(text)
    assert request is not None
    assert request.company_name == company


# --- hostile input: time linear in the message's size -----------------------------------------------------------

HOSTILE_MESSAGES = {
    "trigger repeated": lambda n: fill("Presto-Change-O, you're a bank? ", n),
    "words without punctuation": lambda n: "Presto-Change-O, you're a " + fill("word ", n),
    "many requests": lambda n: "Presto-Change-O " + fill("you're a, ", n),
    "many negated requests": lambda n: "Presto-Change-O, " + fill("you're not a bank ", n),
    "industries asked about": lambda n: "Presto-Change-O " + fill("bank ", n) + "?",
    "industries negated": lambda n: "Presto-Change-O, not " + fill("bank ", n),
    "white space in a request": lambda n: "Presto-Change-O you" + " " * n,
    "white space before a clause": lambda n: "Presto-Change-O," + " " * (n // 2) + fill("bank ", n // 2) + "?",
    "abbreviations in a company": lambda n: "Presto-Change-O, you're a bank called " + fill("Co. ", n),
    "roles linked to roles": lambda n: "be " + fill("the assistant for ", n),
    "possessive roles": lambda n: "become " + fill("Monzo's in-app helper for ", n),
    "pronoun requests": lambda n: "Cobalt Shield Insurance " + fill("be them, ", n),
    "brands and pronouns": lambda n: fill("Nimbus Fiber, a chain of clinics, switch to that. ", n),
    "emoji between words": lambda n: fill("banking \U0001f3e6 switch ", n),
    "appositive roles": lambda n: fill("Tom, the agent for ", n),
    "brands before roles": lambda n: fill("Aa the chatbot for ", n),
    "scripted roles": lambda n: fill("I'm the chatbot for ", n),
    "directed roles": lambda n: fill("Stage direction: the bot now plays ", n),
    "industry addresses": lambda n: fill("as a bank, answer. ", n),
    "retractions": lambda n: fill("no, scratch that - ", n),
    "hesitations": lambda n: fill("let's try... ", n),
    "announcements": lambda n: fill("Next up is banking, ", n),
    "names with markers": lambda n: fill("insurance now, ", n),
    "framed scripted lines": lambda n: fill("x, I'm the chatbot for Contoso Bank, ", n),
}


CHAINS = ["Tom, the agent for ", "Aa the chatbot for ", "I'm the chatbot for ", "Stage direction: the bot now plays "]


@pytest.mark.parametrize(
    "text",
    ["Tom, the agent for " * 16, "Aa the chatbot for " * 20, "I'm the chatbot for " * 22]
    + [fill(unit, 64 * 1024) for unit in [*CHAINS, "as a bank, answer. ", "no, scratch that - ", "let's try... "]],
)
def test_chains_of_roles_are_read_quickly_and_without_deep_recursion(text: str) -> None:
    detect_mode_request("warm up")
    start = time.perf_counter()
    detect_mode_request(text)  # each role's business used to be read afresh: seconds for 300 characters
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("make", HOSTILE_MESSAGES.values(), ids=HOSTILE_MESSAGES.keys())
def test_detection_time_is_linear_in_the_message_size(make: Callable[[int], str]) -> None:
    assert growth(detect_mode_request, make, 8 * 1024, 64 * 1024) < LINEAR_LIMIT


# --- hostile input: chat-created industries stay bounded --------------------------------------------------------


def test_long_names_are_cut_and_cut_ids_stay_distinct() -> None:
    assert custom_mode("x" * 49).id != custom_mode("x" * 50).id  # both slugs are cut to 48 characters
    assert custom_mode("x" * 48).id == "custom-" + "x" * 48  # an id that fits is kept as it was
    mode = custom_mode("y" * 100_000, "C" * 100_000)
    assert (len(mode.name), len(mode.company_name), len(mode.id)) == (MAX_INDUSTRY_CHARS, MAX_COMPANY_CHARS, 64)
    request = detect_mode_request("Presto-Change-O, you're a " + "z" * 65_000)
    assert request is not None
    assert request.industry == "z" * MAX_INDUSTRY_CHARS
    assert len(with_company(get_mode("banking"), "D" * 1000).company_name) == MAX_COMPANY_CHARS


def test_a_session_keeps_its_newest_chat_created_modes() -> None:
    session = Session("ws-hostile", responder=SimulatorResponder())
    builtins = len(ModeCatalogue())
    first = next(session.handle(chat_message("Presto-Change-O, you're industry number 0")))
    assert first.type == "mode_switch"
    for i in range(1, MAX_SWITCHED_MODES + 8):
        switched, *_greeting = session.handle(chat_message(f"Presto-Change-O, you're industry number {i}"))
        assert switched.type == "mode_switch"
    assert len(session.modes) == builtins + MAX_SWITCHED_MODES
    assert session.mode.id == f"custom-industry-number-{MAX_SWITCHED_MODES + 7}"
    (refused,) = session.handle(switch_mode_message("custom-industry-number-0"))
    assert (refused.type, refused.payload.code) == ("error", "unknown_mode")  # the oldest went first
    again, *_greeting = session.handle(chat_message("Presto-Change-O, you're industry number 0"))
    assert again == first  # typed again, it comes back with the same persona


def test_with_modes_is_linear_in_the_catalogue_size() -> None:
    modes = [custom_mode(f"industry {i}") for i in range(8_000)]
    extra = custom_mode("one more")
    catalogues = {n: ModeCatalogue(modes[:n]) for n in (1_000, 8_000)}
    assert growth(lambda text: catalogues[len(text)].with_modes(extra), lambda n: "x" * n, 1_000, 8_000) < LINEAR_LIMIT


def test_html_in_a_company_name_is_kept_on_the_wire_and_escaped_by_the_widgets() -> None:
    pytest.importorskip("ipywidgets", reason="the notebook extra is not installed: pip install 'persona-kit[notebook]'")
    from persona_kit.widgets import ChatSimulator, ModeSwitchSimulator, PersonaExplorer
    from persona_kit.widgets.render import persona_card_html

    html = '<img src=x onerror="alert(1)">'
    chat = ChatSimulator(session_id="ws-html", responder=SimulatorResponder())
    (message,) = chat.send(f"Presto-Change-O, you're an airline called {html} Air")
    assert message.type == "mode_switch"
    assert message.payload.mode.company_name == f"{html} Air"  # JSON carries the text as typed
    assert parse_outbound(message.model_dump_json()) == message
    mode = chat.mode
    rendered = [
        chat.snapshot().html,
        persona_card_html(chat.session.persona, mode),
        ModeSwitchSimulator(modes=chat.session.modes, mode=mode).snapshot().html,
        PersonaExplorer(modes=chat.session.modes, mode=mode).snapshot().html,
    ]
    for page in rendered:
        assert "<img" not in page
    assert all("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Air" in page for page in rendered)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [("go telecom", "telecom"), ("let's do banking", "banking"), ("load insurance", "insurance")],
)
def test_a_bare_lead_and_an_industry_name_is_a_request(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize("text", ["i want insurance", "go to the bank", "do banks open on sunday", "go telecom stocks"])
def test_a_bare_lead_needs_the_industry_to_be_the_whole_clause(text: str) -> None:
    assert detect_mode_request(text) is None


def test_a_brand_keeps_its_name_before_an_appositive_without_a_comma() -> None:
    request = detect_mode_request("presto changeo Shamrock Mutual the Irish insurer")
    assert request is not None and request.mode_id == "insurance" and request.company_name == "Shamrock Mutual"


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("now you're a hospital patient line", "healthcare"),
        ("now you're Bluebell Assurance, the life insurer my nan uses", "insurance"),
        ("take on the role of my mobile phone provider", "telecom"),
    ],
)
def test_an_industry_at_the_start_of_a_longer_business_name_is_found(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("I'd like you to behave as a building society from now", "banking"),
        ("from this message on you are a phone network", "telecom"),
    ],
)
def test_behave_as_and_from_this_message_on(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("could you serve as a building society today", "banking"),  # ROLE_VERB + ROLE_PREP
        ("respond like a hospital would", "healthcare"),
        ("slip into the shoes of a mobile network", "telecom"),  # ROLE_FRAME + ROLE_NOUN
        ("adopt the persona of a car insurer please", "insurance"),
        ("play a credit union for this demo", "banking"),  # a weak lead before a named industry
        ("wear your insurance hat", "insurance"),  # a weak version noun after a named industry
    ],
)
def test_role_leads_are_composed_from_verbs_and_frames(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize(
    "text",
    ["play a song for me", "imitate a cat", "put on your thinking hat", "I work as a nurse", "play me some jazz"],
)
def test_weak_leads_need_an_industry_a_brand_or_a_business(text: str) -> None:
    assert detect_mode_request(text) is None


def test_a_weak_lead_takes_a_business_noun_or_a_brand() -> None:
    custom = detect_mode_request("impersonate a kayak rental business")
    assert custom is not None and custom.mode_id is None and custom.industry == "kayak rental"
    branded = detect_mode_request("impersonate Fourth Street Savings Bank")
    assert branded is not None and branded.mode_id == "banking" and branded.company_name == "Fourth Street Savings Bank"


def test_a_brand_after_a_comma_names_the_business_before_it() -> None:
    request = detect_mode_request("can you be the helpdesk for our practice, Maple Row Surgery")
    assert request is not None and request.mode_id is not None and request.company_name == "Maple Row Surgery"
    vocative = detect_mode_request("be a bank, Sam")  # one capitalised word may be whoever is addressed
    assert vocative is not None and vocative.company_name is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quit being a bank and become a phone company", "telecom"),  # the negation is the first part's
        ("don't be an insurer, be a clinic", "healthcare"),
        ("Presto! Change-o! Mobile network!", "telecom"),  # "!" inside the magic phrase
        ("presto: um... ok! a credit union", "banking"),  # a clause of interjections keeps the room it found
        ("be a theme restaurant", None),  # "theme" before another word is part of the name: a custom mode
        ("switch to a dog grooming salon", None),  # switch to + a business noun
        ("don't be a bank and don't be a clinic", "none"),
        ("switch to a hotel", None),  # "switch to" + a specific kind of business, alone
        ("switch to a place near the airport", "none"),  # a general noun is no business
        ("I had to switch to a hotel near the airport", "none"),  # a story: no lead at the clause's start
    ],
)
def test_negation_scope_magic_punctuation_and_names(text: str, expected: str | None) -> None:
    request = detect_mode_request(text)
    if expected == "none":
        assert request is None
    else:
        assert request is not None and request.mode_id == expected


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("prestoo change-o health plan", "healthcare"),  # an elongated word of the magic phrase
        ("presto change-ooo home insurance people", "insurance"),
        ("presto changeo-o, toggle to insurance", "insurance"),  # and "toggle" is a switch verb
        ("presto (change-o) a bank", "banking"),  # parentheses inside the phrase
        ("Prestooo! a clinic", "healthcare"),
    ],
)
def test_the_magic_phrase_may_be_elongated_or_bracketed(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


def test_an_elongated_custom_phrase_still_needs_its_letters() -> None:
    config = TriggerConfig().with_phrases("abba dabba")
    # After the magic phrase a bare business is a request; without it, no request.
    assert detect_mode_request("abbba dabbba, a bakery", config) == ModeRequest("bakery", None)
    assert detect_mode_request("aba daba, a bakery", config) == ModeRequest("bakery", None)  # a run counts once
    assert detect_mode_request("abra dabra, a bakery", config) is None  # a different word is not the phrase


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("for the next bit you're an insurance company, ok?", "insurance"),  # a tag "?" does not ask
        ("be a bank now, please?", "banking"),
        ("henceforth thou art a bank, good sir", "banking"),
        ("for this next part you're a mobile carrier", "telecom"),
        ("I'd prefer if you were a building society for this chat", "banking"),
        ("let's try you as a hospital", "healthcare"),
        ("you can be hospital now please?", "healthcare"),  # "you can" asks as "can you" does
        ("put your banking hat on, I need to ask about my money", "banking"),
        ("put the telecom hat on", "telecom"),
        ("swap over to being a tattoo studio", None),
        ("presto change-o... landline company", "telecom"),
    ],
)
def test_more_ways_to_ask_for_a_mode(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "you're a bank now, right?",  # a confirming question still asks
        "ok?",
        "are you a bank now, ok?",
        "put the kettle on",
        "put my card on hold please",
        "put your thinking cap on",
        "toggle to dark mode",
        "shift to a cheaper plan",
        "you can be honest with me",
        "I'd prefer if you were quicker",
    ],
)
def test_tags_and_new_leads_leave_ordinary_messages_alone(text: str) -> None:
    assert detect_mode_request(text) is None


def test_a_name_in_the_next_clause_is_the_company_only_if_it_says_what_it_is() -> None:
    named = detect_mode_request("you're a hospital now, Lagoon View Hospital")
    assert named == ModeRequest("hospital", "healthcare", "Lagoon View Hospital")
    assert detect_mode_request("be a bakery now, Crumbs Bakery") == ModeRequest("bakery", None, "Crumbs Bakery")
    for addressed in ("be a bank now, Bob", "be a bank now, Thanks", "be a bank now, Northwind Insurance"):
        assert detect_mode_request(addressed) == ModeRequest("bank", "banking"), addressed
    assert detect_mode_request("be a bank now. Contoso Bank") == ModeRequest("bank", "banking")  # a new sentence


def test_a_modifier_of_another_trade_is_no_industry() -> None:
    assert detect_mode_request("be a mobile mechanic business now") == ModeRequest("mobile mechanic", None)
    assert detect_mode_request("be a mobile phone shop now") == ModeRequest("mobile phone shop", "telecom")
    assert detect_mode_request("you are a phone network now") == ModeRequest("phone network", "telecom")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Presto change-o: the thing i want is a hospital", "healthcare"),  # the grammar reads no lead here
        ("presto change-o.. hmm.. ok my favourite, the telco", "telecom"),
        ("do NOT presto change-o, i still need the bank", None),  # negated before the phrase
        ("presto change-o, the bank one... never mind", None),  # taken back
        ("presto change-o, is it a bank?", None),  # asked
        ("my band's called Presto Change and we're playing the Red Lion on friday", None),  # not said to me
    ],
)
def test_after_the_whole_magic_phrase_an_industry_named_soon_is_the_request(text: str, expected: str | None) -> None:
    request = detect_mode_request(text)
    assert (request.mode_id if request else None) == expected, request


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("insurence mode plz", "insurance"),  # one typo in a long synonym word that is no everyday word
        ("telecomm mode", "telecom"),  # one edit from telecom and from telecoms: one industry either way
        ("swtich to bankng mode pls", "banking"),
        ("helthcare mode", "healthcare"),
    ],
)
def test_an_industry_name_with_one_typo_is_read(text: str, mode_id: str) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


def test_an_everyday_word_is_no_typo_of_an_industry() -> None:
    assert detect_mode_request("be insured now") is None  # "insured" is a word, not a typo of "insurer"


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("healthcare", "healthcare"),  # a mode's own name alone asks for it
        ("INSURANCE. NOW.", "insurance"),
        ("ok telecom please", "telecom"),
        ("📱📶 telecom time", "telecom"),  # an industry's name and a weak version noun
        ("I need you as a bank assistant now", "banking"),
        ("Set yourself up as First Meridian Bank for me, thanks", "banking"),
        ("folks, watch it turn into an insurer", "insurance"),
        ("ladies and gentlemen, our assistant is now going to be a phone company", "telecom"),
        ("become a satellite TV provider", "telecom"),
        ("Please become the virtual agent for Harbor Telecom; their CTO is on the call.", "telecom"),
        ("switch it up to a real estate agency", None),  # "real" names no quality before a trade
    ],
)
def test_names_alone_weak_versions_and_more_leads(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id, request


@pytest.mark.parametrize(
    "text",
    ["insurance?", "my insurance", "banking app", "bed time", "lunch time!", "switch to a real person", "bank"],
)
def test_a_name_alone_must_be_a_modes_own_name_and_not_asked(text: str) -> None:
    assert detect_mode_request(text) is None


def _switched_to(text: str) -> tuple[str | None, str | None]:
    """(mode id, company) of the request ``text`` makes; fails when it makes none."""
    request = detect_mode_request(text)
    assert request is not None, text
    return request.mode_id, request.company_name


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("become Monzo's in-app helper", "banking", "Monzo"),
        (
            "could you become Fairhaven Credit Union's assistant for the rest of the demo?",
            "banking",
            "Fairhaven Credit Union",
        ),
        ("do the voice of Tamarack Community Hospital's patient helpline", "healthcare", "Tamarack Community Hospital"),
        ("Talk like a Verizon rep", "telecom", "Verizon"),
        ("I'd like you to be the virtual receptionist for a pediatric clinic, please.", "healthcare", None),
        ("be the chatbot of a chain of walk-in clinics", "healthcare", None),
        ("be the banking assistant for Contoso", "banking", "Contoso"),
        ("kindly change yourself into a banking assistant for my presentation", "banking", None),
        ("be a zoo's membership helpline for me", None, None),
    ],
)
def test_a_role_names_its_business_by_its_owner_its_link_or_its_words(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("be Nimbus Fiber", "telecom", "Nimbus Fiber"),
        ("presto change-o, you are Fabrikam Mutual", "insurance", "Fabrikam Mutual"),
        ("Presto change-o to Bluebird Life & Annuity", "insurance", "Bluebird Life & Annuity"),
        ("Presto-Change-O: Northwind Family Medicine", "healthcare", "Northwind Family Medicine"),
        ("From now on you represent Blue Ridge Savings.", "banking", "Blue Ridge Savings"),
        ("pretend you're Allstate for a minute", "insurance", "Allstate"),
        ("Can you become Geico real quick", "insurance", "Geico"),
        ("you're BT now", "telecom", "BT"),
        ("become geico", "insurance", "geico"),  # a known brand that is no everyday word, in lower case too
    ],
)
def test_a_company_name_tells_its_industry(text: str, mode_id: str, company: str) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    "text",
    [
        "be orange",  # a known brand that is an everyday word counts only capitalised in a name
        "be progressive about it",
        "switch to fiber",  # a brand word alone names nothing
        "I went to Chase today",
        "you work for a bank",  # a statement, not asked as a change
        "I hate my bank. don't be one",
        "my bank is rubbish, could you ever be one?",
        "I love dark mode, switch to that",
        "be one of a kind",
    ],
)
def test_brands_and_pronouns_leave_mentions_alone(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("Cobalt Shield Insurance — be them please", "insurance", "Cobalt Shield Insurance"),
        ("Our prospect is a mobile operator, so switch to that.", "telecom", None),
        ("We demo to a hospital network on Friday. Become one so I can rehearse.", "healthcare", None),
        ("Saguaro Wireless, the cell carrier, speak as them", "telecom", "Saguaro Wireless"),
        ("meal kit subscription company, be that", None, None),
    ],
)
def test_a_pronoun_request_names_the_business_just_before_it(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)
    if mode_id is None:
        assert detect_mode_request(text) == ModeRequest("meal kit subscription", None, None)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("For this next part, you're the front desk at a dental practice.", "healthcare"),
        ("For the next customer, you work at a car dealership.", None),
        ("ok change of plan, you're a mobile virtual network operator", "telecom"),
        ("You work for Cedar Valley Medical Center from now on.", "healthcare"),
        ("go full hospital", "healthcare"),
        ("PRESTO CHANGEO → dermatology practice", "healthcare"),
        ("Please switch your persona to a commercial insurance carrier.", "insurance"),
    ],
)
def test_a_change_marker_may_stand_in_the_clause_before(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert request is not None and request.mode_id == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "hypothetically, could you become a gym's chatbot?",  # hypothetical anywhere in the sentence
        "Just curious, can you turn into a dentist's receptionist, in theory?",
        "If I said Presto-Change-O, would you turn into a hospital?",
        "My boss told me to say presto chango and make you a clinic, but I'm not going to",
        "I hate my bank. switch please",  # a bare "switch" after a business of the customer's
        "is it banking? switch",
        "shift it to the following Monday pls",  # a day is no business
    ],
)
def test_hypotheticals_refusals_and_dates_do_not_switch(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("Next: telecom. Switch, please.", "telecom", None),
        ("next up: healthcare. assistant, switch please", "healthcare", None),
        ("be Orbit Fiber support now", "telecom", "Orbit Fiber"),
        ("become Fabrikam Motors' service department", None, "Fabrikam Motors"),
        ("Let's have you play Tailwind Insurance's claims desk.", "insurance", "Tailwind Insurance"),
        ("Sir please act as insurance customer care", "insurance", None),
        ("become a vet clinic", None, None),  # another trade named like healthcare
        ("Mate, be an NBN provider for a sec", "telecom", None),
        ("you're now the help line for Maple Grove Family Practice", "healthcare", "Maple Grove Family Practice"),
    ],
)
def test_a_bare_switch_after_a_mode_name_roles_after_brands_and_other_trades(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("time for banking \U0001f3e6 switch pls", "banking"),  # an emoji ends a clause as a comma would
        ("telecom demo time \U0001f4f1 go", "telecom"),
        ("be a bank \U0001f602 jk", None),  # and a retraction after one still takes the request back
    ],
)
def test_an_emoji_ends_a_clause(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert (request.mode_id if request else None) == mode_id


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("how about an urgent care center next?", "healthcare", None),  # a suggestion may be asked
        ("what about a hotel? give that a go", None, None),
        ("let's do a bakery", None, None),
        ("let's do banking", "banking", None),
        ("maybe try being a telco?", "telecom", None),
        ("what about telecom next?", "telecom", None),  # no article: an industry with a change marker
        ("switch to a gym", None, None),  # one word that is a kind of business
        ("Become a real estate agency.", None, None),  # "real" starts a trade's name, it is no quality here
        ("role play: you're the front desk at a yoga studio", None, None),  # a lead alone sets the scene
        ("i need u to be a motor insurer for this demo ok", "insurance", None),
        ("broadband provider, go", "telecom", None),
        ("\U0001f355 pizza shop time \U0001f355", None, None),
        ("Magpie Mobile. Presto change-o. Go.", "telecom", "Magpie Mobile"),  # the business said first
    ],
)
def test_suggestions_go_and_a_business_named_before_the_magic(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    "text",
    [
        "how about a loan?",  # a product, not a business
        "what about my bank?",  # the customer's own
        "how about the bank fees",
        "maybe a hospital visit",  # an industry inside, not ending the words
        "maybe a bank would help",  # the business is what the clause is about
        "try a new phone",
        "how about insurance?",  # an industry's name alone, asked
        "lunch, go",
        "my bank sucks. presto change-o",  # the customer's own business before the magic phrase
        "I love my bank. presto change-o",
        "be a good bot and summarise that for me",  # a role is no trade
        'She told me "you\'re a hospital now" is how she opens her demos',  # reported speech
        'My manager keeps saying "let\'s do insurance next quarter" and nothing ever happens',
        "\u201cbe a bank\u201d she said",
    ],
)
def test_suggestions_and_go_need_a_business_and_quotes_are_reported(text: str) -> None:
    assert detect_mode_request(text) is None, text


def test_a_quoted_request_alone_still_asks() -> None:
    assert _switched_to('"be a bank"') == ("banking", None)
    assert _switched_to('ok "switch to insurance" please') == ("insurance", None)  # only fillers around it
    assert _switched_to('be a bank called "Acme Savings"') == ("banking", "Acme Savings")


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("presto change-o-rama: building society please", "banking"),  # a playful ending on the last word
        ("PRESTO changearoo!! private bank", "banking"),
        ("presto!! change!! wedding venue", None),  # any run of separators between the words
        ("presto/change-o, paediatrician's office", "healthcare"),
        ("presot change-o: neobank", "banking"),  # one typo in the first word too
        ("prestochange-o, roll over to healthcare", "healthcare"),
        ("swap personas: you're a 5G provider", "telecom"),  # a placeholder alone sets the scene
    ],
)
def test_playful_spellings_of_the_magic_phrase(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text", ["presto changed my life, be honest", "presto presto", "roll over to the savings account"]
)
def test_magic_spellings_stay_bounded(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("what if you were a hospital for a sec", "healthcare"),  # tried out: a change marker after it
        ("what if you were a ski resort? let's try that", None),  # or a go phrase next
        ("okay everyone, now it's going to be a medical practice", "healthcare"),  # the assistant as "it"
        ("it becomes a bank now", "banking"),
        ("Be an insurer. No wait, sorry, a bank.", "banking"),  # one correction after another
        ("channel a bowling alley", None),
    ],
)
def test_tried_out_third_person_and_chained_corrections(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "what if you were a bank, would you charge fees?",  # a question about a hypothetical
        "what if you were a bank?",
        "now it's going to be a long day",  # "it" and no business
        "now it's going to be a bank holiday",
        "it's going to be a bank",  # no change marker
        "be a bank. no wait, sorry. what's my balance",
    ],
)
def test_hypotheticals_and_it_copulas_need_more(text: str) -> None:
    assert detect_mode_request(text) is None, text


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("pesto change-o lol be a bank", "banking"),  # one typo, in the magic phrase's first letters
        ("ok presto! car dealership please", None),  # an interjection before the phrase's first word alone
        ("Role play time: I'm a policyholder and you're my insurance carrier.", "insurance"),  # after "and"
        ("let's do the airline one now", None),  # a weak version noun with a change marker after it
        ("Would you mind becoming a mortgage lender's customer service agent for the next demo?", "banking"),
        ("switch over to financial services, checking accounts and mortgages", "banking"),
    ],
)
def test_typos_scene_setting_and_financial_services(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["I'm a customer and you're my bank", "ok presto", "pasta tonight", "petrol change"])
def test_a_customer_and_near_spellings_stay_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Hey assistant, be an insurance carrier for us, would you?", "insurance"),  # a polite question tag
        ("Reckon you could be a bookshop for a bit? cheers", None),
        ("Would you mind playing the role of a car dealership's chat agent?", None),
        ("turn urself into an insurance co pls", "insurance"),
        ("Please do me a favour and become a life insurance provider's assistant.", "insurance"),
        ("yo b a bank", "banking"),
    ],
)
def test_more_polite_and_casual_ways_to_ask(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["became a customer in 2019", "yo what's my balance", "are you a bank, would you say"])
def test_polite_forms_do_not_make_statements_requests(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "industry", "mode_id"),
    [
        ("switch from insurance to telecom now please", "telecom", "telecom"),
        ("Could we switch from the banking mode over to healthcare?", "healthcare", "healthcare"),
        ("From telecom to banking, please.", "banking", "banking"),
        ("healthcare → a florist, go", "florist", None),
        ("insurance -> banking", "banking", "banking"),
    ],
)
def test_a_move_from_one_mode_to_another_is_a_request(text: str, industry: str, mode_id: str | None) -> None:
    found = detect_mode_request(text)
    assert found is not None and (found.industry, found.mode_id) == (industry, mode_id), found


@pytest.mark.parametrize(
    "text",
    [
        "I moved from my bank to a credit union last year",
        "switch from my insurer to a cheaper one",
        "did the demo go from banking to telecom yesterday?",
        "don't go from healthcare to insurance yet",
    ],
)
def test_a_move_between_the_customers_own_businesses_or_a_question_is_no_request(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("switch over to banking; the brand is Alder Point Bank", "Alder Point Bank"),
        ("Become an airline. Company name: Skylark Air", "Skylark Air"),
        ("be a bakery and call it Crumb Theory", "Crumb Theory"),
        ("be a yoga studio called Stillwater for the next bit", "Stillwater"),
    ],
)
def test_a_brand_given_in_a_clause_of_its_own_or_after_called_is_kept_whole(text: str, company: str) -> None:
    found = detect_mode_request(text)
    assert found is not None and found.company_name == company, found


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("be a locksmith's dispatcher", "locksmith"),
        ("switch to a bike shop's repairs desk", "bike shop"),
        ("I'd like the assistant to become a garden centre for this part", "garden centre"),
        ("would you mind becoming a car wash for a minute?", "car wash"),
        ("We'll ask it to be a ferry operator next, I'm asking it to be a ferry operator now", "ferry operator"),
    ],
)
def test_roles_ending_in_a_role_noun_and_requests_to_the_assistant_by_name(text: str, industry: str) -> None:
    found = detect_mode_request(text)
    assert found is not None and found.industry == industry, found


@pytest.mark.parametrize(
    "text", ["being a bank is hard work", "I'd like it to be quiet in here", "my bank's assistant was rude to me"]
)
def test_gerunds_and_agents_without_an_opener_or_a_request_stay_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [("bank pls", "banking"), ("urgent care plz", "healthcare"), ("a health insurer please", "insurance")],
)
def test_an_industrys_other_name_asked_for_with_a_please_is_a_request(text: str, mode_id: str) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["bank?", "my bank pls", "balance pls", "bank"])
def test_a_bare_other_name_a_question_or_the_customers_own_stays_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("role-play: I'm a traveller with a lost bag, you're the airline. Start!", None),
        ("Let's roleplay: I'm the policyholder, and you're the insurer.", "insurance"),
        ("New scenario: you're a dentist's front desk", "healthcare"),
        ("Right, next scene - you're a mobile network", "telecom"),
    ],
)
def test_a_scene_set_a_few_clauses_before_marks_the_request(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["my kids love role play, you're a great help", "scenario: my bank charged me twice"])
def test_a_scene_word_in_chat_is_no_request(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "The handout says 'Presto-Change-O, you're an airline' but we'll skip that slide",
        "my nephew typed 'presto change-o, be a hospital!' into the search bar, bless him",
    ],
)
def test_a_request_in_single_quotes_with_words_around_it_is_reported_speech(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [("ok 'presto change-o' - now be a bank", "banking"), ("it's the banks' turn: be a bank now", "banking")],
)
def test_quotes_and_apostrophes_around_a_request_of_ones_own_leave_it_a_request(text: str, mode_id: str) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("be the billing coordinator at Cedar Point Hospital", "healthcare", "Cedar Point Hospital"),
        ("can you play the claims specialist for Ridgeway Insurance", "insurance", "Ridgeway Insurance"),
        ("act as a loan officer at Harbor Credit Union", "banking", "Harbor Credit Union"),
        ("be a banking adviser at Pinecrest", "banking", "Pinecrest"),  # the role's words tell the industry
        ("be the ticket desk at a ferry company", None, None),
        ("be a desk clerk at night", None, None),  # no business after the link: the words as they are
        ("play the front desk of a vet clinic", None, None),
        ("be a pet clinic receptionist", None, None),  # another trade's role, not healthcare's
    ],
)
def test_a_role_by_its_head_noun_takes_the_business_after_its_link(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("my whole team works in hospitals, so could you be a clinic for them", "healthcare"),
        ("the last demo was fine and can you now become a phone company", "telecom"),
        ("could you go ahead and turn into an insurer", "insurance"),
        ("can you swap over and be their lender", "banking"),
        ("switch gears to telecom mode", "telecom"),
        ("that's enough banking, let's move on to healthcare", "healthcare"),
        ("can you become a clinic, it doesn't really matter which kind?", "healthcare"),  # "really" softens no request
    ],
)
def test_a_request_after_so_and_or_a_switch_over_and(text: str, mode_id: str) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "I moved flat so can you change my address to 4 Elm Road",
        "can we move on to my insurance claim?",
        "let's move on to my bank account",
        "my bank closed so can you tell me where the nearest one is?",
        "could you become a bank, in theory?",
        "be their friend",
    ],
)
def test_a_request_after_so_still_needs_a_business_of_its_own(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("Stage direction: the bot now becomes Alder Trust Bank's helpline", "banking", "Alder Trust Bank"),
        ("(Presenter: the assistant now plays Beacon Mutual's claims desk)", "insurance", "Beacon Mutual"),
        ("Scene direction: assistant takes on the role of a cable company's help desk", "telecom", None),
        ("Stage directions: the chatbot turns into a bike repair shop", None, None),
        ("Stage direction: the assistant becomes a ski school booking desk", None, None),  # a scene: any business
        ("for this part the bot switches to healthcare", "healthcare", None),
    ],
)
def test_a_stage_direction_speaks_of_the_assistant_in_the_third_person(
    text: str, mode_id: str | None, company: str | None
) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    "text",
    [
        "the bot now plays a song when I open the app",
        "in the demo the assistant plays a bank teller",  # no change marker, no scene: a description
        "the assistant becomes a ski school booking desk",
        "why does the bot now switch to banking when I type presto?",
        "the assistant now becomes slow",
    ],
)
def test_the_assistant_spoken_of_without_a_scene_or_a_business_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("you're now a credit union, Harborside in particular", "banking", "Harborside"),
        ("could you be a broadband provider? Something like Quill Fibre Co.", "telecom", "Quill Fibre Co."),
        ("be a Vodafone roaming helpdesk now", "telecom", "Vodafone"),  # a known brand among the role's words
        ("For now you speak for Marigold Life Assurance, ok? Reply as them.", "insurance", "Marigold Life Assurance"),
        ("act as Upper Valley Teachers Credit Union's virtual agent", "banking", "Upper Valley Teachers Credit Union"),
        ("next mode: banking. you're the help desk at Kestrel Savings Bank", "banking", "Kestrel Savings Bank"),
        ("Ok, insurance next. You're a car insurer.", "insurance", None),
        ("Be Ziggle for a bit - the mobile network people", "telecom", "Ziggle"),  # the clause says what it is
    ],
)
def test_a_brand_named_after_its_request_or_in_its_role(text: str, mode_id: str | None, company: str | None) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("be a bank now, Tom please", ("banking", None)),  # someone addressed, not a brand
        ("switch to banking. you're a hospital", ("banking", None)),  # a copula after a request only says more of it
        ("switch to banking. you're a star", ("banking", None)),
    ],
)
def test_what_follows_a_request_needs_to_say_more_of_it(text: str, expected: tuple[str | None, str | None]) -> None:
    assert _switched_to(text) == expected


@pytest.mark.parametrize("text", ["Banking next?", "I did banking today, insurance tomorrow maybe", "a hospital, you"])
def test_a_name_with_a_marker_asked_or_in_a_sentence_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Role play time! you're a dental practice and I've lost a filling", "healthcare"),
        ("New scenario!! u r a cable company and I'm furious about my bill", "telecom"),
        ("let's say you are a bowling alley and I want a lane for six. Start!", None),
        ("if you were a pharmacy... go on, give it a go", "healthcare"),
    ],
)
def test_a_scene_or_a_supposition_then_a_go_signal_is_a_request(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "If you were a pharmacy, would you stock this?",
        "if you were my insurer, do it properly",
        "let's say you are right and the bank was wrong",
        "I love role play. You're a great listener",
        "Scenario! my bank charged me twice",
    ],
)
def test_a_supposition_or_a_scene_word_alone_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("as a mobile network pls reply from now on", "telecom"),
        ("As a florist, respond please.", None),
        ("ok. as an insurer, answer from here on!", "insurance"),
        ("like a cable company, talk", "telecom"),
    ],
)
def test_the_role_said_before_its_verb_is_a_request(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "As a bank, answer me this: why are the fees so high?",
        "as a customer, answer my question",
        "as a bank you should answer faster",
        "as a phone company, don't answer",
        "as a bank, answer?",
        "as a hospital, respond now. never mind",
        "as my bank, answer",
    ],
)
def test_a_role_before_a_verb_that_asks_more_or_is_negated_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Next industry pls: broadband provider", "telecom"),
        ("new persona please: a tattoo studio", None),
        ("We'd like the next demo to be a health insurer. Doable?", "insurance"),
        ("I want the next scenario to be a bike shop", None),
    ],
)
def test_a_placeholder_with_a_please_and_the_demo_addressed(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    ["I want the demo to be a success", "I'd like the demo to be shorter", "scenario please: my card was declined"],
)
def test_the_demo_addressed_still_needs_a_business(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(("text", "mode_id"), [("be a clinik for a bit", "healthcare"), ("be a lendor now", "banking")])
def test_a_six_letter_industry_word_is_read_through_one_typo(text: str, mode_id: str) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["be a clink now", "be a tender now"])
def test_an_everyday_word_near_a_six_letter_industry_word_is_itself(text: str) -> None:
    assert _switched_to(text)[0] is None  # "clink" is no "clinic", "tender" no "lender"


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("ok let's try... telecom. no wait, a credit union", "banking"),
        ("how about - a pottery studio", None),
        ("be a gym... no, actually an urgent care clinic", "healthcare"),  # "no" alone leaves room for a correction
        ("banking next... actually no, let's do insurance first", "insurance"),
    ],
)
def test_a_pause_after_an_opener_and_a_no_before_a_correction(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "let's try... again tomorrow",
        "how about... the bank made a mistake",
        "be a bakery. no. my card is blocked",
        "switch to banking. No! Balance please",
        "be a bank. no",
    ],
)
def test_a_pause_or_a_no_before_chat_asks_for_nothing(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Be an insurer. No, forget that - a bike courier firm.", None),
        ("be a hotel... nope, a building society", "banking"),
    ],
)
def test_a_retraction_then_a_business_replaces_the_request(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text", ["be a bakery... no, the fees are too high", "be a bank, jk. the fees are high", "be a gym. nope, my card?"]
)
def test_a_retraction_then_chat_takes_the_request_back(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("The next demo is telecom and you're the agent now", "telecom"),  # the role is the business named before
        ("our prospect is a credit union, so be the helpdesk", "banking"),
        ("please become ferry booking agent", None),  # a trade's role needs no article
        ("kindly act as hospital reception", "healthcare"),
    ],
)
def test_a_role_alone_or_without_an_article(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize("text", ["act as customer support", "be virtual assistant", "be nice support"])
def test_a_role_alone_with_no_business_is_no_request(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("ok, for the last segment it's going to be a cinema.", None, None),
        ("Let's switch things up: you're Northgate Mobile.", "telecom", "Northgate Mobile"),
        ("from now on you work the front desk at Birch Lane Clinic", "healthcare", "Birch Lane Clinic"),
    ],
)
def test_segment_markers_a_switch_scene_and_you_work(text: str, mode_id: str | None, company: str | None) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    "text", ["you work at a bank?", "I work at a bank now", "change: you're a bank", "you work for my bank"]
)
def test_you_work_without_a_marker_describes(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("Hello! I'm Juniper Point Credit Union's digital assistant.", "banking", "Juniper Point Credit Union"),
        ("this is the virtual agent for Osprey Mobile", "telecom", "Osprey Mobile"),
        ("I am Redfern Insurance's chatbot", "insurance", "Redfern Insurance"),
    ],
)
def test_a_line_given_to_the_assistant_as_its_own(text: str, mode_id: str, company: str) -> None:
    assert _switched_to(text) == (mode_id, company)


@pytest.mark.parametrize(
    "text",
    [
        "I'm a bank assistant",  # a job
        "I'm Priya's assistant",
        "I'm Osprey Mobile's customer",
        "I'm Osprey Mobile's virtual assistant?",
        "I'm not Redfern Insurance's chatbot",
        "I'm the chatbot's biggest fan",
    ],
)
def test_a_first_person_line_without_a_bot_role_and_a_business_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize("text", ["switch over to hospitality", "swap to logistics please", "switch to real estate"])
def test_a_sector_needs_no_article_after_a_switch(text: str) -> None:
    assert _switched_to(text) == (None, None)


@pytest.mark.parametrize("text", ["my son switched to retail", "I want to switch to energy", "switch to the retail"])
def test_a_sector_of_someone_elses_or_with_an_article_is_no_switch(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("let's move on to the dental claim", None),
        ("could we switch to the mortgage paperwork", None),
        ("switch to the insurance side", "insurance"),  # an aspect noun still names the business
        ("can you switch into a clinic front desk role", "healthcare"),
        ("switch to a bank branch", "banking"),
    ],
)
def test_a_weak_switch_to_a_thing_of_an_industry_is_no_request(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert (request.mode_id if request else None) == mode_id
    assert (request is not None) == (mode_id is not None)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Become an insurer. Hmm, on reflection, let's not switch anything yet.", None),
        ("turn into a clinic. actually don't change", None),
        ("be a bank, but don't change the colours", "banking"),  # a constraint on the request, no retraction
        ("be a telco and don't be rude", "telecom"),
    ],
)
def test_a_clause_saying_not_to_switch_takes_the_request_back(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert (request.mode_id if request else None) == mode_id
    assert (request is not None) == (mode_id is not None)


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("right, next up is the insurance vertical", "insurance"),
        ("ok so the next demo will be a climbing gym!", None),
        ("the new mode is telecom", "telecom"),
    ],
)
def test_a_placeholder_that_looks_ahead_announces_the_business(text: str, mode_id: str | None) -> None:
    assert _switched_to(text)[0] == mode_id


@pytest.mark.parametrize(
    "text",
    [
        "next up is my balance",
        "next up is a bank?",
        "the next demo isn't a bank",
        "the mode is a bank",
        "next demo is at 3",
    ],
)
def test_an_announcement_of_no_business_or_asked_is_chat(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("could you play a museum front desk for a bit", ("museum front desk", None)),
        ("play a song", None),
        ("play the front desk", None),  # a role alone, no business's
    ],
)
def test_a_weak_lead_takes_a_businesss_role(text: str, expected: tuple[str, str | None] | None) -> None:
    request = detect_mode_request(text)
    assert ((request.industry, request.mode_id) if request else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Could you be Ember Yoga Collective and take a class booking?", (None, "Ember Yoga Collective")),
        ("be Rook & Raven Telecom and sort out my bill", ("telecom", "Rook & Raven Telecom")),
    ],
)
def test_a_brand_ends_at_a_conjunction_before_a_second_task(text: str, expected: tuple[str | None, str]) -> None:
    assert _switched_to(text) == expected


# --- review findings: mentions that look like the newer constructions -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # an announcement whose business does not end what is said
        "Next up is the dentist for me, ugh.",
        "Next up is the hospital for my mom's surgery.",
        "Next up is banking, which I hate.",
        "next up is the bank, then groceries",
        # a mode's name and a change marker, then more chat
        "Insurance next, then rent. Bills everywhere.",
        "insurance now please, I need my claim status",
        "telecoms now, ugh, another bill",
        "banking next, my paycheck is late",
        # a stage direction whose object is a thing of an industry's, someone's own, or no business
        "The bot now plays Contoso Insurance's hold music.",
        "the bot now plays a bank ad when I log in",
        "The assistant now plays a bank robber in my game.",
        "The bot now becomes a bank statement downloader.",
        "the bot now switches to my bank account",
        "Stage direction: the bot now plays a role in my kid's school play.",
        "the assistant now plays a hospital drama on my TV",
        # a first-person line that is someone's job, or someone else's words
        "I'm a virtual assistant for a dentist, actually, as a freelancer.",
        "I run a freelance business: I am a virtual assistant for a dentist.",
        "My bank's chatbot said: this is the virtual assistant for Contoso Bank.",
        "I'm the chatbot for Contoso Bank's developers team lead.",
        "The popup said: I'm the virtual assistant for Fabrikam Insurance.",
        # a sector in reported speech
        "Switch over to retail, they said, and I lost my job.",
        "Move on to hospitality, my career coach said.",
        "switch to logistics, my manager told me",
        # a retraction followed by a sentence about a business, not a bare business
        "Be a bank. No, scratch that. A hospital called me.",
        "Be a bank. No, scratch that. A hospital billed me twice.",
        # a pause, then a thing of an industry's
        "let's try... insurance claims now",
    ],
)
def test_mentions_in_the_newer_constructions_do_not_switch(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "My bank sent me here and you're the agent now.",
        "Contoso Bank fired me, and you're the agent now.",
        "my insurer's app crashed so you're the front desk now",
        "you're the agent now",  # a role alone names no business
    ],
)
def test_a_role_alone_takes_no_business_that_a_clause_goes_on_from(text: str) -> None:
    assert detect_mode_request(text) is None


@pytest.mark.parametrize(
    ("text", "mode_id", "company"),
    [
        ("Telecoms next.", "telecom", None),
        ("Right, telecoms next.", "telecom", None),
        ("insurance now please.", "insurance", None),
        ("Next up is the dentist.", "healthcare", None),
        ("Next up is banking, please.", "banking", None),
        ("The bot now plays a bank.", "banking", None),
        ("the bot now becomes a hospital front desk.", "healthcare", None),
        ("Stage direction: the bot now plays Contoso Insurance.", "insurance", "Contoso Insurance"),
        ("Stage direction: the bot now plays a florist.", None, None),
        ("I'm the virtual assistant for Contoso Bank.", "banking", "Contoso Bank"),
        ("Stage direction: I'm the virtual assistant for Contoso Bank.", "banking", "Contoso Bank"),
        ("Switch over to retail.", None, None),
        ("change the industry to hospitality, like a hotel", None, None),
        ("Be a bank. No, scratch that. A hospital.", "healthcare", None),
        ("Be a bank. No, scratch that. A bakery called Crumbs.", None, "Crumbs"),
        ("Next scenario is banking and you're the agent now.", "banking", None),
        ("let's try... insurance now", "insurance", None),
    ],
)
def test_the_newer_constructions_still_ask_when_whole(text: str, mode_id: str | None, company: str | None) -> None:
    request = detect_mode_request(text)
    assert request is not None
    assert (request.mode_id, request.company_name) == (mode_id, company)
