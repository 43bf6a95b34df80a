"""``persona-kit generate --workers N``: any number of processes writes the same bytes one process does,
a bad N is one line and exit 2, and an interrupted or broken run leaves nothing behind."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from persona_kit import export, generate_population, get_mode
from persona_kit.cli import main
from persona_kit.parallel import MAX_WORKERS, ExportJob, _Feed, check_workers

if TYPE_CHECKING:
    import psutil

BANKING = ["generate", "banking", "--seed", "5", "-q"]
CODE = "import sys; from persona_kit.cli import main; sys.exit(main())"


def run(*argv: str) -> int:
    return main(list(argv), stdout=io.StringIO())


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (a Parquet dataset's parts and marker included)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_one_two_and_seven_workers_write_identical_bytes(tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra")
    written = {}
    for workers in (1, 2, 7):
        folder = tmp_path / f"w{workers}"
        folder.mkdir()
        argv = [*BANKING, "-n", "130", "--start", "11", "--chunk-size", "20", "--workers", str(workers)]
        assert run(*argv, "-o", str(folder / f"people{suffix}")) == 0
        written[workers] = contents(folder)
    assert len(written[1]) >= 2  # personas and transactions (Parquet: 7 parts each, and the marker)
    assert written[2] == written[1]
    assert written[7] == written[1]


def test_the_parallel_files_hold_the_population(tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    assert run(*BANKING, "-n", "45", "--chunk-size", "10", "--workers", "3", "-o", str(out)) == 0
    expected = generate_population("banking", 45, 5)
    personas = pd.read_csv(out)
    assert list(personas["persona_index"]) == list(range(45))
    assert list(personas["name"]) == list(expected.personas["name"])
    transactions = pd.read_csv(tmp_path / "people.recent_transactions.csv")
    assert list(transactions["amount"]) == list(expected["recent_transactions"]["amount"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "people.recent_transactions.csv"]


def test_workers_leave_no_process_behind(tmp_path: Path) -> None:
    mode = get_mode("banking")
    export.write_population(mode, 40, 5, tmp_path / "p.jsonl", chunk_size=10, workers=2)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", str(MAX_WORKERS + 1), "99999"])
def test_a_bad_worker_count_is_one_line_and_exit_2(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*BANKING, "-n", "5", "--workers", value, "-o", str(tmp_path / "x.csv")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"argument --workers: must be an integer from 1 to {MAX_WORKERS}" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [0, -3, True, 2.0, "2", MAX_WORKERS + 1])
def test_the_api_refuses_a_bad_worker_count_before_writing(tmp_path: Path, value: object) -> None:
    with pytest.raises(ValueError, match=f"workers must be an integer from 1 to {MAX_WORKERS}"):
        check_workers(value)
    with pytest.raises(ValueError, match="workers must be"):
        export.write_population(get_mode("banking"), 5, 1, tmp_path / "x.csv", workers=value)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


class _StopOnSecond(export.Progress):
    def update(self, count: int) -> None:
        super().update(count)
        if self.done > count:
            raise KeyboardInterrupt


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_interrupt_in_the_parent_removes_every_partial_file(tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra")
    progress = _StopOnSecond(200, "x", None)
    with pytest.raises(KeyboardInterrupt):
        export.write_population(
            get_mode("banking"), 200, 5, tmp_path / f"p{suffix}", chunk_size=10, workers=2, progress=progress
        )
    assert list(tmp_path.iterdir()) == []
    assert multiprocessing.active_children() == []


def _workers(parent: Any) -> list[Any]:
    """The worker processes of a command: forks of it (the command line forks them) or of its forkserver."""
    found = []
    for child in parent.children():
        line = " ".join(child.cmdline())
        if "forkserver" in line:
            found += child.children()
        elif "resource_tracker" not in line:
            found.append(child)
    return found


@contextlib.contextmanager
def _running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[psutil.Process]]]:
    """A long three-worker export in its own process group (as a shell runs it), once its workers make chunks.

    ``--workers 3`` is the parent and two worker processes. Yields the process and those two; whatever
    happens, nothing of it outlives the test. Needs psutil (it comes with the dask extra's distributed),
    so the core-only run skips these.
    """
    psutil = pytest.importorskip("psutil")
    argv = [sys.executable, "-c", CODE, *BANKING, "-n", "5000000", "--chunk-size", "5000", "--workers", "3"]
    proc = subprocess.Popen(
        [*argv, "-o", str(tmp_path / "people.csv")], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[psutil.Process] = []
        while len(workers) < 2 or not any(p.stat().st_size > 100_000 for p in tmp_path.iterdir() if p.is_file()):
            assert proc.poll() is None and time.monotonic() < deadline, "the export never started"
            time.sleep(0.05)
            workers = _workers(psutil.Process(proc.pid))
        assert len(workers) == 2  # the parent is the third: it makes chunks too
        yield proc, workers
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


@pytest.mark.parametrize(
    ("sent", "status", "says"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_ctrl_c_to_the_whole_process_group_is_one_line_and_leaves_nothing(
    tmp_path: Path, sent: signal.Signals, status: int, says: str
) -> None:
    """Ctrl-C in a terminal reaches the parent and every worker at once."""
    with _running(tmp_path) as (proc, workers):
        os.killpg(proc.pid, sent)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert err.count("\n") == 1 and f"{says}; nothing was written" in err, err
    assert list(tmp_path.iterdir()) == []
    _, alive = pytest.importorskip("psutil").wait_procs(workers, timeout=10)
    assert alive == []


def test_a_killed_worker_fails_the_run_with_one_line(tmp_path: Path) -> None:
    with _running(tmp_path) as (proc, workers):
        workers[0].kill()  # as the out-of-memory killer would
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert err.count("\n") == 1 and "a worker process stopped" in err and "nothing was written" in err, err
    assert list(tmp_path.iterdir()) == []


class _PoolThatNeverFinishes:
    """Takes chunks and never returns them, as a stalled worker would."""

    def __init__(self) -> None:
        self.given: list[int] = []

    def submit(self, fn: object, job: object, part: int) -> Future[dict[str, Path]]:
        self.given.append(part)
        return Future()


def test_chunks_handed_out_stay_a_bounded_way_ahead_of_the_ones_collected(tmp_path: Path) -> None:
    """However fast the parent or slow a worker, at most ``ahead`` chunks are made but not yet appended."""
    job = ExportJob(get_mode("banking"), 100, 5, 0, "en_US", dt.date(2026, 1, 1), 10, ".csv", {})
    pool = _PoolThatNeverFinishes()
    feed = _Feed(job, pool, ahead=4)  # type: ignore[arg-type]
    feed.send()
    assert pool.given == [0]
    assert [feed.take() for _ in range(4)] == [1, 2, 3, None]
    feed.send()  # a worker asking for more is parked, not refused for good
    assert pool.given == [0]
    feed.collected(0)
    assert pool.given == [0, 4]  # the parked worker got the chunk the collect let out
    assert feed.take() is None
    feed.collected(1)
    assert feed.take() == 5
    assert feed.future(0) is not None and feed.future(4) is not None and feed.future(5) is None


def test_only_a_process_with_one_thread_that_allows_it_forks_its_workers() -> None:
    import threading

    from persona_kit import parallel

    assert not parallel._forks()  # a library call (a notebook, a server): the forkserver, which inherits nothing
    with parallel.forking_allowed():
        assert parallel._forks() == (sys.platform == "linux" and threading.active_count() == 1)
        other = threading.Thread(target=time.sleep, args=(0.3,))
        other.start()
        try:
            assert not parallel._forks()  # another thread might hold a lock the fork would copy
        finally:
            other.join()
    assert not parallel._forks()


def test_the_command_line_forked_workers_write_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for workers in ("1", "3"):
        out = tmp_path / f"w{workers}.csv"
        argv = [sys.executable, "-c", CODE, *BANKING, "-n", "700", "--chunk-size", "100", "--workers", workers]
        subprocess.run([*argv, "-o", str(out), "-q"], check=True, capture_output=True)
        files = tmp_path.glob(f"w{workers}*")
        outputs.append(sorted((p.name.replace(f"w{workers}", "w"), p.read_bytes()) for p in files))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


class _PoolOfFutures:
    """Takes chunks and returns them when the test says so."""

    def __init__(self) -> None:
        self.given: dict[int, Future[dict[str, Path]]] = {}

    def submit(self, fn: object, job: object, part: int) -> Future[dict[str, Path]]:
        self.given[part] = Future()
        return self.given[part]


def test_a_worker_has_its_next_chunk_queued_except_at_the_end() -> None:
    """A worker that returns a chunk starts the next at once (one queued behind the one it makes), so it never
    waits for the parent's threads to send it one; near the end nothing is queued, so none waits behind it."""
    job = ExportJob(get_mode("banking"), 100, 5, 0, "en_US", dt.date(2026, 1, 1), 10, ".csv", {})
    pool = _PoolOfFutures()
    feed = _Feed(job, pool, ahead=40, helpers=1)  # type: ignore[arg-type]
    feed.send_first()
    assert list(pool.given) == [0, 1]
    pool.given[0].set_result({})
    assert list(pool.given) == [0, 1, 2]  # the returned chunk's place in the queue is filled at once
    assert [feed.take() for _ in range(5)] == [3, 4, 5, 6, 7]
    pool.given[1].set_result({})  # two chunks left: the worker makes the one it holds, and gets no second
    assert list(pool.given) == [0, 1, 2]
    assert feed.take() == 8
    pool.given[2].set_result({})
    assert list(pool.given) == [0, 1, 2, 9]
    assert feed.take() is None
