"""Populations as Dask DataFrames, on a laptop or a cluster (the ``dask`` extra).

:func:`population_frames` cuts the index range into blocks and builds one Dask
DataFrame per table with ``dask.dataframe.from_map``, one partition per block.
Persona ``i`` is a pure function of its key, so any partition count computes the
same rows as :func:`persona_kit.generate_population`: ``personas.compute()`` is its
``personas`` frame (index included) and ``tables[name].compute()`` its child table.
Child tables are partitioned alongside the personas: partition ``k`` of every
table comes from the same block, and a child row's index is its persona's row
(``persona_index - start``), so every table shares the personas' divisions and
joins on the index need no shuffle.

Each table's graph generates its blocks on its own: computing personas and
transactions together generates every block twice. :func:`write_parquet`
generates each block once and writes every table's part from it; use it for
exports. Nothing here needs a cluster; with ``distributed`` the same calls run on
whatever ``Client`` is current (``Client("tcp://scheduler:8786")`` for a real one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

try:
    import dask
    import dask.dataframe as dd
    import fsspec  # type: ignore[import-untyped]
except ImportError as err:  # pragma: no cover - exercised in a subprocess without dask
    msg = "persona_kit.dask needs the dask extra: pip install 'persona-kit[dask]'"
    raise ImportError(msg) from err

import pandas as pd

from persona_kit._version import __version__
from persona_kit.engine.seeds import Seed, check_index, seed_key
from persona_kit.generate import (
    DEFAULT_AS_OF,
    DEFAULT_LOCALE,
    MAX_POPULATION,
    Population,
    check_as_of,
    check_whole,
    generate_population,
)
from persona_kit.models.modes import Mode
from persona_kit.modes import ModeCatalogue, get_mode

if TYPE_CHECKING:
    pass

_from_map = cast("Callable[..., dd.DataFrame]", dd.from_map)  # dask leaves it untyped

DEFAULT_PARTITION = 100_000
WORKER_ENVIRON = {"MALLOC_MMAP_THRESHOLD_": 32 * 2**20}
"""Environment for ``distributed`` workers: apply before the cluster starts, see :func:`tune_workers`.

distributed starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``; setting any glibc malloc
threshold freezes the mmap threshold at 128 KiB, so every column temporary is a fresh mmap
that is page-faulted in again. Measured on 2 cores: 0.75-0.85 s of CPU per 100,000-persona
block instead of 0.37-0.46 s. A fixed 32 MiB mmap threshold restores the in-process speed;
the trim threshold (returning freed memory to the OS) is left as distributed sets it.
"""
DATASET_MARKER = "_persona_kit.json"  # the same marker `persona-kit generate -o x.parquet` writes
META_SAMPLE = 256  # personas drawn on the client to learn every column's dtype


def tune_workers() -> None:
    """Make clusters started from now on in this process (``LocalCluster``, nannies) use WORKER_ENVIRON.

    For a real cluster put the same in the workers' Dask config
    (``distributed.nanny.pre-spawn-environ``) or their environment.
    """
    dask.config.set({f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in WORKER_ENVIRON.items()})


@dataclass(frozen=True)
class BlockSpec:
    """What every partition needs: picklable, the same on the client and on every worker."""

    mode: Mode
    seed: Seed
    start: int
    locale: str
    as_of: dt.date

    def __dask_tokenize__(self) -> tuple[object, ...]:
        """A deterministic graph key: the same population and split give the same tasks."""
        return (self.mode.model_dump_json(), repr(self.seed), self.start, self.locale, self.as_of, __version__)

    def population(self, lo: int, hi: int) -> Population:
        """Rows ``lo .. hi-1`` of the population (persona indices ``start+lo .. start+hi-1``)."""
        return generate_population(
            self.mode, hi - lo, self.seed, start=self.start + lo, locale=self.locale, as_of=self.as_of
        )


def _aligned(frame: pd.DataFrame, table: str, lo: int, hi: int, start: int) -> pd.DataFrame:
    """The personas' index is their row; a child row's index is its persona's row."""
    if table == "personas":
        frame.index = pd.RangeIndex(lo, hi)
    else:
        frame.index = pd.Index(frame["persona_index"].to_numpy() - start, dtype="int64")
    return frame


@dataclass(frozen=True)
class TablePartition:
    """``from_map``'s function: one table of one block, with the dtypes of ``meta``."""

    spec: BlockSpec
    table: str
    meta: pd.DataFrame

    def __call__(self, block: tuple[int, int]) -> pd.DataFrame:
        lo, hi = block
        frame = _aligned(self.spec.population(lo, hi)[self.table], self.table, lo, hi, self.spec.start)
        odd = {c: t for c, t in self.meta.dtypes.items() if frame[c].dtype != t}  # an empty block's strings
        return frame.astype(odd) if odd else frame


@dataclass(frozen=True)
class DaskPopulation:
    """A population as Dask DataFrames: ``personas`` and one frame per list field, partitioned alike."""

    mode_id: str
    personas: dd.DataFrame
    tables: dict[str, dd.DataFrame]
    blocks: tuple[tuple[int, int], ...]

    def __getitem__(self, name: str) -> dd.DataFrame:
        """``population["recent_transactions"]`` or ``population["personas"]``."""
        return self.personas if name == "personas" else self.tables[name]


def blocks_for(
    n: int, *, partition_size: int = DEFAULT_PARTITION, npartitions: int | None = None
) -> list[tuple[int, int]]:
    """Row ranges ``(lo, hi)`` covering ``0 .. n-1``: ``npartitions`` even blocks, else ``partition_size`` each.

    At most ``n`` blocks (none empty); ``n`` = 0 gives one empty block.
    """
    n = check_whole(n, "n", f"an integer from 0 to {MAX_POPULATION}", 0, MAX_POPULATION)
    if npartitions is not None:
        count = min(check_whole(npartitions, "npartitions", "a positive integer", 1, MAX_POPULATION), max(n, 1))
        edges = [n * k // count for k in range(count + 1)]
    else:
        size = check_whole(partition_size, "partition_size", "a positive integer", 1, MAX_POPULATION)
        edges = [*range(0, n, size), n] if n else [0, 0]
    return list(pairwise(edges))


def _spec(
    mode_id: str | Mode, seed: Seed, start: int, n: int, locale: str, as_of: dt.date, modes: ModeCatalogue | None
) -> BlockSpec:
    """Every argument checked on the client, before any task is built."""
    seed_key(seed)
    first = check_index(start, name="start")
    check_index(first + max(n - 1, 0), name="start + n - 1")
    return BlockSpec(get_mode(mode_id, modes), seed, first, locale, check_as_of(as_of))


def _metas(spec: BlockSpec) -> dict[str, pd.DataFrame]:
    """Each table's empty frame with the dtypes its partitions have (from the first personas: any would do)."""
    sample = dataclasses.replace(spec, start=0).population(0, META_SAMPLE)
    return {name: _aligned(sample[name], name, 0, META_SAMPLE, 0).iloc[:0] for name in ["personas", *sample.tables]}


def population_frames(
    mode_id: str | Mode,
    n: int,
    seed: Seed,
    *,
    start: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    partition_size: int = DEFAULT_PARTITION,
    npartitions: int | None = None,
    modes: ModeCatalogue | None = None,
) -> DaskPopulation:
    """Personas ``start .. start+n-1`` as lazy Dask DataFrames, one partition per block of rows."""
    blocks = blocks_for(n, partition_size=partition_size, npartitions=npartitions)
    spec = _spec(mode_id, seed, start, n, locale, as_of, modes)
    metas = _metas(spec)
    divisions = (*(lo for lo, _ in blocks), n - 1) if n else None
    frames = {}
    with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' own str dtype, as generate_population
        for name, meta in metas.items():
            frames[name] = _from_map(
                TablePartition(spec, name, meta),
                blocks,
                meta=meta,
                divisions=divisions,
                label=f"persona-kit-{spec.mode.id}-{name}".replace("_", "-"),
                enforce_metadata=False,
            )
    personas = frames.pop("personas")
    return DaskPopulation(spec.mode.id, personas, frames, tuple(blocks))


# --- one pass to Parquet ------------------------------------------------------------------


@dataclass(frozen=True)
class BlockWriter:
    """``from_map``'s function for :func:`write_parquet`: generate a block once, write every table's part."""

    spec: BlockSpec
    root: str
    storage_options: dict[str, Any] | None

    def __call__(self, block: tuple[int, int], part: int) -> pd.DataFrame:
        lo, hi = block
        pop = self.spec.population(lo, hi)
        rows = {}
        for name in ["personas", *pop.tables]:
            frame = pop[name]
            frame.to_parquet(
                f"{self.root}/{name}/part-{part:05d}.parquet", index=False, storage_options=self.storage_options
            )
            rows[name] = len(frame)
        return pd.DataFrame({"part": [part], "table": [list(rows)], "rows": [list(rows.values())]})


@dataclass(frozen=True)
class ParquetDataset:
    """What :func:`write_parquet` wrote: the root, and the rows per table."""

    path: str
    rows: dict[str, int]
    parts: int


def write_parquet(
    mode_id: str | Mode,
    n: int,
    seed: Seed,
    path: str,
    *,
    start: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    partition_size: int = DEFAULT_PARTITION,
    npartitions: int | None = None,
    modes: ModeCatalogue | None = None,
    storage_options: dict[str, Any] | None = None,
) -> ParquetDataset:
    """Write the population as a Parquet dataset at ``path`` (a folder or an fsspec URL), each block generated once.

    The layout is ``persona-kit generate -o x.parquet``'s: ``<table>/part-NNNNN.parquet`` and a
    ``_persona_kit.json`` listing the files, written last, so a dataset without it is incomplete
    (an object store has no atomic rename). An existing ``path`` is refused. Workers must
    all reach ``path``: a shared folder, or object storage such as ``s3://bucket/people.parquet``.
    """
    blocks = blocks_for(n, partition_size=partition_size, npartitions=npartitions)
    spec = _spec(mode_id, seed, start, n, locale, as_of, modes)
    fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
    if fs.exists(root):
        msg = f"{path} already exists; write_parquet does not replace datasets: remove it or choose another"
        raise FileExistsError(msg)
    tables = ["personas", *generate_population(spec.mode, 0, spec.seed, locale=locale, as_of=as_of).tables]
    for name in tables:
        fs.makedirs(f"{root}/{name}", exist_ok=True)
    meta = pd.DataFrame(
        {"part": pd.Series(dtype="int64"), "table": pd.Series(dtype=object), "rows": pd.Series(dtype=object)}
    )
    writer = BlockWriter(spec, path.rstrip("/"), storage_options)
    with dask.config.set({"dataframe.convert-string": False}):
        done = _from_map(
            writer,
            blocks,
            list(range(len(blocks))),
            meta=meta,
            enforce_metadata=False,
            label=f"persona-kit-{spec.mode.id}-parquet",
        )
    summary: pd.DataFrame = done.compute()  # type: ignore[no-untyped-call]
    rows = dict.fromkeys(tables, 0)
    for names, counts in zip(summary["table"], summary["rows"], strict=True):
        for name, count in zip(names, counts, strict=True):
            rows[name] += count
    files = [f"{name}/part-{part:05d}.parquet" for part in range(len(blocks)) for name in tables]
    about = {"written_by": f"persona-kit {__version__}", "mode": spec.mode.id, "seed": seed, "start": start, "n": n}
    with fs.open(f"{root}/{DATASET_MARKER}", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({**about, "files": files}, indent=1) + "\n")
    return ParquetDataset(path, rows, len(blocks))


__all__ = [
    "DEFAULT_PARTITION",
    "BlockSpec",
    "DaskPopulation",
    "ParquetDataset",
    "blocks_for",
    "WORKER_ENVIRON",
    "population_frames",
    "tune_workers",
    "write_parquet",
]
