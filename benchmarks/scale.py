"""Past one core: ``persona-kit generate --workers`` scaling and a Dask run to Parquet on a LocalCluster.

    python benchmarks/scale.py workers --n 2000000          # 1 vs 2 workers, interleaved, Parquet
    python benchmarks/scale.py dask --n 10000000 --memory-limit 2GiB

Every run is a fresh process, so peak memory is that run's own. ``run.py`` calls these.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CLI = "from persona_kit.cli import entry; entry()"  # as the persona-kit command runs
SEED = 7

GENERATE_ONLY = """
import json, time
from persona_kit import iter_population
t = time.perf_counter()
for _ in iter_population("banking", {n}, {seed}, chunk_size={chunk}):
    pass
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""


def _cpu_ticks() -> tuple[int, int]:
    """Ticks of all CPUs since boot from /proc/stat: (total, stolen by the hypervisor); (0, 0) off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except OSError:
        return 0, 0
    # user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of CPU time the hypervisor gave to other guests between two readings of :func:`_cpu_ticks`."""
    total = after[0] - before[0]
    return (after[1] - before[1]) / total if total > 0 else 0.0


def _export_seconds(
    n: int, workers: int, suffix: str, folder: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float, float]:
    """Wall seconds of the whole command, CPU seconds of all its processes and of the parent alone, and the
    share of the machine's CPU time stolen by the hypervisor meanwhile.

    The CPU of all processes is the kernel's count for the command and every process it waited for
    (``wait4``), or, where that is more (workers from the forkserver are not the command's children), the
    sum of every process's CPU read every 0.25 s by a thread of this process, as is the parent's own. A
    sampler every 20 ms took about 5% of a core from the 2-worker runs (which use both) and none from the
    1-worker runs; every 0.25 s costs a twelfth of that.
    """
    import psutil

    ticks = _cpu_ticks()

    out = folder / f"w{workers}{suffix}"
    argv = [sys.executable, "-c", CLI, "generate", "banking", "--seed", str(SEED), "-n", str(n), "-q"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*argv, "--workers", str(workers), "-o", str(out)], stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    sampled: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(proc.pid)
            while not done.wait(0.25):
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        times = p.cpu_times()
                        sampled[p.pid] = times.user + times.system

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stolen = steal_share(ticks, _cpu_ticks())
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, argv)
    _clear(folder)
    # Workers from the forkserver are its children, not the command's, so wait4 does not count them: there
    # the sampled sum is the better count (each process's last quarter second goes uncounted).
    cpu = max(usage.ru_utime + usage.ru_stime, sum(sampled.values()))
    return elapsed, cpu, sampled.get(proc.pid, 0.0), stolen


def _clear(folder: Path) -> None:
    """Remove what a run wrote into the scratch ``folder``."""
    for path in folder.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()


FORKSERVER = -2
"""The run with two workers started from the forkserver (``PERSONA_KIT_NO_FORK``) instead of forked."""
PAIR = -3
"""Two independent 1-worker exports of half the personas each, started at once: what two processes that never
coordinate do on this machine (the ceiling for ``--workers 2``, which also merges its outputs in order)."""


def _pair_seconds(n: int, suffix: str, folder: Path) -> float:
    """Wall seconds of two 1-worker exports of ``n // 2`` personas each, started together, until both end."""
    argv = [sys.executable, "-c", CLI, "generate", "banking", "--seed", str(SEED), "-n", str(n // 2), "-q"]
    start = time.perf_counter()
    procs = [
        subprocess.Popen([*argv, "--workers", "1", "-o", str(folder / f"pair{k}{suffix}")], stdout=subprocess.DEVNULL)
        for k in range(2)
    ]
    codes = [proc.wait() for proc in procs]
    elapsed = time.perf_counter() - start
    if any(codes):
        raise subprocess.CalledProcessError(max(codes), argv)
    _clear(folder)
    return elapsed


def workers_scaling(n: int, rounds: int, suffix: str = ".parquet") -> dict[str, float]:
    """Whole-command seconds for 1 and 2 workers (runs alternate 1, 2, 2 from the forkserver, two independent
    halves at once (:data:`PAIR`), then the other way round); and generation alone.

    With 2 workers the parent is one of them: ``parent_share_two`` is its part of the command's CPU.
    The load average (1 minute) is read before and after, since other load moves the wall clock, and
    so does a busy host: ``steal`` is the largest share of CPU time the hypervisor took during a run
    (on a VM whose host is oversubscribed, a run can lose a quarter of its cores' time). ``ratios`` are
    the speed-ups of each round's pair of runs, to show the spread.
    """
    load_before = os.getloadavg()[0]
    times: dict[int, list[float]] = {1: [], 2: [], FORKSERVER: [], PAIR: []}
    cpus: dict[int, list[float]] = {1: [], 2: [], FORKSERVER: []}
    parent: list[float] = []
    steal: list[float] = []
    no_fork = {"PERSONA_KIT_NO_FORK": "1"}  # workers from the forkserver, as a library call in a notebook starts them
    with tempfile.TemporaryDirectory(prefix="pk-workers-") as tmp:
        for r in range(rounds):
            for run in (1, 2, FORKSERVER, PAIR) if r % 2 == 0 else (PAIR, FORKSERVER, 2, 1):
                if run == PAIR:
                    times[PAIR].append(_pair_seconds(n, suffix, Path(tmp)))
                    continue
                workers, env = (2, no_fork) if run == FORKSERVER else (run, None)
                wall, cpu, own, stolen = _export_seconds(n, workers, suffix, Path(tmp), env)
                steal.append(stolen)
                times[run].append(wall)
                cpus[run].append(cpu)
                if run == 2:
                    parent.append(own / cpu)
    code = GENERATE_ONLY.format(n=n, seed=SEED, chunk=100_000)
    start = time.perf_counter()  # the whole process, as for the exports: imports included
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    gen = time.perf_counter() - start
    one, two = statistics.median(times[1]), statistics.median(times[2])
    cpu_one, cpu_two = statistics.median(cpus[1]), statistics.median(cpus[2])
    return {
        "n": n,
        "one": one,
        "two": two,
        "speedup": one / two,
        "generate_only": gen,
        "cpu_one": cpu_one,
        "cpu_two": cpu_two,
        "parent_share_two": statistics.median(parent),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "steal": max(steal),
        "two_forkserver": statistics.median(times[FORKSERVER]),
        "cpu_two_forkserver": statistics.median(cpus[FORKSERVER]),
        "ratios": [a / b for a, b in zip(times[1], times[2], strict=True)],
        "pair": statistics.median(times[PAIR]),
        "pair_ratios": [a / b for a, b in zip(times[1], times[PAIR], strict=True)],
    }


def peak_rss_mb() -> float:
    """This process's peak resident set since it started (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> bool:
    from persona_kit import generate_population

    return len(generate_population("banking", 10, SEED).personas) == 10


def dask_run(n: int, memory_limit: str, partition_size: int, *, tuned: bool = True) -> dict[str, object]:
    """Write ``n`` banking personas and their transactions to Parquet on a 2-worker LocalCluster."""
    from distributed import Client, LocalCluster

    from persona_kit.dask import tune_workers, write_parquet

    if tuned:
        tune_workers()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, memory_limit=memory_limit, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
        tempfile.TemporaryDirectory(prefix="pk-dask-", dir=os.environ.get("PK_BENCH_DIR")) as tmp,
    ):
        client.run(_warm)  # workers import the engine before the clock starts
        start = time.perf_counter()
        written = write_parquet("banking", n, SEED, f"{tmp}/people.parquet", partition_size=partition_size)
        seconds = time.perf_counter() - start
        workers = client.run(peak_rss_mb)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    return {
        "n": n,
        "seconds": seconds,
        "rows": written.rows,
        "parts": written.parts,
        "worker_peak_mb": sorted(workers.values()),
        "client_peak_mb": peak_rss_mb(),
        "bytes": size,
        "memory_limit": memory_limit,
        "partition_size": partition_size,
        "tuned": tuned,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    w = sub.add_parser("workers")
    w.add_argument("--n", type=int, default=2_000_000)
    w.add_argument("--rounds", type=int, default=2)
    w.add_argument("--format", default=".parquet", choices=[".parquet", ".csv", ".jsonl"])
    d = sub.add_parser("dask")
    d.add_argument("--n", type=int, default=10_000_000)
    d.add_argument("--memory-limit", default="2GiB")
    d.add_argument("--partition-size", type=int, default=100_000)
    d.add_argument("--untuned", action="store_true", help="workers without persona_kit.dask.tune_workers()")
    args = parser.parse_args()
    if args.what == "workers":
        print(json.dumps(workers_scaling(args.n, args.rounds, args.format)))
    else:
        print(json.dumps(dask_run(args.n, args.memory_limit, args.partition_size, tuned=not args.untuned)))


if __name__ == "__main__":
    main()


# --- the tables run.py adds to its report ------------------------------------------------

ASSUMED_USD_PER_VCPU_HOUR = 0.04  # an assumption (on-demand general-purpose cloud vCPU, 2026); put in your own


def _fresh(*argv: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True, check=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def _markdown(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return [f"| {' | '.join(header)} |", "|" + "---|" * len(header), *(f"| {' | '.join(r)} |" for r in rows)]


KEPT_MEMORY = {
    "MALLOC_MMAP_THRESHOLD_": "4294967296",
    "MALLOC_TRIM_THRESHOLD_": "8589934592",
    "MALLOC_TOP_PAD_": "1073741824",
}
"""glibc settings under which freed memory stays in the process: large arrays are reused, not fresh ``mmap``s."""


def kept_memory_peers(quick: bool) -> list[str]:
    """``compare_peers.py``'s table, run in a fresh process under :data:`KEPT_MEMORY`."""
    argv = [sys.executable, str(Path(__file__).with_name("compare_peers.py")), *(["--quick"] if quick else [])]
    done = subprocess.run(argv, env={**os.environ, **KEPT_MEMORY}, capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines() if line.startswith("|")]


def extra_tables(*, quick: bool, workers_n: int | None = None, dask_n: int | None = None) -> list[str]:
    """The peers, --workers and Dask tables, as Markdown lines (each measured in fresh processes)."""
    from compare_peers import matched_span, measure

    lo, hi = matched_span()
    lines = [
        "",
        f"Peers, interleaved (banking; the peers make {lo}-{hi} transactions each, persona_kit's mean "
        "in the middle; `compare_peers.py`):",
        "",
    ]
    peers = measure(quick)
    lines += _markdown(("generator", "median rate", "persona_kit / it (median per round)"), peers)
    lines += [
        "",
        "The same, in a fresh process with glibc keeping freed memory (`KEPT_MEMORY`), so that no generator pays "
        "for fresh pages (on a VM that hands freed memory back to its host, fresh pages cost several times reused "
        "ones, and persona_kit's chunks reuse theirs while the peers allocate anew): the comparison of the code alone.",
        "",
        *kept_memory_peers(quick),
    ]

    n_workers = workers_n or (200_000 if quick else 2_000_000)
    scaling = _fresh("workers", "--n", str(n_workers), "--rounds", "4")
    one, two, gen, cpu_one, cpu_two = (
        float(scaling[k])  # type: ignore[arg-type]
        for k in ("one", "two", "generate_only", "cpu_one", "cpu_two")
    )
    share, load_in, load_out, steal = (
        float(scaling[k])  # type: ignore[arg-type]
        for k in ("parent_share_two", "load_before", "load_after", "steal")
    )
    spread = ", ".join(f"{r:.2f}x" for r in scaling["ratios"])  # type: ignore[union-attr]
    two_fs, cpu_two_fs = float(scaling["two_forkserver"]), float(scaling["cpu_two_forkserver"])  # type: ignore[arg-type]
    pair = float(scaling["pair"])  # type: ignore[arg-type]
    pair_spread = ", ".join(f"{r:.2f}x" for r in scaling["pair_ratios"])  # type: ignore[union-attr]
    rows = [
        (
            f"generate -n {n_workers:,} -o x.parquet, 1 worker",
            f"{one:.2f} s (CPU {cpu_one:.1f} s)",
            f"{n_workers / one:,.0f} personas/s",
            "",
        ),
        (
            f"generate -n {n_workers:,} -o x.parquet, --workers 2",
            f"{two:.2f} s (CPU {cpu_two:.1f} s, all processes)",
            f"{n_workers / two:,.0f} personas/s",
            f"{one / two:.2f}x (target >= 1.6x at 2,000,000: "
            + ("met)" if one / two >= 1.6 else "MISSED)" if n_workers >= 2_000_000 else "not judged at this n)"),
        ),
        (
            f"generate -n {n_workers:,} -o x.parquet, --workers 2, workers from the forkserver "
            "(PERSONA_KIT_NO_FORK=1: how a library call in a notebook starts them)",
            f"{two_fs:.2f} s (CPU {cpu_two_fs:.1f} s, all processes)",
            f"{n_workers / two_fs:,.0f} personas/s",
            f"{one / two_fs:.2f}x",
        ),
        (
            f"two independent exports of {n_workers // 2:,} at once, 1 worker each (never coordinating: what 2 "
            "processes do on this machine)",
            f"{pair:.2f} s (both done)",
            f"{n_workers / pair:,.0f} personas/s",
            f"{one / pair:.2f}x, the ceiling: --workers 2 reaches {(one / two) / (one / pair):.0%} of it",
        ),
        (
            f"iter_population {n_workers:,}, chunks of 100k, nothing written (1 process, whole command)",
            f"{gen:.2f} s",
            f"{n_workers / gen:,.0f} personas/s",
            f"writing Parquet is {max(0.0, 1 - gen / one):.0%} of the 1-worker command",
        ),
    ]
    lines += [
        "",
        "Both cores (`scale.py workers`: whole commands in fresh processes, each round 1, 2, 2 from the forkserver "
        "and two independent halves at once, then the other way round, four rounds; the command line forks its "
        "workers):",
        "",
    ]
    lines += _markdown(("run", "wall time", "rate", "speed-up"), rows)
    lines += [
        "",
        f"CPU seconds are the kernel's count for every process of the command (`wait4`; the process tree is "
        f"read only every 0.25 s, since sampling it every 20 ms took about 5% of a core from the 2-worker "
        f"runs): 2 workers spent "
        f"{cpu_two / cpu_one:.2f}x the CPU of 1, so on 2 otherwise idle cores the speed-up can reach about "
        f"{2 * cpu_one / cpu_two:.2f}x less the startup of the workers; the parent is one of the 2 and spent "
        f"{share:.0%} of that CPU (`--workers N` is the parent and N - 1 started processes). "
        f"Load average {load_in:.2f} before, {load_out:.2f} after; at most {steal:.0%} of the machine's CPU time "
        f"was stolen by the hypervisor during a run; each round's own ratio: {spread} (two independent halves: "
        f"{pair_spread}). Under load or steal "
        "the wall-clock ratio says more about the other processes than about persona_kit.",
    ]

    n_dask = dask_n or (1_000_000 if quick else 10_000_000)
    d = _fresh("dask", "--n", str(n_dask))
    seconds, rows_by_table = float(d["seconds"]), d["rows"]  # type: ignore[arg-type]
    assert isinstance(rows_by_table, dict)
    peaks = [float(x) for x in d["worker_peak_mb"]]  # type: ignore[union-attr]
    client = float(d["client_peak_mb"])  # type: ignore[arg-type]
    size = float(d["bytes"])  # type: ignore[arg-type]
    rate = n_dask / seconds
    lines += [
        "",
        f"Dask (`scale.py dask`: LocalCluster, 2 worker processes x 1 thread, memory_limit {d['memory_limit']}, "
        "`tune_workers()`):",
        "",
    ]
    lines += _markdown(
        ("run", "measured"),
        [
            (
                f"write_parquet {n_dask:,} banking personas + {rows_by_table['recent_transactions']:,} transactions, "
                f"{d['parts']} partitions of {d['partition_size']:,}",
                f"{seconds:.1f} s ({rate:,.0f} personas/s), {size / 1e6:,.0f} MB on disk",
            ),
            (
                "peak RSS per worker (getrusage ru_maxrss, read on each worker after the run)",
                ", ".join(f"{p:,.0f} MB" for p in peaks),
            ),
            (
                "peak RSS in total (both workers + the client process, which hosts the scheduler)",
                f"{sum(peaks) + client:,.0f} MB",
            ),
        ],
    )
    per_core = rate / 2
    billion = 1e9
    core_hours = billion / per_core / 3600
    lines += [
        "",
        f"A 1,000,000,000-persona run by extrapolation: {core_hours:,.0f} core-hours at the measured "
        f"{per_core:,.0f} personas/s per worker core; {core_hours / 64 * 60:,.0f} min on 64 single-thread workers; "
        f"about {size / n_dask * billion / 1e12:,.2f} TB of Parquet; about "
        f"${core_hours * ASSUMED_USD_PER_VCPU_HOUR:,.2f} at an assumed ${ASSUMED_USD_PER_VCPU_HOUR}/vCPU-hour. "
        "Assumes linear scaling (partitions are independent; no shuffle), storage that absorbs "
        f"{64 * per_core * size / n_dask / 1e6:,.0f} MB/s, and the same per-core rate on the cluster's cores.",
    ]
    return lines
