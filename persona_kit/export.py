"""Population export for ``persona-kit generate``: chunked CSV, JSON Lines or a Parquet dataset that loses nothing.

An existing output is refused unless ``force``; a Parquet dataset folder carries
``_persona_kit.json`` listing the files it holds, and replacing it removes only
those. Everything is written under hidden ``.<name>.<random>.partial`` names
beside the output and renamed into place when complete, so an interrupted or
failed run leaves nothing that looks finished.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from persona_kit._version import __version__
from persona_kit.engine.seeds import Seed
from persona_kit.generate import DEFAULT_AS_OF, DEFAULT_LOCALE
from persona_kit.models.modes import Mode
from persona_kit.modes import ModeCatalogue, get_mode

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    from persona_kit.generate import Population
    from persona_kit.parallel import ExportJob

FORMATS = (".csv", ".jsonl", ".parquet")
DATASET_MARKER = "_persona_kit.json"
DEFAULT_CHUNK = 100_000
JSONL_BLOCK = 20_000


class CommandError(Exception):
    """A failure while running a command (exit status 1)."""


class BadArgumentError(CommandError):
    """A bad argument found only once the command runs, such as an output that exists (exit status 2)."""


class Progress:
    """A progress line on stderr: redrawn in place on a terminal, one line per update otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None, *, enabled: bool = True) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream if enabled else None
        self.live = bool(self.stream is not None and self.stream.isatty())

    def update(self, count: int) -> None:
        """Count ``count`` more personas as written."""
        self.done += count
        if self.stream is None:
            return
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        line = f"{self.label} [{bar:<30}] {self.done:,}/{self.total:,} ({share:.0%})"
        self.stream.write(f"\r{line}" if self.live else f"{line}\n")
        self.stream.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.stream is not None and self.live:
            self.stream.write("\n")
            self.stream.flush()


def _jsonl_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` (pandas would write epoch milliseconds)."""
    out = frame.copy(deep=False)
    for name in frame.columns:
        if frame[name].dtype.kind == "M":
            out[name] = frame[name].to_numpy().astype("datetime64[D]").astype(str)
    return out


def table_paths(output: Path, tables: Iterable[str]) -> dict[str, Path]:
    """Where each table goes: ``out.csv`` (personas) and ``out.<table>.csv``; Parquet: ``out.parquet/<table>/``."""
    suffix = output.suffix.lower()
    names = ["personas", *tables]
    if suffix == ".parquet":
        return {name: output / name for name in names}
    return {name: output if name == "personas" else output.with_name(f"{output.stem}.{name}{suffix}") for name in names}


def _write_chunk(pop: Population, paths: dict[str, Path], fmt: str, part: int) -> list[Path]:
    """Append one chunk to each table; returns the files written (Parquet: one new part per table)."""
    written = []
    for name, path in paths.items():
        frame = pop[name]
        if fmt == ".csv":
            frame.to_csv(path, mode="w" if part == 0 else "a", header=part == 0, index=False)
        elif fmt == ".jsonl":
            with path.open("w" if part == 0 else "a", encoding="utf-8") as fh:
                for lo in range(0, len(frame), JSONL_BLOCK):  # pandas builds the whole text in memory first
                    block = _jsonl_ready(frame.iloc[lo : lo + JSONL_BLOCK])
                    fh.write(block.to_json(orient="records", lines=True, force_ascii=False))
        else:
            path.mkdir(exist_ok=True)
            frame.to_parquet(path / f"part-{part:05d}.parquet", index=False)
        written.append(path / f"part-{part:05d}.parquet" if fmt == ".parquet" else path)
    return written


def _partial_name(path: Path) -> Path:
    """A hidden name beside ``path`` (same folder, so the final rename is atomic) that does not look finished."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")


def _dataset_files(folder: Path) -> set[str] | None:
    """The files a persona_kit dataset folder lists in its marker (itself included); None if it has no marker."""
    try:
        listed = json.loads((folder / DATASET_MARKER).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list) or not all(isinstance(name, str) and _inside(name) for name in listed):
        return None  # a marker that names anything outside the folder is no marker
    return {*listed, DATASET_MARKER}


def _inside(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and ".." not in parts and "" not in parts


def _foreign_files(folder: Path, ours: set[str]) -> list[str]:
    """Files (and links) under ``folder`` that are not in ``ours``, as relative paths."""
    return sorted(
        rel
        for item in folder.rglob("*")
        if (item.is_symlink() or not item.is_dir()) and (rel := item.relative_to(folder).as_posix()) not in ours
    )


def check_output(output: Path, tables: Iterable[str], *, force: bool) -> dict[str, Path]:
    """The final path of each table, once it is sure writing there loses nothing that was not asked for.

    An existing output is refused unless ``force``; even then a Parquet folder is replaced only
    when everything in it is listed in its ``_persona_kit.json`` (persona_kit wrote it).
    """
    if not output.parent.is_dir():
        msg = f"argument -o/--output: folder {output.parent} does not exist"
        raise BadArgumentError(msg)
    paths = table_paths(output, tables)
    if output.suffix.lower() == ".parquet":
        if not os.path.lexists(output):
            return paths
        if not force:
            msg = f"argument -o/--output: {output} already exists; pass --force to replace it"
            raise BadArgumentError(msg)
        if output.is_symlink() or not output.is_dir():
            msg = f"argument -o/--output: {output} is not a dataset folder persona_kit wrote; move it or choose another"
            raise BadArgumentError(msg)
        ours = _dataset_files(output) or set()
        foreign = _foreign_files(output, ours)
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            msg = (
                f"argument -o/--output: {output} holds files persona_kit did not write ({shown}); "
                "--force replaces only what persona_kit wrote: move them or choose another name"
            )
            raise BadArgumentError(msg)
        return paths
    for path in paths.values():
        if path.is_dir() and not path.is_symlink():
            msg = f"argument -o/--output: {path} is a folder"
            raise BadArgumentError(msg)
        if os.path.lexists(path) and not force:
            msg = f"argument -o/--output: {path} already exists; pass --force to replace it"
            raise BadArgumentError(msg)
    return paths


def _replace_dataset(staged: Path, output: Path) -> None:
    """Swap the staged dataset folder in; then remove what the old one listed, and nothing else."""
    if not os.path.lexists(output):
        staged.rename(output)
        return
    ours = _dataset_files(output) or set()
    if _foreign_files(output, ours):  # appeared while we were writing
        msg = f"{output} gained files persona_kit did not write while it ran; it was left as it was"
        raise CommandError(msg)
    old = _partial_name(output)
    output.rename(old)
    try:
        staged.rename(output)
    except BaseException:
        old.rename(output)  # put the previous dataset back as it was
        raise
    for name in sorted(ours, key=lambda n: -n.count("/")):
        (old / name).unlink(missing_ok=True)
    for folder in sorted((d for d in old.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    old.rmdir()


def _staging(output: Path, final: dict[str, Path]) -> tuple[Path | None, dict[str, Path]]:
    """Where each table is written until complete: a hidden sibling file, or (Parquet) a hidden sibling folder."""
    if output.suffix.lower() != ".parquet":
        return None, {name: _partial_name(path) for name, path in final.items()}
    folder = _partial_name(output)
    folder.mkdir()
    return folder, {name: folder / name for name in final}


def _discard(folder: Path | None, staged: dict[str, Path]) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)  # the staging folder is ours, all of it
        return
    for path in staged.values():
        path.unlink(missing_ok=True)


def write_population(
    mode: Mode,
    n: int,
    seed: Seed,
    output: Path,
    *,
    start: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    chunk_size: int = DEFAULT_CHUNK,
    modes: ModeCatalogue | None = None,
    progress: Progress | None = None,
    force: bool = False,
    workers: int = 1,
) -> list[Path]:
    """Write personas ``start .. start+n-1`` chunk by chunk; memory stays bounded by ``chunk_size``.

    Everything is written under hidden ``.<name>.<random>.partial`` names in the output's folder
    and renamed into place only when complete, so an interrupted or failed run leaves nothing
    that looks finished (and removes its partial files). An existing output is refused unless
    ``force``; a Parquet dataset folder carries ``_persona_kit.json`` listing its files, and
    replacing it removes only those. ``workers`` > 1 makes the chunks in that many processes
    (:mod:`persona_kit.parallel`); the files are byte-identical to one process's.
    """
    from persona_kit.generate import iter_population
    from persona_kit.parallel import ExportJob, check_workers, start_workers

    fmt = output.suffix.lower()
    if fmt not in FORMATS:
        ext = output.suffix or "(none)"
        msg = f"argument -o/--output: unsupported extension {ext!r} in {output}; use one of: {', '.join(FORMATS)}"
        raise BadArgumentError(msg)
    if fmt == ".parquet" and importlib.util.find_spec("pyarrow") is None:
        msg = "writing Parquet needs pyarrow: pip install 'persona-kit[parquet]' (or write .csv / .jsonl)"
        raise CommandError(msg)
    workers = check_workers(workers)
    chunks = iter_population(mode, n, seed, start=start, locale=locale, as_of=as_of, chunk_size=chunk_size, modes=modes)
    job = ExportJob(get_mode(mode, modes), n, seed, start, locale, as_of, chunk_size, fmt, {})
    parallel = workers > 1 and job.parts > 1
    pool = start_workers(job, workers) if parallel else None  # their start overlaps the set-up below
    try:
        return _write(job, output, chunks, workers, progress, pool, force=force)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)  # already done, unless the set-up failed


def _write(
    job: ExportJob,
    output: Path,
    chunks: Iterator[Population],
    workers: int,
    progress: Progress | None,
    pool: ProcessPoolExecutor | None,
    *,
    force: bool,
) -> list[Path]:
    from persona_kit.generate import iter_population
    from persona_kit.parallel import write_parts

    mode, fmt = job.mode, job.fmt
    tables = next(iter_population(mode, 0, job.seed, locale=job.locale, as_of=job.as_of)).tables
    final = check_output(output, tables, force=force)
    folder, staged = _staging(output, final)
    files: list[Path] = []
    job = dataclasses.replace(job, staged=staged)
    seed, start, n = job.seed, job.start, job.n
    try:
        if workers > 1 and job.parts > 1:
            files = write_parts(job, workers, progress, pool)
        else:
            for part, pop in enumerate(chunks):
                files += _write_chunk(pop, staged, fmt, part)
                if progress is not None:
                    progress.update(len(pop.personas))
        if folder is None:
            for name, path in staged.items():
                os.replace(path, final[name])
        else:
            listed = [f.relative_to(folder).as_posix() for f in files]
            about = {"written_by": f"persona-kit {__version__}", "mode": mode.id, "seed": seed, "start": start, "n": n}
            (folder / DATASET_MARKER).write_text(json.dumps({**about, "files": listed}, indent=1) + "\n", "utf-8")
            _replace_dataset(folder, output)
    except BaseException:
        _discard(folder, staged)
        raise
    return list(final.values())


__all__ = [
    "DATASET_MARKER",
    "DEFAULT_CHUNK",
    "FORMATS",
    "BadArgumentError",
    "CommandError",
    "Progress",
    "check_output",
    "table_paths",
    "write_population",
]
