"""persona_kit benchmarks: speed and memory as ratios against a baseline run in the same process.

    python benchmarks/run.py            # full run (about a minute on 2 cores)
    python benchmarks/run.py --quick    # smaller sizes, for a smoke check
    python benchmarks/run.py --write    # also refresh the table in benchmarks/README.md
    python benchmarks/run.py --workers-n 500000 --dask-n 2000000   # smaller scale-out runs

Besides the table below it reports the peers (compare_peers.py), --workers scaling and a
Dask run to Parquet (scale.py), each measured in fresh processes.

Not a test: timings depend on the machine. Tests assert behaviour; this prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline import naive_banking_persona  # noqa: E402
from scale import extra_tables  # noqa: E402

from persona_kit import generate_persona, generate_population  # noqa: E402
from persona_kit.modes import BUILTIN_MODE_IDS  # noqa: E402


def _per_second(fn, count: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def baseline_rate(n: int) -> float:
    return _per_second(lambda: [naive_banking_persona("demo-session", i) for i in range(n)], n)


def population_rate(mode: str, n: int) -> float:
    generate_population(mode, 1000, 7)  # warm caches (data files, vocabularies)
    return _per_second(lambda: generate_population(mode, n, 7), n)


def single_persona_ms(mode: str, calls: int) -> float:
    for i in range(50):
        generate_persona(mode, 7, index=i)
    samples = []
    for i in range(calls):
        t = time.perf_counter()
        generate_persona(mode, 7, index=i)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


MILLION = """
import json, resource, time
from persona_kit import generate_population
t = time.perf_counter()
pop = generate_population("banking", {n}, 7)
elapsed = time.perf_counter() - t
print(json.dumps({{"seconds": elapsed, "transactions": len(pop.tables["recent_transactions"]),
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

IMPORT = """
import sys, time
t = time.perf_counter()
import persona_kit
elapsed = time.perf_counter() - t
heavy = sorted(m for m in ("pandas", "ipywidgets", "openai") if m in sys.modules)
print(elapsed, ",".join(heavy))
"""


def million(n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", MILLION.format(n=n)], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def import_time(runs: int = 7) -> tuple[float, str]:
    times, heavy = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True).stdout.split()
        times.append((time.perf_counter() - start, float(out[0])))
        heavy = out[1] if len(out) > 1 else ""
    return statistics.median(t[0] for t in times), heavy


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--write", action="store_true", help="refresh the results table in benchmarks/README.md")
    parser.add_argument("--workers-n", type=int, default=None, help="personas for --workers scaling (2,000,000)")
    parser.add_argument("--dask-n", type=int, default=None, help="personas for the Dask run (10,000,000)")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    n_base, n_pop, n_million, calls = (100, 20_000, 100_000, 300) if args.quick else (400, 200_000, 1_000_000, 2000)

    rows: list[tuple[str, str, str, str, str]] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    base = baseline_rate(n_base)
    rows.append(("naive baseline (Faker per persona + Pydantic)", f"{base:,.0f} personas/s", "1x", "reference", ""))
    for mode in BUILTIN_MODE_IDS:
        rate = population_rate(mode, n_pop)
        ratio = rate / base
        label = f"population, {mode} ({n_pop:,})"
        rows.append((label, f"{rate:,.0f} personas/s", f"{ratio:,.0f}x", ">= 200x", verdict(ratio >= 200)))
    big = million(n_million)
    met_big = big["seconds"] < 10 and big["peak_rss_mb"] < 3072
    rows.append(
        (
            f"{n_million:,} banking personas + {big['transactions']:,.0f} transactions (fresh process)",
            f"{big['seconds']:.2f} s, peak RSS {big['peak_rss_mb']:,.0f} MB",
            "",
            "< 10 s, < 3,072 MB (for 1,000,000)",
            verdict(met_big) if n_million >= 1_000_000 else "(--quick)",
        )
    )
    for mode in BUILTIN_MODE_IDS:
        ms = single_persona_ms(mode, calls)
        rows.append((f"one persona, {mode} (median of {calls})", f"{ms:.3f} ms", "", "< 0.3 ms", verdict(ms < 0.3)))
    imp, heavy = import_time()
    rows.append(
        (
            "python -c 'import persona_kit' (median of 7, whole process)",
            f"{imp:.3f} s",
            "",
            f"< 0.5 s; heavy modules loaded: {heavy or 'none'}",
            verdict(imp < 0.5 and not heavy),
        )
    )

    header = ("benchmark", "measured", "vs baseline", "target", "verdict")
    table = [f"| {' | '.join(header)} |", "|" + "---|" * len(header)]
    table += [f"| {' | '.join(r)} |" for r in rows]
    table += extra_tables(quick=args.quick, workers_n=args.workers_n, dask_n=args.dask_n)
    machine = f"{platform.machine()} ({_cpu_model()}, {os.cpu_count()} cores), Python {platform.python_version()}"
    machine += f"; load average {load_at_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        machine += "; PYTHONDONTWRITEBYTECODE was set (imports use only .pyc files already on disk)"
    print("\n".join(table))
    print(f"\nmachine: {machine}")
    if args.write:
        readme = HERE / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- results:start -->", "<!-- results:end -->"
        block = (
            f"{start}\nMeasured {time.strftime('%Y-%m-%d')} on {machine} (`python benchmarks/run.py --write`):\n\n"
            + "\n".join(table)
            + f"\n{end}"
        )
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        readme.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
