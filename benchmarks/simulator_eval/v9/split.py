"""Split the ninth evaluation set (mode requests only) once: 30% development, 70% held out, stratified.

    python benchmarks/simulator_eval/v9/split.py

Reads ``mode_requests.jsonl`` (the unsplit file) from this folder and writes ``dev_mode_requests.jsonl``
and ``heldout_mode_requests.jsonl``, then ``split_record.json`` (counts per stratum, the seed, a SHA-256
of the input) and deletes the unsplit file: the split is final. It refuses to run when any output
exists already.

One ``random.Random(20261203)`` is created. Strata: ``expect_mode`` (null as the string "None"),
visited in sorted order of their key. Within a stratum the items start in id order and are shuffled with
``rng.shuffle``; the first ``round(0.3 * n)`` go to development, the rest are held out. Each output
is written in id order.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261203
DEV_SHARE = 0.3
FILES = (("mode_requests", "expect_mode"),)
Rows = list[dict[str, Any]]


def split(rows: Rows, key: str, rng: random.Random) -> tuple[Rows, Rows, dict[str, list[int]]]:
    """Development and held-out rows (each in id order) and per stratum [dev, held-out] counts."""
    strata: dict[str, Rows] = defaultdict(list)
    for row in rows:
        strata[str(row[key])].append(row)
    dev: Rows = []
    held: Rows = []
    counts: dict[str, list[int]] = {}
    for name in sorted(strata):
        members = sorted(strata[name], key=lambda r: r["id"])
        rng.shuffle(members)
        cut = round(DEV_SHARE * len(members))
        dev += members[:cut]
        held += members[cut:]
        counts[name] = [cut, len(members) - cut]
    return sorted(dev, key=lambda r: r["id"]), sorted(held, key=lambda r: r["id"]), counts


def _write(path: Path, rows: Rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main() -> int:
    outputs = [HERE / f"{part}_{name}.jsonl" for name, _ in FILES for part in ("dev", "heldout")]
    if existing := [p.name for p in [*outputs, HERE / "split_record.json"] if p.exists()]:
        print(f"refusing to split again: {', '.join(existing)} exist (the split is final)", file=sys.stderr)
        return 1
    rng = random.Random(SEED)
    record: dict[str, Any] = {"seed": SEED, "dev_share": DEV_SHARE, "files": {}}
    sources = []
    for name, key in FILES:
        source = HERE / f"{name}.jsonl"
        text = source.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        dev, held, counts = split(rows, key, rng)
        _write(HERE / f"dev_{name}.jsonl", dev)
        _write(HERE / f"heldout_{name}.jsonl", held)
        record["files"][name] = {
            "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "stratified_by": key,
            "dev": len(dev),
            "heldout": len(held),
            "strata_dev_heldout": counts,
        }
        sources.append(source)
    (HERE / "split_record.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    for source in sources:
        source.unlink()
    print(json.dumps(record, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
