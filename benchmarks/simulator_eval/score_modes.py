"""Score mode-request detection on the evaluation set: switch recall, false switches, right industry, brands kept.

    python benchmarks/simulator_eval/score_modes.py            # the development part only
    python benchmarks/simulator_eval/score_modes.py --heldout  # the held-out part (score it once, at the end)
    python benchmarks/simulator_eval/score_modes.py --show 20  # also print the first 20 misses
    python benchmarks/simulator_eval/score_modes.py --set v2   # the second set (v2/), development part
    python benchmarks/simulator_eval/score_modes.py --set v3   # the third set (v3/), development part
    python benchmarks/simulator_eval/score_modes.py --set v4   # the fourth set (v4/), development only
    python benchmarks/simulator_eval/score_modes.py --set v5   # the fifth set (v5/), development only
    python benchmarks/simulator_eval/score_modes.py --set v6   # the sixth set (v6/), development part
    python benchmarks/simulator_eval/score_modes.py --set v7   # the seventh set (v7/), development part
    python benchmarks/simulator_eval/score_modes.py --set v8 --heldout  # the eighth (v8/): mode requests, held out only
    python benchmarks/simulator_eval/score_modes.py --set v9   # the ninth (v9/): mode requests, development part
    python benchmarks/simulator_eval/score_modes.py --set v10 --heldout  # the tenth (v10/): held out only
    python benchmarks/simulator_eval/score_modes.py --set v14 --heldout  # v14/: held out, scored in the seventh round

A request "switches" when ``detect_mode_request`` returns one; it is right when the industry is the
expected built-in (or, for "custom", no built-in: a new custom mode) and, when the item names a brand,
the brand is kept (a request that does not switch loses its brand too). Figures are also split by
expected industry and by whether the text holds "presto". Not a test: this prints figures.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from persona_kit import detect_mode_request

HERE = Path(__file__).resolve().parent
SETS = {
    "v1": HERE, "v2": HERE / "v2", "v3": HERE / "v3", "v4": HERE / "v4", "v5": HERE / "v5", "v6": HERE / "v6",
    "v7": HERE / "v7", "v8": HERE / "v8", "v9": HERE / "v9", "v10": HERE / "v10",
    "v14": HERE / "v14", "v16": HERE / "v16", "v18": HERE / "v18", "v20": HERE / "v20",
}  # fmt: skip
"""Each evaluation set's folder: v1, the first set; v2, the second, written after v1 was tuned against;
v3, the third, written by another outsider after v1 and v2 were both tuned against; v4, a fourth,
development only (no held-out part), written by a fourth outsider; v5, a fifth, development only,
written by a fifth outsider; v6, a sixth, split 20% development and 80% held out, written by a sixth
outsider; v7, a seventh, split 20% development and 80% held out, written by a seventh outsider; v8, mode
requests only, all held out (no development part), written by an eighth outsider; v9, mode requests only,
mostly without the magic phrase, split 30% development and 70% held out, written by a ninth outsider;
v10, mode requests only, all held out, written by a tenth outsider; v14 (v11-v13 hold questions), mode
requests only, all held out, scored before and after the seventh round (seen now); v16, mode requests only,
all held out, written during the seventh round and scored at its start, middle and end (seen now); v18, mode requests
only, all held out, written during the eighth round and scored at its start and end (seen now); v20, mode requests
only, all held out, written during the ninth round and scored at its start and end (seen now)."""


def _share(hits: int, total: int) -> str:
    return f"{hits / total:6.1%} ({hits}/{total})" if total else "   n/a"


def score(path: Path, *, show: int = 0) -> dict[str, float]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tally: Counter[str] = Counter()
    misses: list[str] = []
    for row in rows:
        request = detect_mode_request(row["text"])
        expect, brand = row["expect_mode"], row.get("brand")
        magic = "with presto" if "presto" in row["text"].casefold() else "without presto"
        if expect is None:
            tally["mentions"] += 1
            tally[f"mentions {magic}"] += 1
            if request is not None:
                tally["false_switches"] += 1
                tally[f"false_switches {magic}"] += 1
                misses.append(f"FALSE SWITCH {row['text']!r} -> {request}")
            continue
        for group in ("", f" {expect}", f" {magic}"):
            tally[f"requests{group}"] += 1
        if brand:
            tally["branded"] += 1
        if request is None:
            misses.append(f"NO SWITCH   {row['text']!r} (expected {expect})")
            continue
        tally["switched"] += 1
        got = request.mode_id or "custom"
        if got == expect:
            for group in ("", f" {expect}", f" {magic}"):
                tally[f"right_industry{group}"] += 1
        else:
            misses.append(f"WRONG MODE  {row['text']!r} -> {got} (expected {expect})")
        if brand:
            if (request.company_name or "").casefold() == brand.casefold():
                tally["brand_kept"] += 1
            else:
                misses.append(f"BRAND       {row['text']!r} -> {request.company_name!r} (expected {brand!r})")
    for line in misses[:show]:
        print(line)
    out = {
        "switch recall": tally["switched"] / max(tally["requests"], 1),
        "right industry": tally["right_industry"] / max(tally["requests"], 1),
        "brand kept": tally["brand_kept"] / max(tally["branded"], 1),
        "false switches": tally["false_switches"] / max(tally["mentions"], 1),
    }
    print(f"{path.name}: {tally['requests']} requests, {tally['mentions']} mentions, {tally['branded']} branded")
    print(f"  {'switch recall':<15} {_share(tally['switched'], tally['requests'])}")
    print(f"  {'right industry':<15} {_share(tally['right_industry'], tally['requests'])}")
    print(f"  {'brand kept':<15} {_share(tally['brand_kept'], tally['branded'])}")
    print(f"  {'false switches':<15} {_share(tally['false_switches'], tally['mentions'])}")
    print("  right industry by expected mode:")
    for mode in ("banking", "insurance", "healthcare", "telecom", "custom"):
        print(f"    {mode:<13} {_share(tally[f'right_industry {mode}'], tally[f'requests {mode}'])}")
    for magic in ("with presto", "without presto"):
        right = _share(tally[f"right_industry {magic}"], tally[f"requests {magic}"])
        false = _share(tally[f"false_switches {magic}"], tally[f"mentions {magic}"])
        print(f"  {magic:<15} right industry {right}, false switches {false}")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out part (once, at the end)")
    parser.add_argument("--set", choices=sorted(SETS), default="v1", help="which evaluation set (default v1)")
    parser.add_argument("--show", type=int, default=0, help="print this many misses")
    args = parser.parse_args()
    part = "heldout" if args.heldout else "dev"
    score(SETS[args.set] / f"{part}_mode_requests.jsonl", show=args.show)
