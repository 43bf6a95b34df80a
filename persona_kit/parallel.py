"""``persona-kit generate --workers N``: an export's chunks made in N processes and written in order.

The index range is cut into the same chunks a single process makes (``chunk_size``
each), so chunk ``k`` is the same rows either way: persona ``i`` is a pure function
of its key, whatever the split. Workers write a chunk's CSV or JSON Lines bytes to
a hidden scratch file (or its Parquet part files straight into the staging folder)
and return only the paths; the parent, which makes chunk 0 itself while the
workers start, appends the chunk files to the staged outputs in chunk order
(``sendfile``: in the kernel). The outputs are byte-identical to one process's.
Results stay a few hundred bytes, so a worker killed mid-send cannot leave a half
message in the result pipe (which would hang ``concurrent.futures``).

Workers are started with ``forkserver`` where the platform has it (``spawn``
elsewhere), never plain ``fork``: nothing is inherited but the job description,
so the parent may have threads (a notebook kernel, a server). The forkserver
imports pandas and the engine once, so each worker starts as a cheap fork of it.
Workers ignore SIGINT and SIGTERM: Ctrl-C reaches the parent, which stops handing
out chunks, waits for the running ones, and lets the export remove its partial files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import multiprocessing
import numbers
import os
import shutil
import signal
import tempfile
from collections import deque
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
IN_FLIGHT = 2  # chunks queued per worker: enough to keep it busy, few enough to bound memory and scratch space


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


def _context(fmt: str) -> BaseContext:
    """forkserver with the heavy imports done once in the server (each worker is then a cheap fork); else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    preload = ["persona_kit.parallel", "persona_kit.generate", "pandas"]
    if fmt == ".parquet":
        preload.append("pyarrow.parquet")
    context.set_forkserver_preload(preload)  # no effect if this process's forkserver already runs
    return context


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


def write_parts(job: ExportJob, workers: int, progress: export.Progress | None) -> list[Path]:
    """Make every chunk in up to ``workers`` processes and assemble them in order; returns the Parquet files.

    The parent makes chunk 0 itself while the workers start (the forkserver's imports take
    about as long as a chunk), then only collects.
    """
    workers = max(1, min(check_workers(workers), job.parts - 1))
    files: list[Path] = []
    handles: dict[str, BinaryIO] = {}
    pending: deque[Future[dict[str, Path]]] = deque()
    parts = iter(range(1, job.parts))
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

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(job.fmt), initializer=_quiet_worker)
    try:
        handles = {name: path.open("xb", buffering=0) for name, path in job.staged.items()} if scratch else {}
        with _stop_signals_held():  # every worker is started by these first submits
            pending.extend(pool.submit(make_part, job, p) for p in itertools.islice(parts, workers * IN_FLIGHT))
        collect(make_part(job, 0), 0)
        for done in itertools.count(1):
            if not pending:
                break
            result = pending.popleft().result()
            with _stop_signals_held():  # a Ctrl-C inside submit would leave the executor's lock held
                pending.extend(pool.submit(make_part, job, p) for p in itertools.islice(parts, 1))
            collect(result, done)
    except BrokenProcessPool as err:
        msg = f"a worker process stopped before finishing its chunk ({err}); nothing was written"
        raise WorkerError(msg) from None
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        for handle in handles.values():
            handle.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return files


__all__ = ["MAX_WORKERS", "ExportJob", "WorkerError", "check_workers", "chunk_bytes", "make_part", "write_parts"]
