"""persona_kit beside its peers, interleaved: every round runs each generator once, in a rotating order.

    python benchmarks/compare_peers.py            # 1,000,000 personas for the column-wise generators, 3 rounds
    python benchmarks/compare_peers.py --quick    # 100,000 and 2 rounds

Every peer makes as many transactions per persona as persona_kit does on average
(``matched_span``). Each generator builds a size that takes it about a second (the looped peers far fewer
personas than the column-wise ones) and is timed as personas per second. The ratio
persona_kit / peer is taken within each round, where both ran under the same machine
load, and the median of those per-round ratios is reported with the median rates.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import PEERS  # noqa: E402

from persona_kit import generate_population, iter_population  # noqa: E402

SEED = 7
CHUNK = 100_000


@dataclass(frozen=True)
class Contender:
    key: str
    label: str
    size: int
    build: Callable[[int], object]


def _chunked(n: int) -> None:
    for _ in iter_population("banking", n, SEED, chunk_size=CHUNK):
        pass


def matched_span(sample: int = 20_000) -> tuple[int, int]:
    """Transactions per persona for the peers, centred on persona_kit's mean (which moves with the engine)."""
    mean = len(generate_population("banking", sample, SEED)["recent_transactions"]) / sample
    return max(1, round(mean) - 3), round(mean) + 3


def contenders(quick: bool) -> list[Contender]:
    """persona_kit (one batch, and chunks of 100k) and every peer, at their run sizes."""
    big = 100_000 if quick else 1_000_000
    span = matched_span()
    out = [
        Contender(
            "persona_kit",
            f"persona_kit generate_population ({big:,} in one batch)",
            big,
            lambda n: generate_population("banking", n, SEED),
        ),
        Contender("persona_kit_chunked", f"persona_kit iter_population ({big:,}, chunks of {CHUNK:,})", big, _chunked),
    ]
    for peer in PEERS:
        peer.prepare()
        size = peer.sizes[1] if quick else peer.sizes[0]
        out.append(Contender(peer.key, peer.label, size, lambda n, p=peer: p.build(n, SEED, span)))
    # Warm persona_kit's data caches and, with the fast extra, load its compiled kernels (once per process,
    # as the peers build their Faker pools once).
    generate_population("banking", 40_000, SEED)
    return out


def _rate(c: Contender) -> float:
    gc.collect()
    start = time.perf_counter()
    result = c.build(c.size)
    elapsed = time.perf_counter() - start
    del result
    return c.size / elapsed


def measure(quick: bool, rounds: int | None = None) -> list[tuple[str, str, str]]:
    """Rows (generator, median rate, persona_kit / it) from ``rounds`` interleaved rounds."""
    field = contenders(quick)
    rounds = rounds or (2 if quick else 3)
    rates: dict[str, list[float]] = {c.key: [] for c in field}
    for r in range(rounds):
        order = field[r % len(field) :] + field[: r % len(field)]
        for c in order:
            rates[c.key].append(_rate(c))
    ratios = {
        c.key: statistics.median(p / q for p, q in zip(rates["persona_kit"], rates[c.key], strict=True)) for c in field
    }
    rows = []
    for c in field:
        ratio = ratios[c.key]
        shown = "1x (reference)" if c.key == "persona_kit" else (f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2f}x")
        rows.append((f"{c.label}, n={c.size:,}", f"{statistics.median(rates[c.key]):,.0f} personas/s", shown))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 personas, 2 rounds")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 3, --quick 2)")
    args = parser.parse_args()
    rows = measure(args.quick, args.rounds)
    lo, hi = matched_span()
    print(f"| generator (banking; peers {lo}-{hi} transactions each) | median rate | persona_kit / it (round median) |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")


if __name__ == "__main__":
    main()
