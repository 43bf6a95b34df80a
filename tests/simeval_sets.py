"""Checks shared by the tests of the later simulator evaluation sets (benchmarks/simulator_eval/v2-v7).

A split set (v2, v3, v6, v7) is a folder of four split files (development and held-out questions and mode
requests), the ``split.py`` that split it once and its ``split_record.json``. A development-only set
(v4, v5) has the two development files alone. Nothing here asks the simulator: the fields are resolved on
the personas alone (``score_questions.py --check``).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "benchmarks" / "simulator_eval"
sys.path.insert(0, str(EVAL))

import score_questions  # noqa: E402
from simeval_check import INDUSTRIES, STYLES  # noqa: E402
from simeval_judge import ANSWER_KINDS, KINDS  # noqa: E402

PARTS = ("dev", "heldout")
MODES = {"banking", "insurance", "healthcare", "telecom", "custom", None}
PREFIXES = {"banking": "bank", "insurance": "ins", "healthcare": "health", "telecom": "tel", "generic": "gen"}
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class EvalSet:
    """One evaluation set: its name (``--set``), the seed and development share its split used, its parts.

    A development-only set has no split: ``parts=("dev",)`` and no seed or share.
    """

    name: str
    seed: int | None = None
    dev_share: float | None = None
    parts: tuple[str, ...] = PARTS

    @property
    def folder(self) -> Path:
        return EVAL / self.name


def rows(path: Path) -> Rows:
    """The JSON lines of a file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def questions(s: EvalSet) -> dict[str, Rows]:
    """Each part's question items, read by the scorer's own loader (which checks turns and kinds)."""
    return {part: score_questions.load_items(s.folder / f"{part}_questions.jsonl") for part in s.parts}


def modes(s: EvalSet) -> dict[str, Rows]:
    """Each part's mode requests."""
    return {part: rows(s.folder / f"{part}_mode_requests.jsonl") for part in s.parts}


def check_only_split_files(s: EvalSet) -> None:
    """Only the parts' files hold items (after a split, the unsplit files were deleted)."""
    kept = {p.name for p in s.folder.iterdir() if p.suffix == ".jsonl"}
    assert kept == {f"{part}_{name}.jsonl" for part in s.parts for name in ("questions", "mode_requests")}


def check_question_lines(s: EvalSet, items: dict[str, Rows]) -> None:
    """Unique ids in id order, the set's prefixes, one expect per turn, known kinds and styles."""
    ids = [row["id"] for part in s.parts for row in items[part]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for part in s.parts:
        assert [r["id"] for r in items[part]] == sorted(r["id"] for r in items[part]), f"{part} not in id order"
        for row in items[part]:
            assert set(row) == {"id", "industry", "turns", "expect", "style"}, row["id"]
            assert row["industry"] in INDUSTRIES and row["style"] in STYLES, row["id"]
            assert row["id"].startswith(f"{s.name}-{PREFIXES[row['industry']]}-"), row["id"]
            assert len(row["turns"]) == len(row["expect"]) and 1 <= len(row["turns"]) <= 4, row["id"]
            assert all(isinstance(t, str) and t.strip() for t in row["turns"]), row["id"]
            for e in row["expect"]:
                assert set(e) == {"kind", "fields"} and e["kind"] in KINDS, row["id"]
                assert bool(e["fields"]) == (e["kind"] in ANSWER_KINDS), row["id"]
            if row["style"] == "follow_up":
                assert len(row["turns"]) >= 2, row["id"]


def check_mode_lines(s: EvalSet, requests: dict[str, Rows]) -> None:
    """Unique ids, known modes, and every brand written in its request's text."""
    ids = [row["id"] for part in s.parts for row in requests[part]]
    assert len(ids) == len(set(ids)) and all(i.startswith(f"{s.name}-mode-") for i in ids)
    for row in (r for part in s.parts for r in requests[part]):
        assert set(row) == {"id", "text", "expect_mode", "brand"}, row["id"]
        assert row["expect_mode"] in MODES, row["id"]
        if row["brand"] is not None:
            assert row["expect_mode"] is not None and row["brand"] in row["text"], row["id"]


def check_split_record(s: EvalSet, items: dict[str, Rows], requests: dict[str, Rows]) -> None:
    """The record's seed, share and per-stratum counts match the files; each stratum's cut is the share."""
    assert s.seed is not None and s.dev_share is not None, f"{s.name} is development only: it has no split"
    record = json.loads((s.folder / "split_record.json").read_text(encoding="utf-8"))
    assert record["seed"] == s.seed and record["dev_share"] == s.dev_share
    for name, parts, key in (("questions", items, "industry"), ("mode_requests", requests, "expect_mode")):
        counted = {part: Counter(str(r[key]) for r in parts[part]) for part in PARTS}
        strata = record["files"][name]["strata_dev_heldout"]
        assert set(strata) == set(counted["dev"]) | set(counted["heldout"]), name
        for stratum, (dev, held) in strata.items():
            assert (counted["dev"][stratum], counted["heldout"][stratum]) == (dev, held), (name, stratum)
            assert dev == round(s.dev_share * (dev + held)), (name, stratum)


def check_fields_resolve(s: EvalSet, part: str, out: Any) -> None:
    """``score_questions.py --set NAME --check`` on one persona per industry: exit 0, no field errors.

    ``out`` is pytest's ``capsys``.
    """
    args = ["--set", s.name, "--check", "--personas", "1"] + (["--heldout"] if part == "heldout" else [])
    status = score_questions.main(args)
    printed = out.readouterr().out
    assert status == 0, printed
    assert "0 error(s)" in printed


__all__ = [
    "EVAL",
    "ROOT",
    "PARTS",
    "EvalSet",
    "check_fields_resolve",
    "check_mode_lines",
    "check_only_split_files",
    "check_question_lines",
    "check_split_record",
    "modes",
    "questions",
    "rows",
]
