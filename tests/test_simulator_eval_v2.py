"""The second simulator evaluation set (benchmarks/simulator_eval/v2): formats, the split, and its fields resolving.

Nothing here asks the simulator: the fields are resolved on the personas alone (``--check``). The
checks themselves are shared with the later sets (``simeval_sets``).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import simeval_sets as sets
from simeval_check import check_items
from simeval_sets import EVAL, PARTS, EvalSet

V2 = EvalSet("v2", seed=20261202, dev_share=0.3)


@pytest.fixture(scope="module")
def questions() -> dict[str, list[dict[str, Any]]]:
    return sets.questions(V2)


@pytest.fixture(scope="module")
def modes() -> dict[str, list[dict[str, Any]]]:
    return sets.modes(V2)


def test_only_the_split_files_are_kept() -> None:
    sets.check_only_split_files(V2)


def test_question_lines(questions: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_question_lines(V2, questions)


def test_mode_lines(modes: dict[str, list[dict[str, Any]]]) -> None:
    sets.check_mode_lines(V2, modes)


def test_split_record_matches_the_files(
    questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    sets.check_split_record(V2, questions, modes)


@pytest.mark.parametrize("part", PARTS)
def test_every_field_resolves_on_one_persona_per_industry(part: str, capsys: pytest.CaptureFixture[str]) -> None:
    sets.check_fields_resolve(V2, part, capsys)


def test_the_check_reports_a_bad_field() -> None:
    bad = {
        "id": "v2-bank-9999",
        "industry": "banking",
        "style": "plain",
        "turns": ["hi", "balance?"],
        "expect": [{"kind": "smalltalk", "fields": ["checking_balance"]}, {"kind": "answer", "fields": ["chequing"]}],
    }
    report = check_items([bad], [0], "en_US")
    assert len(report.errors) == 2
    assert "takes no fields" in report.errors[0] and "unknown field 'chequing'" in report.errors[1]


def test_the_check_never_loads_the_simulator() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import score_questions as s; "
        "s.main(['--set', 'v2', '--check', '--personas', '1']); "
        "print(sorted(m for m in sys.modules if m.startswith('persona_kit.ai')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EVAL)], capture_output=True, text=True, check=True, cwd=sets.ROOT, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"  # no responder, simulator or its rules imported
