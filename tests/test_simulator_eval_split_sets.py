"""The sixth and seventh simulator evaluation sets (benchmarks/simulator_eval/v6, v7): formats, the split, and their
fields resolving. Each was written by its own outsider and split 20/80 once, with its own seed.

Nothing here asks the simulator: the fields are resolved on the personas alone (``--check``).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from typing import Any

import pytest
import simeval_sets as sets
from simeval_sets import PARTS, EvalSet

SETS = {
    "v6": (EvalSet("v6", seed=20261204, dev_share=0.2), {"banking": 145, "insurance": 145, "healthcare": 145,
                                                          "telecom": 145, "generic": 52}),
    "v7": (EvalSet("v7", seed=20261207, dev_share=0.2), {"banking": 150, "insurance": 150, "healthcare": 150,
                                                          "telecom": 150, "generic": 50}),
}  # fmt: skip
BRANDS = 17  # switches naming a brand, in each set


@pytest.fixture(scope="module", params=sorted(SETS))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def questions(name: str) -> dict[str, list[dict[str, Any]]]:
    return sets.questions(SETS[name][0])


@pytest.fixture(scope="module")
def modes(name: str) -> dict[str, list[dict[str, Any]]]:
    return sets.modes(SETS[name][0])


def test_only_the_split_files_are_kept(name: str) -> None:
    sets.check_only_split_files(SETS[name][0])


def test_question_lines(name: str, questions: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_question_lines(SETS[name][0], questions)


def test_mode_lines(name: str, modes: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_mode_lines(SETS[name][0], modes)


def test_split_record_matches_the_files(
    name: str, questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    sets.check_split_record(SETS[name][0], questions, modes)


def test_sizes_and_mix(
    name: str, questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    sizes = SETS[name][1]
    items = [r for part in PARTS for r in questions[part]]
    assert Counter(r["industry"] for r in items) == sizes
    for industry, size in sizes.items():  # ids run without gaps: nothing was dropped after the split
        numbers = sorted(int(r["id"].rsplit("-", 1)[1]) for r in items if r["industry"] == industry)
        assert numbers == list(range(1, size + 1)), industry
    styles = Counter(r["style"] for r in items)
    assert min(styles.values()) >= 0.06 * len(items) and max(styles.values()) <= 0.2 * len(items), styles
    requests = [r for part in PARTS for r in modes[part]]
    switches = [r for r in requests if r["expect_mode"] is not None]
    assert len(requests) == 160 and 0.5 <= len(switches) / len(requests) <= 0.6
    numbers = sorted(int(r["id"].rsplit("-", 1)[1]) for r in requests)
    assert numbers == list(range(1, 161))
    assert {r["expect_mode"] for r in switches} == {"banking", "insurance", "healthcare", "telecom", "custom"}
    presto = sum("presto" in r["text"].casefold() for r in switches)
    assert 0 < presto < len(switches)  # with and without the magic phrase
    assert sum(bool(r["brand"]) for r in switches) == BRANDS


def test_first_turns_are_not_repeated_within_an_industry(questions: dict[str, list[dict[str, Any]]]) -> None:
    firsts = Counter((r["industry"], r["turns"][0].casefold()) for part in PARTS for r in questions[part])
    assert [k for k, n in firsts.items() if n > 1] == []


@pytest.mark.parametrize("part", PARTS)
def test_every_field_resolves_on_one_persona_per_industry(
    name: str, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sets.check_fields_resolve(SETS[name][0], part, capsys)


def test_the_split_refuses_to_run_again(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = SETS[name][0].folder
    spec = importlib.util.spec_from_file_location(f"{name}_split", folder / "split.py")
    assert spec is not None and spec.loader is not None
    split = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(split)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert split.main() == 1
    assert "the split is final" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
