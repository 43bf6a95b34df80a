"""The seventh simulator evaluation set (benchmarks/simulator_eval/v7): formats, the split, and its fields resolving.

Nothing here asks the simulator: the fields are resolved on the personas alone (``--check``).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from typing import Any

import pytest
import simeval_sets as sets
from simeval_sets import PARTS, EvalSet

V7 = EvalSet("v7", seed=20261207, dev_share=0.2)
SIZES = {"banking": 150, "insurance": 150, "healthcare": 150, "telecom": 150, "generic": 50}


@pytest.fixture(scope="module")
def questions() -> dict[str, list[dict[str, Any]]]:
    return sets.questions(V7)


@pytest.fixture(scope="module")
def modes() -> dict[str, list[dict[str, Any]]]:
    return sets.modes(V7)


def test_only_the_split_files_are_kept() -> None:
    sets.check_only_split_files(V7)


def test_question_lines(questions: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_question_lines(V7, questions)


def test_mode_lines(modes: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_mode_lines(V7, modes)


def test_split_record_matches_the_files(
    questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    sets.check_split_record(V7, questions, modes)


def test_sizes_and_mix(questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]) -> None:
    items = [r for part in PARTS for r in questions[part]]
    assert Counter(r["industry"] for r in items) == SIZES
    for industry, size in SIZES.items():  # ids run without gaps: nothing was dropped after the split
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
    assert sum(bool(r["brand"]) for r in switches) == 17


def test_first_turns_are_not_repeated_within_an_industry(questions: dict[str, list[dict[str, Any]]]) -> None:
    firsts = Counter((r["industry"], r["turns"][0].casefold()) for part in PARTS for r in questions[part])
    assert [k for k, n in firsts.items() if n > 1] == []


@pytest.mark.parametrize("part", PARTS)
def test_every_field_resolves_on_one_persona_per_industry(part: str, capsys: pytest.CaptureFixture[str]) -> None:
    sets.check_fields_resolve(V7, part, capsys)


def test_the_split_refuses_to_run_again(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("v7_split", V7.folder / "split.py")
    assert spec is not None and spec.loader is not None
    split = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(split)
    before = {p.name: p.stat().st_mtime_ns for p in V7.folder.iterdir()}
    assert split.main() == 1
    assert "the split is final" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in V7.folder.iterdir()} == before
