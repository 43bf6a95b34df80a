"""persona_kit.dask: any partition count computes generate_population's rows, child tables are partitioned
alongside, write_parquet writes the CLI's dataset, all on a real two-process LocalCluster."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from helpers import exec_doc_block

from persona_kit import generate_population
from persona_kit.cli import main

distributed = pytest.importorskip("distributed", reason="needs the dask extra")
pkdask = pytest.importorskip("persona_kit.dask", reason="needs the dask extra")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """Two worker processes, one thread each: partitions really travel between processes.

    ``dashboard_address=":0"``: with ``None`` distributed still serves HTTP on 8787, which another cluster may hold.
    """
    import dask

    environ = "distributed.nanny.pre-spawn-environ"
    before = dict(dask.config.get(environ))
    pkdask.tune_workers()
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c
    dask.config.set({environ: before})


def test_tuned_workers_start_with_a_fixed_mmap_threshold(client: distributed.Client) -> None:
    seen = client.run(lambda: __import__("os").environ.get("MALLOC_MMAP_THRESHOLD_"))
    assert set(seen.values()) == {str(pkdask.WORKER_ENVIRON["MALLOC_MMAP_THRESHOLD_"])}


@pytest.mark.parametrize(("mode", "npartitions"), [("banking", 1), ("banking", 2), ("banking", 7), ("telecom", 7)])
def test_any_partition_count_computes_generate_populations_rows(client: object, mode: str, npartitions: int) -> None:
    expected = generate_population(mode, 45, 9, start=100)
    pop = pkdask.population_frames(mode, 45, 9, start=100, npartitions=npartitions)
    assert pop.personas.npartitions == npartitions
    personas = pop.personas.compute()
    pd.testing.assert_frame_equal(personas, expected.personas)  # values, dtypes (categories too) and index
    assert dict(pop.personas.dtypes) == dict(expected.personas.dtypes)  # the meta says what compute gives
    assert set(pop.tables) == set(expected.tables)
    for name, table in pop.tables.items():
        assert table.npartitions == npartitions
        assert table.divisions == pop.personas.divisions  # partitioned alongside the personas
        rows = table.compute()
        assert list(rows.index) == list(rows["persona_index"] - 100)  # a child's index is its persona's row
        pd.testing.assert_frame_equal(rows.reset_index(drop=True), expected[name])
        assert dict(table.dtypes) == dict(expected[name].dtypes)


def test_partition_size_sets_the_blocks_and_each_block_is_its_slice(client: object) -> None:
    pop = pkdask.population_frames("healthcare", 25, "s", partition_size=10)
    assert pop.blocks == ((0, 10), (10, 20), (20, 25))
    assert pop.personas.divisions == (0, 10, 20, 24)
    third = pop.personas.get_partition(2).compute()
    pd.testing.assert_frame_equal(
        third.reset_index(drop=True), generate_population("healthcare", 5, "s", start=20).personas
    )


def test_children_join_their_personas_partition_by_partition(client: object) -> None:
    pop = pkdask.population_frames("banking", 30, 4, npartitions=3)
    joined = pop.personas[["persona_index", "name"]].join(pop["recent_transactions"], rsuffix="_t", how="inner")
    assert joined.npartitions == 3  # aligned divisions: no shuffle
    rows = joined.compute()
    assert (rows["persona_index"] == rows["persona_index_t"]).all()
    assert len(rows) == len(generate_population("banking", 30, 4)["recent_transactions"])


def test_write_parquet_writes_the_clis_dataset_byte_for_byte(client: object, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    written = pkdask.write_parquet("banking", 47, 2, str(tmp_path / "d.parquet"), start=3, partition_size=10)
    assert written.parts == 5
    expected = generate_population("banking", 47, 2, start=3)
    assert written.rows == {"personas": 47, "recent_transactions": len(expected["recent_transactions"])}
    argv = ["generate", "banking", "--seed", "2", "-n", "47", "--start", "3", "--chunk-size", "10", "-q"]
    assert main([*argv, "-o", str(tmp_path / "cli.parquet")], stdout=io.StringIO()) == 0
    ours, theirs = tmp_path / "d.parquet", tmp_path / "cli.parquet"
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    for name in files:
        if name == "_persona_kit.json":
            mine, cli = (json.loads((d / name).read_text(encoding="utf-8")) for d in (ours, theirs))
            assert mine == cli
        else:
            assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    assert list(pd.read_parquet(ours / "personas")["name"]) == list(expected.personas["name"])


def test_write_parquet_refuses_an_existing_path(tmp_path: Path) -> None:
    (tmp_path / "d.parquet").mkdir()
    with pytest.raises(FileExistsError, match="already exists"):
        pkdask.write_parquet("banking", 5, 1, str(tmp_path / "d.parquet"))


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"n": -1}, "n must be an integer from 0"),
        ({"n": 5, "npartitions": 0}, "npartitions must be a positive integer"),
        ({"n": 5, "partition_size": True}, "partition_size must be a positive integer"),
        ({"n": 5, "start": 2**35}, "start"),
    ],
)
def test_bad_arguments_fail_on_the_client_before_any_task(kwargs: dict[str, int], says: str) -> None:
    n = kwargs.pop("n")
    with pytest.raises(ValueError, match=says):
        pkdask.population_frames("banking", n, 1, **kwargs)


def test_more_partitions_than_personas_gives_one_per_persona_and_none_empty() -> None:
    assert pkdask.blocks_for(3, npartitions=7) == [(0, 1), (1, 2), (2, 3)]
    assert pkdask.blocks_for(0, npartitions=7) == [(0, 0)]


def test_importing_persona_kit_loads_no_dask_and_a_missing_extra_names_it() -> None:
    heavy = "('dask', 'distributed', 'fsspec')"
    code = f"import sys, persona_kit, persona_kit.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    blocked = "import sys; sys.modules['dask'] = None; import persona_kit.dask"
    err = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, check=False).stderr
    assert "ImportError: persona_kit.dask needs the dask extra: pip install 'persona-kit[dask]'" in err


def test_the_local_example_in_the_docs_runs() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "past-one-machine.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) == 1, "one runnable block (the cluster one is marked notest)"
    exec_doc_block(blocks[0], "docs/past-one-machine.md", {"__name__": "doc"})


def test_the_last_indices_of_the_range_work() -> None:
    last = 2**35 - 3
    pop = pkdask.population_frames("banking", 3, 1, start=last, npartitions=2)
    pd.testing.assert_frame_equal(pop.personas.compute(), generate_population("banking", 3, 1, start=last).personas)
