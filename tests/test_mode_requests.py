"""Mode requests phrased the way people type them, with and without the magic phrase.

These examples were written from general knowledge of how presenters and customers phrase such things,
not taken from the evaluation set (benchmarks/simulator_eval), whose held-out part nobody tuned to.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scaling import LINEAR_LIMIT, fill, growth

from persona_kit import ModeCatalogue
from persona_kit.triggers import TriggerConfig, detect_mode_request, resolve_mode_request

CATALOGUE = ModeCatalogue()

REQUESTS: list[tuple[str, str, str | None]] = [
    # the magic phrase in its spellings, with and without a request after it
    ("presto, be an insurance company", "insurance", None),
    ("Presto! You're a hotel now", "custom", None),
    ("presto change-o: telecom company", "telecom", None),
    ("prestochango hospital", "healthcare", None),
    ("presto chnage-o you're a telco", "telecom", None),
    ("Presto Change-O!! become a pharmacy", "healthcare", None),
    ("Presto change o - energy company", "custom", None),
    ("Presto! a streaming service", "custom", None),
    ("presto change-o to banking", "banking", None),
    ("ok presto chango, healthcare", "healthcare", None),
    ("Presto-Change-O. Healthcare.", "healthcare", None),
    ("PRESTO CHANGO!!! HOSPITAL", "healthcare", None),
    # brands: kept as typed, the industry read from the brand or the phrase after it
    ("Presto-Change-O you are now Contoso Bank", "banking", "Contoso Bank"),
    ("presto-change-o you're Northwind Energy", "custom", "Northwind Energy"),
    ("presto change-o be St. Mary's Hospital", "healthcare", "St. Mary's Hospital"),
    ("Presto change-o: Adventure Works Cycles, a bike shop", "custom", "Adventure Works Cycles"),
    ("become Fabrikam, the insurance company", "insurance", "Fabrikam"),
    ("act as Northwind Traders, a grocery chain", "custom", "Northwind Traders"),
    ("I'd like you to be Contoso Bank", "banking", "Contoso Bank"),
    ("Please act as Contoso Health, a clinic", "healthcare", "Contoso Health"),
    ("presto change-o: AT&T Wireless", "telecom", "AT&T Wireless"),
    # no magic phrase: an explicit request
    ("switch to insurance mode please", "insurance", None),
    ("Switch To Healthcare Mode", "healthcare", None),
    ("can you switch to the insurance demo?", "insurance", None),
    ("become a dentist's office", "healthcare", None),
    ("be a GP surgery", "healthcare", None),
    ("pretend to be an urgent care center", "healthcare", None),
    ("pretend you are an HMO", "healthcare", None),
    ("act as a savings and loan", "banking", None),
    ("become an S&L", "banking", None),
    ("be a cable and internet company", "telecom", None),
    ("be an internet and tv provider", "telecom", None),
    ("from now on you're an airline", "custom", None),
    ("now you're a phone company", "telecom", None),
    ("let's do the insurance demo", "insurance", None),
    ("lets pretend ur a bank", "banking", None),
    ("could you act as a hospital instead?", "healthcare", None),
    ("would you be a telco for this demo", "telecom", None),
    ("turn yourself into a credit union", "banking", None),
    ("roleplay as a car insurance company", "insurance", None),
    ("industry: healthcare", "healthcare", None),
    ("demo mode = telecom", "telecom", None),
    ("telecom mode please", "telecom", None),
    ("load the banking demo", "banking", None),
    ("make this a hospital demo", "healthcare", None),
    ("switch industries to banking", "banking", None),
    ("set the industry to telecom", "telecom", None),
    ("switch the persona to a hotel", "custom", None),
    ("become a gas and electric utility", "custom", None),
    ("pretend you're Netflix", "custom", "Netflix"),
    ("BE A BANK", "banking", None),
    ("plz be a hospital", "healthcare", None),
    ("switch 2 banking", "banking", None),
    ("act as my energy provider", "custom", None),
    ("you are going to be a telco", "telecom", None),
    ("be the chatbot for a hospital", "healthcare", None),
    ("now pretend you work for a bank", "banking", None),
    ("switch modes - insurance", "insurance", None),
    ("switch persona: bank", "banking", None),
    ("become a savings & loan", "banking", None),
    ("switch over to a mobile carrier", "telecom", None),
    # what comes later wins: corrections, and a negated alternative
    ("don't be a bank, be an insurer", "insurance", None),
    ("switch to insurance, no wait, healthcare", "healthcare", None),
    ("be a bank, sorry, I mean a clinic", "healthcare", None),
    ("Presto change-o you're a bank, not a clinic", "banking", None),
]

NOT_REQUESTS = [
    # mentions and stories
    "I went to the bank today",
    "I banked with HSBC for years",
    "the hospital called me",
    "I work for a telecom company",
    "my wife says you should be a bank",
    "he told me to become a banker",
    "yesterday you were a hospital",
    "I'm thinking of switching to a credit union",
    "my mobile carrier is switching to 5G",
    # the cat called Presto, and the phrase talked about
    "my cat Presto is asleep",
    "Presto is my cat",
    "Presto, come here!",
    "Presto, my cat, knocked over a vase",
    "the word presto is Italian",
    "presto change-o sounds fun",
    "presto change-o doesn't work",
    "I typed presto change-o and it broke",
    "is presto change-o the magic word?",
    "presto",
    "Presto!",
    # questions and hypotheticals
    "are you a bank?",
    "r u an insurance company",
    "could you ever be a hospital?",
    "can you be a bank too?",
    "is it possible to switch to banking?",
    "what would you do if you were a bank",
    "imagine if you were a hospital, what would you say?",
    "you're a bank?",
    "you are a bank, aren't you?",
    # negations and retractions
    "don't switch to banking",
    "please never switch to telecom again",
    "stop pretending to be a hospital",
    "I don't want you to be a bank",
    "presto change-o you're a bank... lol jk",
    "presto change-o be a clinic. nah forget it",
    "be a hotel. Actually, don't.",
    "switch to banking, or maybe not",
    "presto change-o: not a bank",
    # other switches and changes a customer asks for
    "switch to dark mode",
    "switch my phone to airplane mode",
    "switch to a cheaper plan",
    "can I switch to a different doctor?",
    "switch to a new GP please",
    "can you switch my mobile plan to unlimited?",
    "change to a pie chart",
    "show me the mobile version",
    "switch to the generic version",
    "change my password",
    "switch to 5G",
    "enable night mode",
    "switch to online banking",
    "switch to mobile banking please",
    "you're a bank so why can't you lend me money",
    "why are you a bank now?",
    "make me a payment plan",
    "make it quick",
    "make this easier",
    # orders that are not about an industry
    "be quick",
    "be a dear and check my balance",
    "be a little quicker",
    "you're a lifesaver",
    "you're such a bank",
    "act normal",
    "can you act as my financial advisor and tell me what to invest in?",
    "show me my bank statements",
    "go to the bank",
    "I want to become an insurance agent",
]


@pytest.mark.parametrize(("text", "mode", "brand"), REQUESTS)
def test_requests_switch_to_the_right_mode(text: str, mode: str, brand: str | None) -> None:
    request = detect_mode_request(text)
    assert request is not None, text
    assert (request.mode_id or "custom") == mode
    assert request.company_name == brand
    resolved = resolve_mode_request(request, CATALOGUE)
    assert resolved.id == mode or (mode == "custom" and resolved.id.startswith("custom-"))
    if brand:
        assert resolved.company_name == brand


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_mentions_questions_and_negations_do_not_switch(text: str) -> None:
    assert detect_mode_request(text) is None


def test_a_brand_names_a_custom_mode_after_its_last_word() -> None:
    request = detect_mode_request("Presto change-o, you're Blue Yonder Airlines")
    assert request is not None
    mode = resolve_mode_request(request, CATALOGUE)
    assert (mode.id, mode.company_name) == ("custom-airlines", "Blue Yonder Airlines")


def test_the_phrase_can_be_required() -> None:
    strict = TriggerConfig(require_phrase=True)
    assert detect_mode_request("switch to banking", strict) is None
    request = detect_mode_request("presto! switch to banking", strict)
    assert request is not None
    assert request.mode_id == "banking"


def test_an_unknown_language_fails_when_the_config_is_built() -> None:
    with pytest.raises(ValueError, match="no trigger words for language 'xx'; available: en"):
        TriggerConfig(language="xx")


def test_only_the_last_request_like_clauses_are_read() -> None:
    text = "be a bank. " + "are you a bank? " * 40
    assert detect_mode_request(text) is None  # the request lies before the last 32 clauses that could hold one
    assert detect_mode_request("be a bank. " + "are you a bank? " * 3) is not None


# --- time: linear from 64 KiB to 1 MiB, and well under a second there ------------------------------------------

LARGE = {
    "requests": lambda n: fill("switch to banking, ", n),
    "magic phrase and questions": lambda n: fill("Presto-Change-O, you're a bank? ", n),
    "plain chat": lambda n: fill("I went to the bank today and my balance was low. ", n),
    "one long clause after the phrase": lambda n: "Presto-Change-O, " + fill("you're not a bank ", n),
}


@pytest.mark.parametrize("make", LARGE.values(), ids=LARGE.keys())
def test_detection_stays_linear_up_to_a_megabyte(make: Callable[[int], str]) -> None:
    assert growth(detect_mode_request, make, 128 * 1024, 1024 * 1024, repeat=2) < LINEAR_LIMIT
