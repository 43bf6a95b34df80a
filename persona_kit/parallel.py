"""``persona-kit generate --workers N``: an export's chunks made in N processes and written in order.

The index range is cut into the same chunks a single process makes (``chunk_size``
each), so chunk ``k`` is the same rows either way: persona ``i`` is a pure function
of its key, whatever the split. The N processes are the parent and N - 1 workers.
Each writes a chunk's CSV or JSON Lines bytes to a hidden scratch file (or its
Parquet part files straight into the staging folder) and keeps only the paths;
the parent appends the chunk files to the staged outputs in chunk order
(``sendfile``: in the kernel). The outputs are byte-identical to one process's.
Results stay a few hundred bytes, so a worker killed mid-send cannot leave a half
message in the result pipe (which would hang ``concurrent.futures``).

Little is left serial: the parent's imports, then the forkserver's (started before
the parent's own set-up, which they overlap), and the last chunk. The parent makes
chunks from the start, while the workers are still being started, and whenever the
next chunk in order is not ready yet; each worker has its next chunk queued behind the
one it makes (but for the last few), so no core waits for another.

Workers are started with ``forkserver`` where the platform has it (``spawn``
elsewhere): nothing is inherited but the job description, so the parent may have
threads (a notebook kernel, a server). The forkserver imports pandas and the
engine once, so each worker starts as a cheap fork of it. The command line
(:func:`forking_allowed`) forks its workers instead, on Linux and while it runs a
single Python thread: they inherit its imports, so no second process imports
pandas, pyarrow and persona_kit again (about a second of CPU at every run, a
seventh of a 2,000,000-persona export on 2 cores). Every worker is forked at
once, from the main thread, before the pool's own thread or the feed's starts.
Workers ignore SIGINT and SIGTERM: Ctrl-C reaches the parent, which stops handing
out chunks, waits for the running ones, and lets the export remove its partial files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import multiprocessing
import numbers
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from persona_kit import export
from persona_kit.engine.seeds import Seed
from persona_kit.models.modes import Mode

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from persona_kit.generate import Population

MAX_WORKERS = 256


class WorkerError(export.CommandError):
    """A worker process died (killed, out of memory) before finishing its chunk."""


def check_workers(value: object) -> int:
    """The one ``workers`` check: an integer from 1 to MAX_WORKERS (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= int(value) <= MAX_WORKERS:
        msg = f"workers must be an integer from 1 to {MAX_WORKERS}, got {value!r}"
        raise ValueError(msg)
    return int(value)


@dataclass(frozen=True)
class ExportJob:
    """Everything a worker needs to make chunk ``part`` of an export; picklable, nothing inherited."""

    mode: Mode
    n: int
    seed: Seed
    start: int
    locale: str
    as_of: dt.date
    chunk_size: int
    fmt: str
    staged: dict[str, Path]
    scratch: Path | None = None  # where workers leave CSV/JSONL chunk files for the parent to append

    @property
    def parts(self) -> int:
        """How many chunks the export has (one, with headers only, when ``n`` is 0)."""
        return max(1, -(-self.n // self.chunk_size))

    def part_size(self, part: int) -> int:
        """Personas in chunk ``part``."""
        return max(0, min(self.chunk_size, self.n - part * self.chunk_size))


def chunk_bytes(pop: Population, fmt: str, part: int) -> dict[str, bytes]:
    """What ``export._write_chunk`` appends to each CSV or JSON Lines table for this chunk, as bytes."""
    out: dict[str, bytes] = {}
    for name in ["personas", *pop.tables]:
        frame = pop[name]
        if fmt == ".csv":
            text = frame.to_csv(None, header=part == 0, index=False)  # os.linesep line ends, as to a file
        else:
            step = export.JSONL_BLOCK
            blocks = (frame.iloc[lo : lo + step] for lo in range(0, len(frame), step))
            text = "".join(
                export._jsonl_ready(b).to_json(orient="records", lines=True, force_ascii=False) for b in blocks
            )
            text = text.replace("\n", os.linesep)  # the single-process path writes in text mode
        out[name] = text.encode("utf-8")
    return out


def make_part(job: ExportJob, part: int) -> dict[str, Path]:
    """Make chunk ``part``; returns the file per table it wrote (a scratch chunk file, or a Parquet part)."""
    from persona_kit.generate import iter_population

    first = job.start + part * job.chunk_size
    size = job.part_size(part)
    chunks = iter_population(
        job.mode, size, job.seed, start=first, locale=job.locale, as_of=job.as_of, chunk_size=max(size, 1)
    )
    pop = next(chunks)
    if job.fmt == ".parquet":
        return dict(zip(job.staged, export._write_chunk(pop, job.staged, job.fmt, part), strict=True))
    assert job.scratch is not None
    written = {}
    for name, data in chunk_bytes(pop, job.fmt, part).items():
        path = job.scratch / f"{part:06d}.{name}"
        path.write_bytes(data)
        written[name] = path
    return written


STOP_SIGNALS = {signal.SIGINT, *([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])}


def _quiet_worker() -> None:
    """Worker start: stopping is the parent's to decide (the mask set at start is lifted once they are ignored)."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@contextlib.contextmanager
def _stop_signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back: while workers start (so none dies of one before it can ignore it),
    and while the executor holds its locks (so the parent's handler never runs inside them)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_FORK = threading.local()


@contextlib.contextmanager
def forking_allowed() -> Iterator[None]:
    """Within this block, on this thread, workers may be forked from this process while it runs one Python thread.

    For a process that owns its threads, as the command line does; a library caller (a notebook, a server) keeps
    the forkserver, which inherits nothing.
    """
    before = getattr(_FORK, "allowed", False)
    _FORK.allowed = True
    try:
        yield
    finally:
        _FORK.allowed = before


NO_FORK_ENV = "PERSONA_KIT_NO_FORK"
"""Set (to anything but empty or 0) to start workers from the forkserver even where they could be forked."""


def _forks() -> bool:
    """Whether workers are forked from this process now (see :func:`forking_allowed`)."""
    return (
        getattr(_FORK, "allowed", False)
        and os.environ.get(NO_FORK_ENV, "") in ("", "0")
        and sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _context(fmt: str) -> BaseContext:
    """fork (see :func:`forking_allowed`), else forkserver with the heavy imports done once in the server (each
    worker is then a cheap fork of it), else spawn."""
    if _forks():
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    preload = ["persona_kit.parallel", "persona_kit.generate", "pandas"]
    if fmt == ".parquet":
        preload.append("pyarrow.parquet")
    context.set_forkserver_preload(preload)  # no effect if this process's forkserver already runs
    return context


def _warm(mode: Mode, seed: Seed, locale: str, as_of: dt.date) -> None:
    """A forked worker's first task: one block just big enough to load the compiled kernels (if installed)."""
    from persona_kit.engine.kernels import MIN_PERSONAS
    from persona_kit.generate import iter_population

    next(iter_population(mode, MIN_PERSONAS, seed, locale=locale, as_of=as_of, chunk_size=MIN_PERSONAS))


def start_workers(job: ExportJob, workers: int) -> ProcessPoolExecutor | None:
    """Start the workers of an export now, so that their start overlaps the rest of this process's set-up.

    Forked workers (:func:`forking_allowed`) are forked here and load the compiled kernels while this process
    stages the output; returns their pool, for :func:`write_parts`. Otherwise the forkserver is started (its
    imports overlap instead) and None is returned: :func:`write_parts` makes the pool.
    """
    if not _forks():
        start_forkserver(job.fmt)
        return None
    helpers = max(1, min(check_workers(workers), job.parts) - 1)
    pool = ProcessPoolExecutor(
        max_workers=helpers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_worker
    )
    with _stop_signals_held():  # the first submit forks every worker: here, with one thread and the signals held
        for _ in range(helpers):
            pool.submit(_warm, job.mode, job.seed, job.locale, job.as_of)
    return pool


def start_forkserver(fmt: str) -> None:
    """Start the forkserver now, if that is how workers start, so its imports overlap this process's work.

    It must start with SIGINT and SIGTERM blocked (its workers inherit the mask, and a forkserver
    killed by the Ctrl-C meant for the parent strands them). The resource tracker is started first,
    outside the held mask: starting it unblocks both signals in the calling thread (CPython's
    ``resource_tracker.ensure_running``). Both are no-ops once running.
    """
    if _context(fmt).get_start_method() == "forkserver":
        from multiprocessing import forkserver, resource_tracker  # POSIX only, as the start method

        resource_tracker.ensure_running()
        with _stop_signals_held():
            forkserver.ensure_running()


def _append(out: BinaryIO, chunk: Path) -> None:
    """Append a chunk file to an output and remove it; in the kernel where ``sendfile`` allows."""
    with chunk.open("rb") as src:
        size = os.fstat(src.fileno()).st_size
        sent = 0
        if hasattr(os, "sendfile"):
            while sent < size:
                step = os.sendfile(out.fileno(), src.fileno(), sent, size - sent)
                if step == 0:
                    break
                sent += step
        if sent < size:
            src.seek(sent)
            shutil.copyfileobj(src, out, 1 << 20)
    chunk.unlink()


class _Feed:
    """Hands out chunk numbers in order, to the parent and to the pool; remembers the pool's futures.

    The pool is fed from a thread of our own and then from the executor's result thread (a done
    callback): a worker is given its next chunk the moment it returns one, while the parent is
    busy making a chunk of its own. Both of those threads have SIGINT and SIGTERM blocked, so a
    Ctrl-C can never land inside ``submit`` (which would leave the executor's lock held), and the
    forkserver and its workers, if started from there, start with them blocked too (the workers
    ignore them before lifting the mask). The parent's thread submits only to feed a parked
    worker (below), with the signals held.

    No chunk more than ``ahead`` past the next one to collect is handed out, so the chunks made
    but not yet appended (CSV and JSON Lines scratch files) stay bounded even if one process stalls;
    a worker refused for that is parked and sent its chunk once the parent collects.

    Each worker holds two chunks, one being made and one queued, until only the last ``helpers + 1``
    chunks are left to hand out: from there a worker gets its next chunk only when it returns one, so
    no chunk waits in one worker's queue while another process is idle.
    """

    def __init__(self, job: ExportJob, pool: ProcessPoolExecutor, ahead: int, helpers: int = 1) -> None:
        self.job, self.pool, self.ahead, self.helpers = job, pool, ahead, helpers
        self.lock = threading.Lock()
        self.next = 0
        self.out = 0  # chunks the pool was given and has not returned
        self.limit = ahead  # chunks from here on wait until the parent has collected more
        self.parked = 0  # workers with nothing to do until then
        self.futures: dict[int, Future[dict[str, Path]]] = {}
        self.stopped = False

    def take(self) -> int | None:
        """The next chunk for the parent to make itself; None when none may be handed out now."""
        with self.lock:
            if self.next >= min(self.job.parts, self.limit):
                return None
            self.next += 1
            return self.next - 1

    def collected(self, part: int) -> None:
        """The parent appended chunk ``part``: later chunks may go out, parked workers get theirs."""
        with self.lock:
            self.limit = part + 1 + self.ahead
            parked, self.parked = self.parked, 0
        with _stop_signals_held():  # a Ctrl-C inside submit would leave the executor's lock held
            for _ in range(parked):
                self.send()

    def send(self) -> None:
        """Give the pool the next chunk, if one is left and the run goes on.

        The chunk's future is recorded at once (so every chunk handed out has one), but ``submit``
        runs outside the lock: the first ones wait for the forkserver to start, and the parent must
        be able to take chunks meanwhile.
        """
        with self.lock:
            if self.stopped or self.next >= self.job.parts:
                return
            if self.out >= self.helpers and self.job.parts - self.next <= self.helpers + 1:
                return  # near the end: no second chunk queued for a worker, so none waits behind it
            if self.next >= self.limit:
                self.parked += 1
                return
            part, self.next = self.next, self.next + 1
            self.out += 1
            mirror: Future[dict[str, Path]] = Future()
            self.futures[part] = mirror
        try:
            future = self.pool.submit(make_part, self.job, part)
        except Exception as err:  # a broken or shut-down pool: the parent raises it when it reaches this chunk
            mirror.set_exception(err)
            return
        future.add_done_callback(functools.partial(self._returned, mirror))  # at once if already done

    def _returned(self, mirror: Future[dict[str, Path]], future: Future[dict[str, Path]]) -> None:
        with self.lock:
            self.out -= 1
        if future.cancelled():
            mirror.cancel()
        elif (err := future.exception()) is not None:
            mirror.set_exception(err)  # and no next chunk: the parent stops at this one
        else:
            mirror.set_result(future.result())
            self.send()

    def start(self) -> threading.Thread:
        """The first chunks for the workers, sent from a new thread (starting them takes a while)."""

        def first_chunks() -> None:
            with _stop_signals_held():  # for this thread's life; the executor's thread inherits the mask
                self.send_first()

        thread = threading.Thread(target=first_chunks, name="persona-kit-feed", daemon=True)
        thread.start()
        return thread

    def send_first(self) -> None:
        """Two chunks for each worker: one to make and one queued behind it, so a worker that returns a chunk
        starts the next at once instead of waiting until this process's threads get the GIL to send it one."""
        for _ in range(2 * self.helpers):
            self.send()

    def stop(self) -> None:
        """Hand out nothing more (``shutdown(cancel_futures=True)`` cancels what no worker has started)."""
        with self.lock:
            self.stopped = True

    def future(self, part: int) -> Future[dict[str, Path]] | None:
        """The pool's future for chunk ``part``, if the pool was given it."""
        with self.lock:
            return self.futures.get(part)


def write_parts(
    job: ExportJob, workers: int, progress: export.Progress | None, pool: ProcessPoolExecutor | None = None
) -> list[Path]:
    """Make every chunk in ``workers`` processes (this one and ``workers - 1`` others); returns the Parquet files.

    ``pool``: the workers :func:`start_workers` forked already (shut down here, like a pool made here).

    This process makes chunks too: from the start (while the other workers are still being started,
    which takes about as long as a chunk) and whenever the next chunk in order is not ready, so both
    cores stay busy and the chunks are collected in order as they come.
    """
    helpers = max(1, min(check_workers(workers), job.parts) - 1)
    files: list[Path] = []
    handles: dict[str, BinaryIO] = {}
    scratch = None
    if job.fmt != ".parquet":
        first = job.staged["personas"]
        scratch = Path(tempfile.mkdtemp(prefix=f"{first.name}.", suffix=".chunks.partial", dir=first.parent))
        job = dataclasses.replace(job, scratch=scratch)

    def collect(result: dict[str, Path], part: int) -> None:
        for name, path in result.items():
            if scratch:
                _append(handles[name], path)
            else:
                files.append(path)
        if progress is not None:
            progress.update(job.part_size(part))

    forked = pool is not None or _forks()
    if pool is None:
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=_context(job.fmt), initializer=_quiet_worker)
    feed = _Feed(job, pool, ahead=4 * (helpers + 1), helpers=helpers)  # each worker holds two, one queued
    feeder = None
    try:
        handles = {name: path.open("xb", buffering=0) for name, path in job.staged.items()} if scratch else {}
        feeder = _first_chunks(feed, forked=forked)
        mine: dict[int, dict[str, Path]] = {}
        for done in range(job.parts):
            while done not in mine:
                future = feed.future(done)
                if future is not None and future.done():
                    break
                part = feed.take()
                if part is None:  # every chunk is made or being made, or far enough ahead: wait for this one
                    break
                mine[part] = make_part(job, part)
            collect(mine.pop(done) if done in mine else _result(feed, done), done)
            feed.collected(done)
    except BrokenProcessPool as err:
        msg = f"a worker process stopped before finishing its chunk ({err}); nothing was written"
        raise WorkerError(msg) from None
    finally:
        feed.stop()
        if feeder is not None:
            feeder.join()
        pool.shutdown(wait=True, cancel_futures=True)
        for handle in handles.values():
            handle.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return files


def _first_chunks(feed: _Feed, *, forked: bool) -> threading.Thread | None:
    """The first chunks for the workers: from a new thread (the feed's), or, when workers are forked, from this one (the
    first submit forks every worker, with this the only thread and the stop signals held); the feed's thread."""
    if not forked:
        return feed.start()
    with _stop_signals_held():
        feed.send_first()
    return None


def _result(feed: _Feed, part: int) -> dict[str, Path]:
    """What the pool made for chunk ``part``, once it is done; every chunk not made here is the pool's."""
    future = feed.future(part)
    if future is None:
        msg = f"chunk {part} was never handed out"
        raise RuntimeError(msg)
    return future.result()


__all__ = [
    "MAX_WORKERS",
    "NO_FORK_ENV",
    "ExportJob",
    "WorkerError",
    "check_workers",
    "chunk_bytes",
    "forking_allowed",
    "make_part",
    "start_forkserver",
    "start_workers",
    "write_parts",
]
