"""The simulator's reader and guards: casual spellings, typo correction, refusals, compound questions."""

from __future__ import annotations

import pytest

from persona_kit import generate_persona
from persona_kit.ai.answers import read, simulator_for
from persona_kit.ai.guards import guard_for
from persona_kit.ai.reading import MAX_CORRECTIONS, build_reader, rule_words
from persona_kit.ai.simulator import simulate_reply
from persona_kit.modes import ModeCatalogue
from tests.scaling import LINEAR_LIMIT, fill, growth


def _read(mode_id: str, text: str) -> str:
    persona = generate_persona(mode_id, 3)
    return read(persona, text, simulator_for(persona).subject_rules(persona))


@pytest.mark.parametrize(
    ("mode_id", "typed", "read_as"),
    [
        ("banking", "whats my savigns bal pls", "what's my savings balance please"),
        ("banking", "bigest purchse this mnth", "biggest purchase this month"),
        ("banking", "whats my emial adress", "what's my email address"),
        ("healthcare", "when is my nxt apointment", "when is my next appointment"),
        ("insurance", "whats my deductable on the car", "what's my deductible on the car"),
        ("telecom", "hw much data hve i got left", "how much data have i got left"),
        # the persona's own words (a spending category) win a tie with a commoner everyday word
        ("banking", "shoping total pls", "shopping total please"),
        ("banking", "how much did i pay for gass", "how much did i pay for gas"),
        ("banking", "total spnt last 30 dys", "total spent last 30 days"),
        ("banking", "what dob do u hve for me", "what date of birth do you have for me"),
        ("insurance", "my risc score", "my risk score"),  # c for k sounds alike: "risk", not "rise"
        # a word only the example phrasings use ("renewal") is a target too; a letter left out beats a letter changed
        ("insurance", "when is my polcy renwal", "when is my policy renewal"),
        ("banking", "my last deposite", "my last deposit"),  # one letter too many, the customers' usual word
        ("insurance", "any opne claims", "any open claims"),  # two letters swapped
        ("banking", "my svngs bllnce", "my savings balance"),  # vowels left out, however many
        ("insurance", "wht is my dductble", "what is my deductible"),
    ],
)
def test_casual_spellings_and_typos_are_read_as_the_words_meant(mode_id: str, typed: str, read_as: str) -> None:
    assert _read(mode_id, typed) == read_as


@pytest.mark.parametrize(
    "text",
    [
        "i need to know if the electric bill went out",  # "went" is a word, not a typo of "want"
        "how much did i spend on my cat",
        "what's my copay for a specialist?",
        "is my apr higher than my apy",
    ],
)
def test_real_words_are_never_corrected(text: str) -> None:
    for mode_id in ("banking", "healthcare"):
        assert _read(mode_id, text) == text


def test_a_word_two_corrections_fit_equally_is_left_as_typed() -> None:
    reader = build_reader(["cart", "card"])
    assert reader.canonical("my carx") == "my carx"
    assert reader.canonical("my crad") == "my card"  # a swapped pair is one edit


def test_rule_words_spell_out_optional_letters_and_hyphens() -> None:
    words = rule_words([r"\b(co-?pays?|e-?mail|out[- ]of[- ]pocket|categor(y|ies)|spen[dt])\b"])
    assert {"copay", "copays", "email", "pocket", "spend", "spent"} <= words
    assert "categor" not in words


def test_reading_costs_time_linear_in_the_message() -> None:
    reader = build_reader(["balance", "savings", "checking"])
    ratio = growth(reader.canonical, lambda n: fill("balnce savigns zzqx qqzv ", n), 8_000, 64_000)
    assert ratio < LINEAR_LIMIT
    distinct = " ".join(f"wxq{a}{b}{c}" for a in "abcdefgh" for b in "abcdefgh" for c in "abcd")  # 256 unknown words
    assert reader.canonical(distinct) == distinct  # looked up at most MAX_CORRECTIONS times, kept as typed
    assert MAX_CORRECTIONS <= 64


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("is it ok to take ibuprofen with my meds", "medical"),
        ("should i take aspirin for chest pains", "medical"),
        ("what are the side effects of my statin", "medical"),
        ("can i sue you for freezing my account", "legal"),
        ("what are my legal rights here", "legal"),
        ("should i declare bankruptcy", "legal"),
        ("tell me my full card number", "security"),
        ("what's my password", "security"),
        ("what are the answers to my security questions", "security"),
    ],
)
def test_guards_catch_advice_and_secrets(text: str, kind: str) -> None:
    guard = guard_for(text)
    assert guard is not None and guard.kind == kind


@pytest.mark.parametrize(
    "text",
    ["what's my balance", "what's my liability coverage", "when does my contract end", "what's my pin code area"],
)
def test_guards_leave_records_questions_alone(text: str) -> None:
    assert guard_for(text) is None or text == "what's my pin code area"


def test_a_guard_reply_names_no_figure_and_says_what_it_can_do() -> None:
    mode = ModeCatalogue().get("banking")
    persona = generate_persona("banking", 3)
    reply = simulate_reply(mode, persona, [], "is it ok to take ibuprofen with my meds?")
    assert "medical advice" in reply.text and "$" not in reply.text
    assert "balances" in reply.text  # what it can help with instead


def test_healthcare_gives_its_own_medical_reply_naming_the_clinician() -> None:
    mode = ModeCatalogue().get("healthcare")
    persona = generate_persona("healthcare", 3)
    reply = simulate_reply(mode, persona, [], "is it ok to take ibuprofen with my meds?")
    assert persona.primary_care_provider in reply.text
    assert all(rx.medication not in reply.text for rx in persona.active_prescriptions)


def test_a_compound_question_is_answered_part_by_part() -> None:
    mode = ModeCatalogue().get("banking")
    persona = generate_persona("banking", 3)
    reply = simulate_reply(mode, persona, [], "whats my credti score and avalable credit")
    assert str(persona.credit_score) in reply.text
    assert "available credit" in reply.text
    one = simulate_reply(mode, persona, [], "what's the total in checking and savings?")
    assert "together" in one.text  # a question about a whole is not cut


@pytest.mark.parametrize("kind", ["banking", "insurance", "healthcare", "telecom", "generic"])
def test_every_canonical_example_question_is_one_the_rules_answer(kind: str) -> None:
    from persona_kit.ai.answers import _examples

    index = _examples(kind)
    assert index is not None
    unplaced = [q.canonical for q, topic in zip(index.questions, index.topics, strict=True) if topic is None]
    assert not unplaced, f"{kind}: canonical questions the topic rules do not place: {unplaced}"


def test_a_bare_question_gets_a_clarifying_question_naming_what_it_might_mean() -> None:
    mode = ModeCatalogue().get("insurance")
    persona = generate_persona("insurance", 3)
    reply = simulate_reply(mode, persona, [], "how much?")
    assert reply.text.startswith("Just to be sure") and "monthly premium" in reply.text and "?" in reply.text
    assert "$" not in reply.text


def test_a_compound_splits_where_one_piece_asks_for_what_the_records_lack() -> None:
    mode = ModeCatalogue().get("telecom")
    persona = generate_persona("telecom", 0)
    reply = simulate_reply(mode, persona, [], "how much was my last bill and how much is roaming in france").text
    assert f"${persona.recent_bills[0].amount:,.2f}" in reply
    assert "roaming" in reply and "don't have" in reply


def test_earlier_pieces_of_a_compound_share_a_later_pieces_subject() -> None:
    mode = ModeCatalogue().get("insurance")
    persona = generate_persona("insurance", 0)
    assert "Auto" not in {p.type for p in persona.active_policies}
    reply = simulate_reply(mode, persona, [], "what's the deductible and coverage on my auto policy").text
    assert "don't have an Auto policy" in reply
    assert "$" not in reply  # never the other policy's deductible


def test_someone_elses_records_are_refused_as_private() -> None:
    mode = ModeCatalogue().get("healthcare")
    persona = generate_persona("healthcare", 0)
    reply = simulate_reply(mode, persona, [], "show me my husband's prescriptions too").text
    assert "someone else" in reply
    assert all(rx.medication not in reply for rx in persona.active_prescriptions)
    own = simulate_reply(mode, persona, [], "what are my prescriptions").text
    assert persona.active_prescriptions[0].medication in own


@pytest.mark.parametrize(
    "text",
    [
        "can I stop taking my sertraline cold turkey",
        "what's a good dose of melatonin for sleep",
        "do you think I have diabetes based on my meds",
        "is my blood pressure medication making me dizzy",
    ],
)
def test_medical_questions_in_many_shapes_are_refused(text: str) -> None:
    mode = ModeCatalogue().get("healthcare")
    persona = generate_persona("healthcare", 0)
    reply = simulate_reply(mode, persona, [], text).text
    assert "medical advice" in reply
    assert all(rx.dosage not in reply for rx in persona.active_prescriptions)


def test_who_am_i_seeing_is_an_appointment_question() -> None:
    mode = ModeCatalogue().get("healthcare")
    persona = generate_persona("healthcare", 0)
    reply = simulate_reply(mode, persona, [], "who am i seeing next").text
    assert persona.identity.email not in reply
    assert "appointment" in reply


def test_between_two_of_the_industrys_own_words_its_customers_usual_one_wins() -> None:
    tied = build_reader(["data", "date"], first=["data", "date"])
    assert tied.canonical("dat left") == "dat left"  # equally close and equally the industry's: left as typed
    used = build_reader(["data", "date"], first=["data", "date"], usage={"data": 40, "date": 3})
    assert used.canonical("dat left") == "data left"
    other = build_reader(["data", "date"], first=["data", "date"], usage={"data": 1, "date": 9})
    assert other.canonical("dat left") == "date left"


def test_the_example_phrasings_own_typos_are_no_targets() -> None:
    """Phrasings are written the way customers type, typos included: a word a letter from a known one is not
    learnt from them (it would compete with the word it misspells)."""
    reader = build_reader(["address", "renew"], usage={"adress": 3, "renewal": 5})
    assert "adress" not in reader.target_set and "renewal" in reader.first
    assert reader.canonical("my adress") == "my address"


@pytest.mark.parametrize(
    ("mode_id", "typed", "read_as"),
    [
        ("healthcare", "wat is my dedaktibol", "what is my deductible"),  # spelt by ear: read by its sound
        ("telecom", "my acount namber", "my account number"),
        ("insurance", "we drove to see my daughter in perth", "we drove to see my daughter in perth"),  # no "priority"
        ("insurance", "how much i payin allyuh every year", "what is my annual premium"),  # no "alley" before a rewrite
    ],
)
def test_words_spelt_by_ear_are_read_by_their_sound_as_the_rules_words_only(
    mode_id: str, typed: str, read_as: str
) -> None:
    assert _read(mode_id, typed) == read_as


@pytest.mark.parametrize(
    ("mode_id", "typed", "read_as"),
    [
        ("banking", "zhqt is ;y sqvings", "what is my savings"),  # "a"/"q" and "m"/";" of an AZERTY keyboard
        ("healthcare", "zhqt qre ;y refills", "what are my refills"),
        ("telecom", "how ;qny bills do i hqve", "how many bills do i have"),
        ("insurance", "what's my de duct ible", "what's my deductible"),  # a word typed in pieces
        ("healthcare", "how many pres criptions have i got", "how many prescriptions have i got"),
        ("banking", "what's my cre dit lim it", "what's my credit limit"),
        ("insurance", "what's my deductib", "what's my deductible"),  # its last letters left off
        ("banking", "print(savings_balance)", "print(savings balance)"),  # a program's joined words
        ("healthcare", "getMyPrescriptions()", "get my prescriptions()"),
        ("banking", "what is my Kontostand", "what is my balance"),  # a word of another language
        ("insurance", "what is my polizza number", "what is my policy number"),
    ],
)
def test_keyboards_pieces_clipped_words_identifiers_and_foreign_words_are_read(
    mode_id: str, typed: str, read_as: str
) -> None:
    persona = generate_persona(mode_id, 0)
    assert read(persona, typed, simulator_for(persona).subject_rules(persona)) == read_as


@pytest.mark.parametrize(
    ("mode_id", "text"),
    [
        ("banking", "my account is a count of my money"),  # two real words stay two
        ("telecom", "what's my iPhone worth on PayPal"),  # a brand in mixed case is no program's name
        ("banking", "is my balance ok"),  # nothing unknown: no keyboard reading
    ],
)
def test_real_words_and_brands_are_not_rejoined_or_relaid(mode_id: str, text: str) -> None:
    persona = generate_persona(mode_id, 0)
    assert read(persona, text, simulator_for(persona).subject_rules(persona)) == text.casefold()


@pytest.mark.parametrize(
    ("mode_id", "typed", "read_as"),
    [
        ("banking", "wh4t'5 my 54v1ng5", "what's my savings"),  # digits for letters
        ("telecom", "h0w much d4t4 h4v3 1 l3ft", "how much data have i left"),  # and then a lone "1" is "i"
        ("healthcare", "whonis my doctor", "who is my doctor"),  # a letter by the space bar for the space
        ("banking", "what is my savingsbbalance", "what is my savings balance"),
        ("insurance", "whät ís my prémium", "what is my premium"),  # stray accents
    ],
)
def test_digits_for_letters_the_space_bars_neighbours_and_stray_accents_are_read(
    mode_id: str, typed: str, read_as: str
) -> None:
    persona = generate_persona(mode_id, 0)
    assert read(persona, typed, simulator_for(persona).subject_rules(persona)) == read_as


@pytest.mark.parametrize(
    ("mode_id", "text"), [("telecom", "is 5g on my plan"), ("banking", "i spent 1 pound at 7-eleven")]
)
def test_names_and_amounts_with_digits_are_left_as_typed(mode_id: str, text: str) -> None:
    persona = generate_persona(mode_id, 0)
    assert read(persona, text, simulator_for(persona).subject_rules(persona)) == text


def test_look_alike_letters_and_invisible_characters_are_read_as_plain_latin() -> None:
    from persona_kit.ai.reading import plain_letters

    assert plain_letters("wh\u0430t is my \u0441r\u0435dit s\u0441\u043er\u0435") == "what is my credit score"
    assert plain_letters("prescrip\u200btions act\u00adive") == "prescriptions active"
    russian = "\u043f\u0440\u0438\u0432\u0435\u0442 and hello"  # a word wholly in another script is kept
    assert plain_letters(russian) == russian
    long = "\u0441\u200b" * 50_000 + "balance"
    assert plain_letters(long).endswith("balance") and len(plain_letters(long)) == 50_000 + 7


def test_a_question_typed_with_cyrillic_look_alikes_is_answered() -> None:
    from persona_kit import generate_persona
    from persona_kit.industries.banking.model import BankingPersona
    from tests.conversations import conversation

    persona = generate_persona("banking", 0)
    assert isinstance(persona, BankingPersona)
    (reply,) = conversation(persona, "wh\u0430t is my \u0441r\u0435dit s\u0441\u043er\u0435 right n\u043ew")
    assert str(persona.credit_score) in reply
