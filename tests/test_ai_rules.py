"""The simulator's question patterns as data: loading, placeholders, order, and clear errors for bad files."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from persona_kit.ai import intents
from persona_kit.ai.rules import (
    RulesFileError,
    build_industry_rules,
    build_shared_rules,
    industry_rules,
    shared_rules,
)
from persona_kit.data import data_dir, read_json

KINDS = ["banking", "insurance", "healthcare", "telecom", "generic"]
ROOT = Path(__file__).resolve().parent.parent


def _shared_raw() -> Any:
    return copy.deepcopy(read_json("intents/en/rules.json"))


def _industry_raw(kind: str) -> Any:
    return copy.deepcopy(read_json(f"intents/en/rules/{kind}.json"))


def test_every_industry_with_a_simulator_has_a_rules_file() -> None:
    files = {p.stem for p in (data_dir() / "intents" / "en" / "rules").glob("*.json")}
    assert files == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_topic_rules_keep_the_file_order(kind: str) -> None:
    raw = _industry_raw(kind)
    rules = industry_rules(kind)
    assert [name for name, _ in rules.topics] == [rule["name"] for rule in raw["topics"]]
    assert all(p.flags & re.IGNORECASE for _, p in (*rules.topics, *rules.facets))


def test_placeholders_are_put_in_and_quantifiers_left_alone() -> None:
    shared = shared_rules()
    member_since = dict(industry_rules("banking").topics)["member_since"]
    assert shared.placeholders["tenure"] in member_since.pattern
    assert "{" not in member_since.pattern
    assert "{1,30}" in shared.forecast.pattern  # a quantifier, not a placeholder
    assert shared.action.search("can you cancel my card") and not shared.action.search("can you add up my bills")
    generic = dict(industry_rules("generic").topics)
    assert generic["activity"].search("how many flights") and "{activity}" not in generic["activity"].pattern


def test_the_public_names_read_the_data() -> None:
    shared = shared_rules()
    assert intents.COMMON_TOPICS is shared.common_topics
    assert intents.TENURE == shared.placeholders["tenure"]
    assert intents.parse_intent(
        industry_rules_grammar("healthcare"), "what do i pay before insurance kicks in", []
    ).topic == ("deductible")


def industry_rules_grammar(kind: str) -> intents.Grammar:
    from persona_kit.industries import industry

    grammar = industry(kind).simulator_module().SIMULATOR.grammar
    assert isinstance(grammar, intents.Grammar)
    assert grammar.topics is industry_rules(kind).topics
    return grammar


@pytest.mark.parametrize("kind", KINDS)
def test_every_named_pattern_the_code_asks_for_is_in_the_file_and_used(kind: str) -> None:
    source = (ROOT / "persona_kit" / "industries" / kind / "answers.py").read_text(encoding="utf-8")
    asked = set(re.findall(r'_RULES\.pattern\("(\w+)"\)', source))
    assert asked == set(industry_rules(kind).patterns)
    lists = set(re.findall(r'_RULES\.lists\["(\w+)"\]', source))
    assert lists == set(industry_rules(kind).lists)


def test_an_unknown_pattern_name_says_which_exist() -> None:
    with pytest.raises(RulesFileError, match=r"rules/telecom\.json has no pattern 'roam'.*'roaming'"):
        industry_rules("telecom").pattern("roam")


def test_a_bad_regular_expression_names_the_file_and_the_rule() -> None:
    raw = _industry_raw("insurance")
    i = next(i for i, rule in enumerate(raw["topics"]) if rule["name"] == "risk_score")
    raw["topics"][i]["pattern"] = r"\b(risk|rating\b"
    with pytest.raises(RulesFileError, match=rf"x/insurance\.json: topics\[{i}\] 'risk_score': bad regular expression"):
        build_industry_rules("insurance", raw, "x/insurance.json", shared_rules())


def test_an_unknown_placeholder_names_the_rule_and_the_known_ones() -> None:
    raw = _shared_raw()
    raw["gaps"][0]["pattern"] = r"\b({tenur})\b"
    with pytest.raises(RulesFileError, match=r"rules\.json: gaps\[0\] 'rate': unknown placeholder \{tenur\}.*tenure"):
        build_shared_rules(raw, "rules.json")


def test_placeholders_do_not_nest_and_a_bad_one_is_named() -> None:
    raw = _shared_raw()
    raw["placeholders"]["units"] = "({amount} days)"
    with pytest.raises(RulesFileError, match=r"placeholder 'units': placeholders do not nest"):
        build_shared_rules(raw, "rules.json")
    raw = _industry_raw("generic")
    raw["placeholders"]["activity"] = "(flights"
    with pytest.raises(RulesFileError, match=r"generic\.json: placeholder 'activity': bad regular expression"):
        build_industry_rules("generic", raw, "generic.json", shared_rules())


def test_an_escaped_brace_is_no_placeholder() -> None:
    raw = _industry_raw("generic")
    raw["patterns"] = {"literal": r"\{tenure}"}
    rules = build_industry_rules("generic", raw, "generic.json", shared_rules())
    assert rules.pattern("literal") == r"\{tenure}"
    assert re.search(rules.pattern("literal"), "a {tenure} b")


def test_a_file_of_the_wrong_shape_names_the_file_and_the_field() -> None:
    raw = _shared_raw()
    raw["chart_types"][0]["name"] = "donut"
    with pytest.raises(RulesFileError, match=r"(?s)rules\.json: .*chart_types\.0\.name"):
        build_shared_rules(raw, "rules.json")
    raw = _industry_raw("banking")
    del raw["topics"]
    with pytest.raises(RulesFileError, match=r"(?s)banking\.json: .*topics"):
        build_industry_rules("banking", raw, "banking.json", shared_rules())


def test_the_compound_patterns_match_as_written() -> None:
    shared = shared_rules()
    assert not shared.joint.flags & re.IGNORECASE
    assert shared.whole.search("the total") and not shared.whole.search("the TOTAL")


def test_the_typo_vocabulary_sees_the_shared_words() -> None:
    from persona_kit.ai.answers import _reader

    words = _reader("banking").own
    assert {"overview", "yesterday", "penultimate", "doughnut", "unfreeze"} <= words  # one from each kind of rule
    assert "kicks" not in words  # {before_cover} ("before insurance kicks in") is only in the industries that use it
