"""persona-kit generate loses nothing: existing outputs need --force, foreign files are never deleted,
an interrupted or failed run leaves nothing that looks finished, and every bad argument is one line, exit 2."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from persona_kit import export, generate_population
from persona_kit.cli import main

BANKING = ["generate", "banking", "--seed", "1", "-q"]


def run(*argv: str) -> int:
    return main(list(argv), stdout=io.StringIO())


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), f"expected one line, got {err!r}"
    assert "Traceback" not in err
    return err


# --- existing outputs ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_an_existing_file_is_refused_without_force(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"people{suffix}"
    assert run(*BANKING, "-n", "200", "-o", str(out)) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    capsys.readouterr()
    assert run(*BANKING, "-n", "10", "-o", str(out)) == 2
    assert "already exists; pass --force to replace it" in one_line_error(capsys)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert run(*BANKING, "-n", "10", "-o", str(out), "--force") == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10 + (suffix == ".csv")
    assert names(tmp_path) == sorted(before)


def test_an_existing_table_file_is_refused_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = tmp_path / "people.recent_transactions.csv"
    child.write_text("keep me\n", encoding="utf-8")
    assert run(*BANKING, "-n", "5", "-o", str(tmp_path / "people.csv")) == 2
    assert "people.recent_transactions.csv already exists" in one_line_error(capsys)
    assert names(tmp_path) == ["people.recent_transactions.csv"]
    assert child.read_text(encoding="utf-8") == "keep me\n"


def test_a_symlinked_output_is_refused_and_force_replaces_the_link_not_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious.csv"
    precious.write_text("a,b\n1,2\n", encoding="utf-8")
    link = tmp_path / "people.csv"
    link.symlink_to(precious)
    assert run(*BANKING, "-n", "5", "-o", str(link)) == 2
    one_line_error(capsys)
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert run(*BANKING, "-n", "5", "-o", str(dangling)) == 2
    assert "already exists" in one_line_error(capsys)
    assert run(*BANKING, "-n", "5", "-o", str(link), "--force") == 0
    assert precious.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert not link.is_symlink()
    assert len(pd.read_csv(link)) == 5


def test_a_folder_is_not_a_csv_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "people.csv").mkdir()
    assert run(*BANKING, "-n", "5", "-o", str(tmp_path / "people.csv"), "--force") == 2
    assert "is a folder" in one_line_error(capsys)


def _parquet(tmp_path: Path) -> Path:
    pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra")
    return tmp_path / "people.parquet"


def test_a_parquet_dataset_lists_what_it_wrote(tmp_path: Path) -> None:
    out = _parquet(tmp_path)
    assert run(*BANKING, "-n", "30", "--chunk-size", "10", "-o", str(out)) == 0
    marker = json.loads((out / "_persona_kit.json").read_text(encoding="utf-8"))
    assert marker["mode"] == "banking" and marker["n"] == 30 and marker["seed"] == 1
    assert sorted(marker["files"]) == sorted(p.relative_to(out).as_posix() for p in out.rglob("part-*.parquet"))
    assert len(marker["files"]) == 6
    assert names(tmp_path) == ["people.parquet"]
    assert len(pd.read_parquet(out / "personas")) == 30


def test_parquet_force_replaces_only_what_persona_kit_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _parquet(tmp_path)
    assert run("generate", "insurance", "--seed", "1", "-q", "-n", "200000", "-o", str(out)) == 0
    assert run(*BANKING, "-n", "1000", "-o", str(out)) == 2
    assert "already exists; pass --force" in one_line_error(capsys)
    assert len(pd.read_parquet(out / "personas")) == 200_000
    foreign = out / "personas" / "part-99999.parquet"
    foreign.write_bytes(b"someone else's")
    assert run(*BANKING, "-n", "1000", "-o", str(out), "--force") == 2
    err = one_line_error(capsys)
    assert "holds files persona_kit did not write (personas/part-99999.parquet)" in err
    assert foreign.read_bytes() == b"someone else's"
    assert len(pd.read_parquet(out / "personas" / "part-00000.parquet")) == 100_000
    foreign.unlink()
    assert run(*BANKING, "-n", "1000", "-o", str(out), "--force") == 0
    assert names(out) == ["_persona_kit.json", "personas", "recent_transactions"]
    assert len(pd.read_parquet(out / "personas")) == 1000
    assert names(tmp_path) == ["people.parquet"]


@pytest.mark.parametrize("content", ["notes.txt", "personas/notes.txt"])
def test_a_folder_persona_kit_did_not_write_is_never_replaced(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _parquet(tmp_path)
    (out / content).parent.mkdir(parents=True)
    (out / content).write_text("mine", encoding="utf-8")
    assert run(*BANKING, "-n", "5", "-o", str(out), "--force") == 2
    assert f"holds files persona_kit did not write ({content})" in one_line_error(capsys)
    assert (out / content).read_text(encoding="utf-8") == "mine"


def test_an_empty_folder_may_be_replaced_with_force(tmp_path: Path) -> None:
    out = _parquet(tmp_path)
    out.mkdir()
    assert run(*BANKING, "-n", "5", "-o", str(out)) == 2
    assert run(*BANKING, "-n", "5", "-o", str(out), "--force") == 0
    assert len(pd.read_parquet(out / "personas")) == 5


# --- interrupted and failed runs ----------------------------------------------------


def _fail_on_second_chunk(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    real = export._write_chunk

    def flaky(pop: Any, paths: Any, fmt: str, part: int) -> list[Path]:
        if part == 1:
            raise error
        return real(pop, paths, fmt, part)

    monkeypatch.setattr(export, "_write_chunk", flaky)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_ctrl_c_leaves_nothing_and_exits_130(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra")
    _fail_on_second_chunk(monkeypatch, KeyboardInterrupt())
    assert run(*BANKING, "-n", "50", "--chunk-size", "10", "-o", str(tmp_path / f"people{suffix}")) == 130
    assert one_line_error(capsys).startswith("persona-kit: interrupted; nothing was written")
    assert names(tmp_path) == []


def test_ctrl_c_keeps_the_previous_output_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "people.csv"
    assert run(*BANKING, "-n", "30", "-o", str(out)) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _fail_on_second_chunk(monkeypatch, KeyboardInterrupt())
    assert run(*BANKING, "-n", "50", "--chunk-size", "10", "-o", str(out), "--force") == 130
    one_line_error(capsys)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_full_disk_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_on_second_chunk(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    assert run(*BANKING, "-n", "50", "--chunk-size", "10", "-o", str(tmp_path / "people.csv")) == 1
    err = one_line_error(capsys)
    assert "No space left on device; nothing was written" in err
    assert names(tmp_path) == []


@pytest.mark.parametrize(
    ("sent", "status", "says"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_a_real_signal_mid_run(tmp_path: Path, sent: signal.Signals, status: int, says: str) -> None:
    """The reported case: Ctrl-C during -n 5000000 left a clean-looking CSV and a traceback."""
    code = "import sys; from persona_kit.cli import main; sys.exit(main())"
    out = tmp_path / "people.csv"
    argv = [sys.executable, "-c", code, *BANKING, "-n", "5000000", "--chunk-size", "20000", "-o", str(out)]
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 100_000 for p in tmp_path.iterdir() if p.is_file()):
        assert proc.poll() is None and time.monotonic() < deadline, "the export never started"
        time.sleep(0.05)
    assert all(p.name.startswith(".people.") and p.name.endswith(".partial") for p in tmp_path.iterdir())
    proc.send_signal(sent)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status
    assert err.count("\n") == 1 and f"{says}; nothing was written" in err, err
    assert names(tmp_path) == []


def test_written_outputs_are_complete(tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    assert run(*BANKING, "-n", "25", "--chunk-size", "7", "-o", str(out)) == 0
    expected = generate_population("banking", 25, 1)
    assert list(pd.read_csv(out)["persona_index"]) == list(range(25))
    assert len(pd.read_csv(tmp_path / "people.recent_transactions.csv")) == len(expected["recent_transactions"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- bad arguments: one line naming it, exit 2 ---------------------------------------


THEME = dict.fromkeys(("primary", "secondary", "background", "surface", "text", "text_muted"), "#FFFFFF")
MODE = {"id": "gym", "name": "Gym", "company_name": "Peak", "theme": THEME, "system_prompt": "Hi."}
MODE_FILES: dict[str, bytes] = {
    "deep.json": b"[" * 200_000 + b"]" * 200_000,
    "hugeint.json": b'{"modes": [' + b"9" * 5000 + b"]}",
    "latin1.json": json.dumps({**MODE, "company_name": "Café"}, ensure_ascii=False).encode("latin-1"),
    "kind.json": json.dumps({**MODE, "id": "banking", "persona_kind": "generic"}).encode(),
    "js.json": json.dumps({**MODE, "hero_image": "javascript:alert(1)"}).encode(),
}
SHOW = ["show", "banking", "--seed", "1"]
GEN = ["generate", "banking", "--seed", "1", "-q"]
BAD: list[tuple[list[str], str]] = [
    ([*SHOW, "--as-of", "1800-01-01"], "argument --as-of: must be a date as YYYY-MM-DD from 1900-01-01 to 2200-12-31"),
    ([*SHOW, "--as-of", "9999-12-31"], "argument --as-of"),
    (["payload", "banking", "--seed", "1", "--indent", "-5"], "argument --indent: must be an integer from 0 to 16"),
    (["payload", "banking", "--seed", "1", "--indent", "99999999"], "argument --indent"),
    ([*GEN, "-n", str(2**35), "--start", "1", "-o", "x.csv"], "argument --start: start + n must be at most 2**35"),
    ([*GEN, "-n", "5", "--chunk-size", "9" * 17, "-o", "x.csv"], "argument --chunk-size"),
    ([*GEN, "-n", "9" * 5000, "-o", "x.csv"], "argument -n"),
    ([*SHOW, "--index", str(2**35)], "argument --index"),
    ([*SHOW, "--modes-file", "{dir}/deep.json"], "argument --modes-file: .*deep.json: not valid JSON: nested too"),
    ([*SHOW, "--modes-file", "{dir}/hugeint.json"], "argument --modes-file: .*Exceeds the limit \\(4300 digits\\)"),
    ([*SHOW, "--modes-file", "{dir}/latin1.json"], "argument --modes-file: .*not UTF-8 text: byte 0xe9"),
    ([*SHOW, "--modes-file", "{dir}/kind.json"], "argument --modes-file: .*must keep persona_kind 'banking'"),
    ([*SHOW, "--modes-file", "{dir}/js.json"], "argument --modes-file: .*hero_image"),
    ([*GEN, "-n", "5", "-o", "/missing_dir/x.csv"], "argument -o/--output: folder /missing_dir does not exist"),
    ([*GEN, "-n", "5", "-o", "x.xlsx"], "argument -o/--output: unsupported extension"),
    (["show", "bank", "--seed", "1"], "argument MODE: unknown mode 'bank'"),
    ([*SHOW, "--locale", "xx_XX"], "argument --locale"),
    ([*SHOW, "--seed", ""], "argument --seed"),
    (["show", "banking"], "the following arguments are required: --seed"),
]


@pytest.mark.parametrize(("argv", "says"), BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_every_bad_argument_is_one_line_and_exit_2(
    tmp_path: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, content in MODE_FILES.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert main([a.replace("{dir}", str(tmp_path)) for a in argv], stdout=out) == 2
    assert out.getvalue() == ""
    err = one_line_error(capsys)
    assert err.startswith("persona-kit")
    assert re.search(says, err) if ".*" in says else says in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MODE_FILES), "a refused run writes nothing"


def test_a_marker_naming_files_outside_the_folder_is_no_marker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _parquet(tmp_path)
    assert run(*BANKING, "-n", "5", "-o", str(out)) == 0
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    marker = out / "_persona_kit.json"
    data = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**data, "files": [*data["files"], "../outside.txt"]}), encoding="utf-8")
    assert run(*BANKING, "-n", "5", "-o", str(out), "--force") == 2
    assert "holds files persona_kit did not write" in one_line_error(capsys)
    assert outside.read_text(encoding="utf-8") == "keep"
