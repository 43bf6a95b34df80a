"""The second simulator evaluation set (benchmarks/simulator_eval/v2): formats, the split, and its fields resolving.

Nothing here asks the simulator: the fields are resolved on the personas alone (``--check``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "benchmarks" / "simulator_eval"
V2 = EVAL / "v2"
sys.path.insert(0, str(EVAL))

import score_questions  # noqa: E402
from simeval_check import INDUSTRIES, STYLES, check_items  # noqa: E402
from simeval_judge import ANSWER_KINDS, KINDS  # noqa: E402

PARTS = ("dev", "heldout")
MODES = {"banking", "insurance", "healthcare", "telecom", "custom", None}
PREFIXES = {"banking": "bank", "insurance": "ins", "healthcare": "health", "telecom": "tel", "generic": "gen"}


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (V2 / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def questions() -> dict[str, list[dict[str, Any]]]:
    return {part: score_questions.load_items(V2 / f"{part}_questions.jsonl") for part in PARTS}


@pytest.fixture(scope="module")
def modes() -> dict[str, list[dict[str, Any]]]:
    return {part: _rows(f"{part}_mode_requests.jsonl") for part in PARTS}


def test_only_the_split_files_are_kept() -> None:
    kept = {p.name for p in V2.iterdir() if p.suffix == ".jsonl"}
    assert kept == {f"{part}_{name}.jsonl" for part in PARTS for name in ("questions", "mode_requests")}


def test_question_lines(questions: dict[str, list[dict[str, Any]]]) -> None:
    ids = [row["id"] for part in PARTS for row in questions[part]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for part in PARTS:
        assert [r["id"] for r in questions[part]] == sorted(r["id"] for r in questions[part]), f"{part} not in id order"
        for row in questions[part]:
            assert set(row) == {"id", "industry", "turns", "expect", "style"}, row["id"]
            assert row["industry"] in INDUSTRIES and row["style"] in STYLES, row["id"]
            assert row["id"].startswith(f"v2-{PREFIXES[row['industry']]}-"), row["id"]
            assert len(row["turns"]) == len(row["expect"]) and 1 <= len(row["turns"]) <= 4, row["id"]
            assert all(isinstance(t, str) and t.strip() for t in row["turns"]), row["id"]
            for e in row["expect"]:
                assert set(e) == {"kind", "fields"} and e["kind"] in KINDS, row["id"]
                assert bool(e["fields"]) == (e["kind"] in ANSWER_KINDS), row["id"]
            if row["style"] == "follow_up":
                assert len(row["turns"]) >= 2, row["id"]


def test_mode_lines(modes: dict[str, list[dict[str, Any]]]) -> None:
    ids = [row["id"] for part in PARTS for row in modes[part]]
    assert len(ids) == len(set(ids)) and all(i.startswith("v2-mode-") for i in ids)
    for row in (r for part in PARTS for r in modes[part]):
        assert set(row) == {"id", "text", "expect_mode", "brand"}, row["id"]
        assert row["expect_mode"] in MODES, row["id"]
        if row["brand"] is not None:
            assert row["expect_mode"] is not None and row["brand"] in row["text"], row["id"]


def test_split_record_matches_the_files(
    questions: dict[str, list[dict[str, Any]]], modes: dict[str, list[dict[str, Any]]]
) -> None:
    record = json.loads((V2 / "split_record.json").read_text(encoding="utf-8"))
    assert record["seed"] == 20261202 and record["dev_share"] == 0.3
    for name, rows, key in (("questions", questions, "industry"), ("mode_requests", modes, "expect_mode")):
        counted = {part: Counter(str(r[key]) for r in rows[part]) for part in PARTS}
        for stratum, (dev, held) in record["files"][name]["strata_dev_heldout"].items():
            assert (counted["dev"][stratum], counted["heldout"][stratum]) == (dev, held), (name, stratum)
            assert dev == round(0.3 * (dev + held)), (name, stratum)


@pytest.mark.parametrize("part", PARTS)
def test_every_field_resolves_on_one_persona_per_industry(part: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--set", "v2", "--check", "--personas", "1"] + (["--heldout"] if part == "heldout" else [])
    status = score_questions.main(args)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 error(s)" in out


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
        [sys.executable, "-c", code, str(EVAL)], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"  # no responder, simulator or its rules imported
