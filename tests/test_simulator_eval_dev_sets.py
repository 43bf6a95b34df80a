"""The development-only simulator evaluation sets (benchmarks/simulator_eval/v4 and v5): formats and fields resolving.

They have no held-out part (v3's held-out part is the team's measure), so there is no split to check. Each was
written by its own outsider to the same size and mix. Nothing here asks the simulator: the fields are resolved on
the personas alone (``--check``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import simeval_sets as sets
from simeval_sets import PREFIXES, EvalSet

SETS = [EvalSet("v4", parts=("dev",)), EvalSet("v5", parts=("dev",))]
SIZES = {"banking": 170, "insurance": 170, "healthcare": 170, "telecom": 170, "generic": 60}
MODE_REQUESTS = 120


@pytest.fixture(scope="module", params=SETS, ids=lambda s: s.name)
def dev_set(request: pytest.FixtureRequest) -> EvalSet:
    chosen: EvalSet = request.param
    return chosen


@pytest.fixture(scope="module")
def questions(dev_set: EvalSet) -> dict[str, list[dict[str, Any]]]:
    return sets.questions(dev_set)


@pytest.fixture(scope="module")
def modes(dev_set: EvalSet) -> dict[str, list[dict[str, Any]]]:
    return sets.modes(dev_set)


def test_only_development_files_are_kept(dev_set: EvalSet) -> None:
    sets.check_only_split_files(dev_set)
    assert not list(dev_set.folder.glob("heldout_*")) and not (dev_set.folder / "split.py").exists()


def test_question_lines(dev_set: EvalSet, questions: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_question_lines(dev_set, questions)


def test_mode_lines(dev_set: EvalSet, modes: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_mode_lines(dev_set, modes)


def test_sizes_and_mix(questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]) -> None:
    items = questions["dev"]
    assert Counter(r["industry"] for r in items) == SIZES
    for industry in PREFIXES:
        numbers = sorted(int(r["id"].rsplit("-", 1)[1]) for r in items if r["industry"] == industry)
        assert numbers == list(range(1, SIZES[industry] + 1)), industry  # numbered without gaps
    styles = Counter(r["style"] for r in items)
    assert min(styles.values()) >= 0.06 * len(items) and max(styles.values()) <= 0.2 * len(items), styles
    kinds = Counter(e["kind"] for r in items for e in r["expect"])
    assert {"answer", "decline", "clarify_ok", "smalltalk"} <= set(kinds), kinds
    assert {k for k in kinds if k.startswith("guard_")} == {
        "guard_medical", "guard_legal", "guard_security", "guard_action"
    }  # fmt: skip
    requests = modes["dev"]
    switches = [r for r in requests if r["expect_mode"] is not None]
    assert len(requests) == MODE_REQUESTS and 0.5 <= len(switches) / len(requests) <= 0.6
    assert {r["expect_mode"] for r in switches} == {"banking", "insurance", "healthcare", "telecom", "custom"}
    presto = sum("presto" in r["text"].casefold() for r in switches)
    assert 0 < presto < len(switches)  # with and without the magic phrase
    assert any(r["brand"] for r in switches)
    assert any("presto" in r["text"].casefold() for r in requests if r["expect_mode"] is None)


def test_texts_are_not_repeated(
    questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    firsts = Counter((r["industry"], r["turns"][0].casefold()) for r in questions["dev"])
    assert [k for k, n in firsts.items() if n > 1] == []
    texts = Counter(r["text"].casefold() for r in modes["dev"])
    assert [k for k, n in texts.items() if n > 1] == []


@pytest.mark.parametrize("dev_set", SETS, ids=lambda s: s.name)
def test_every_field_resolves_on_one_persona_per_industry(dev_set: EvalSet, capsys: pytest.CaptureFixture[str]) -> None:
    sets.check_fields_resolve(dev_set, "dev", capsys)
