"""The persona-kit command: every subcommand, exports in three formats, and errors that name the argument."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from persona_kit import generate_persona, generate_population, get_mode
from persona_kit.cli import main, persona_card
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.prompt import build_system_prompt, prompt_size
from persona_kit.protocol import mode_switch_message, parse_outbound, protocol_json_schema_text

AIRLINE = {
    "id": "airline",
    "name": "Airline",
    "company_name": "Skyway Air",
    "persona_kind": "generic",
    "theme": {
        "primary": "#123456",
        "secondary": "#654321",
        "background": "#FFFFFF",
        "surface": "#FFFFFF",
        "text": "#000000",
        "text_muted": "#777777",
    },
    "system_prompt": "You are the assistant of Skyway Air.",
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def modes_file(tmp_path: Path) -> Path:
    path = tmp_path / "modes.json"
    path.write_text(json.dumps({"modes": [AIRLINE]}), encoding="utf-8")
    return path


# --- show / prompt / payload -------------------------------------------------------------


def test_show_prints_a_readable_card() -> None:
    code, out = run("show", "banking", "--seed", "42")
    persona = generate_persona("banking", 42)
    assert code == 0
    assert out == persona_card(get_mode("banking"), persona)
    assert out.startswith(f"{persona.name} · Banking · Summit National Bank\n")
    assert "  Checking balance" in out
    assert "Recent transactions" in out


def test_show_json_is_the_wire_form() -> None:
    args = ("show", "insurance", "--seed", "7", "--index", "3", "--locale", "de_DE", "--as-of", "2027-01-15")
    code, out = run(*args, "--json")
    expected = generate_persona("insurance", 7, index=3, locale="de_DE", as_of=dt.date(2027, 1, 15))
    assert code == 0
    assert out == expected.model_dump_json(indent=2) + "\n"
    assert run(*args)[1] == persona_card(get_mode("insurance"), expected)


def test_string_seeds_are_accepted() -> None:
    _, out = run("show", "healthcare", "--seed", "session-abc", "--json")
    assert json.loads(out) == generate_persona("healthcare", "session-abc").model_dump(mode="json")


def test_card_aligns_wide_characters() -> None:
    _, out = run("show", "healthcare", "--seed", "1", "--locale", "ja_JP")
    assert "Evergreen Health Partners" in out
    assert "￥" in out


def test_prompt_prints_the_system_prompt_and_its_size() -> None:
    code, out = run("prompt", "healthcare", "--seed", "5")
    expected = build_system_prompt(get_mode("healthcare"), generate_persona("healthcare", 5))
    assert code == 0
    assert out == expected
    assert run("prompt", "healthcare", "--seed", "5", "--size")[1] == f"{prompt_size(expected)}\n"


def test_payload_is_the_exact_mode_switch_message() -> None:
    code, out = run("payload", "banking", "--seed", "42")
    expected = mode_switch_message(get_mode("banking"), generate_persona("banking", 42))
    assert code == 0
    assert out == expected.model_dump_json() + "\n"
    assert parse_outbound(out) == expected
    assert json.loads(run("payload", "banking", "--seed", "42", "--indent", "2")[1]) == json.loads(out)


def test_custom_modes_from_a_file(modes_file: Path) -> None:
    code, out = run("show", "airline", "--seed", "1", "--modes-file", str(modes_file))
    assert code == 0
    assert "Skyway Air" in out
    assert "Loyalty points" in out


# --- modes / schema ----------------------------------------------------------------------


def test_modes_lists_builtins_and_custom_modes(modes_file: Path, tmp_path: Path) -> None:
    code, out = run("modes")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["ID", *BUILTIN_MODE_IDS]
    _, out = run("modes", "--modes-file", str(modes_file))
    assert "airline     Airline     Skyway Air" in out
    toml = tmp_path / "modes.toml"
    toml.write_text(
        '[[modes]]\nid = "gym"\nname = "Gym"\ncompany_name = "Iron Works"\nsystem_prompt = "Be a gym."\n'
        '[modes.theme]\nprimary = "#111"\nsecondary = "#222"\nbackground = "#fff"\nsurface = "#fff"\n'
        'text = "#000"\ntext_muted = "#777"\n',
        encoding="utf-8",
    )
    _, out = run("modes", "--modes-file", str(toml), "--json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [*BUILTIN_MODE_IDS, "gym"]
    assert all("system_prompt" not in r for r in rows)


def test_schema_prints_the_generated_schema() -> None:
    code, out = run("schema")
    assert code == 0
    assert out == protocol_json_schema_text()
    assert json.loads(out)["$defs"]["OutboundMessage"]


# --- generate -----------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", ["7", "1000"])
def test_generate_csv_writes_one_file_per_table(tmp_path: Path, chunk: str, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "people.csv"
    code, listed = run("generate", "insurance", "-n", "25", "--seed", "3", "-o", str(out_file), "--chunk-size", chunk)
    assert code == 0
    expected = generate_population("insurance", 25, 3)
    paths = {Path(p).name for p in listed.split()}
    assert paths == {"people.csv", "people.active_policies.csv", "people.claims_history.csv"}
    personas = pd.read_csv(out_file)
    assert list(personas["persona_index"]) == list(range(25))
    assert list(personas["name"]) == list(expected.personas["name"])
    assert list(personas["member_since"]) == [str(d.date()) for d in expected.personas["member_since"]]
    policies = pd.read_csv(tmp_path / "people.active_policies.csv")
    assert len(policies) == len(expected["active_policies"])
    assert list(policies["policy_number"]) == list(expected["active_policies"]["policy_number"])
    assert "25/25 (100%)" in capsys.readouterr().err


def test_generate_output_does_not_depend_on_chunking(tmp_path: Path) -> None:
    for chunk in ("4", "1000"):
        for ext in ("csv", "jsonl"):
            run(
                "generate",
                "banking",
                "-n",
                "13",
                "--seed",
                "9",
                "-o",
                str(tmp_path / f"c{chunk}.{ext}"),
                "-q",
                "--chunk-size",
                chunk,
            )
    for name in ("c{}.csv", "c{}.recent_transactions.csv", "c{}.jsonl", "c{}.recent_transactions.jsonl"):
        assert (tmp_path / name.format(4)).read_bytes() == (tmp_path / name.format(1000)).read_bytes()


def test_generate_jsonl_has_one_record_per_line_with_iso_dates(tmp_path: Path) -> None:
    out_file = tmp_path / "people.jsonl"
    code, _ = run("generate", "healthcare", "-n", "12", "--seed", "4", "-o", str(out_file), "--chunk-size", "5", "-q")
    assert code == 0
    rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [r["persona_index"] for r in rows] == list(range(12))
    first = generate_persona("healthcare", 4)
    assert rows[0]["date_of_birth"] == first.identity.date_of_birth.isoformat()
    assert rows[0]["deductible"] == first.deductible
    appointments = (tmp_path / "people.upcoming_appointments.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(appointments) == len(generate_population("healthcare", 12, 4)["upcoming_appointments"])


def test_generate_parquet_writes_one_dataset(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out_dir = tmp_path / "people.parquet"
    for force in ([], ["--force"]):  # a second run, with --force, replaces the parts of the first
        args = ["-n", "30", "--seed", "2", "-o", str(out_dir), "--chunk-size", "10", "-q", *force]
        assert run("generate", "banking", *args)[0] == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["_persona_kit.json", "personas", "recent_transactions"]
    assert len(list((out_dir / "personas").glob("part-*.parquet"))) == 3
    personas = pd.read_parquet(out_dir / "personas")
    expected = generate_population("banking", 30, 2)
    assert sorted(personas["persona_index"]) == list(range(30))
    assert len(pd.read_parquet(out_dir / "recent_transactions")) == len(expected["recent_transactions"])


def test_generate_zero_personas_writes_headers(tmp_path: Path) -> None:
    code, _ = run("generate", "banking", "-n", "0", "--seed", "1", "-o", str(tmp_path / "none.csv"), "-q")
    assert code == 0
    assert pd.read_csv(tmp_path / "none.csv").empty


def test_parquet_without_pyarrow_says_which_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    code, _ = run("generate", "banking", "-n", "3", "--seed", "1", "-o", str(tmp_path / "x.parquet"))
    assert code == 1
    assert "pip install 'persona-kit[parquet]'" in capsys.readouterr().err


# --- errors -------------------------------------------------------------------------------


SHOW = ["show", "banking", "--seed", "1"]
GEN = ["generate", "banking", "--seed", "1", "-n"]


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (["show", "bank", "--seed", "1"], 2, "argument MODE: unknown mode 'bank'; known modes: banking, healthcare"),
        (["show", "banking"], 2, "the following arguments are required: --seed"),
        (["show", "banking", "--seed", str(2**64)], 2, "argument --seed: seed must be an integer from 0 to 2**64-1"),
        ([*SHOW, "--index", "x"], 2, "argument --index: must be an integer"),
        ([*SHOW, "--locale", "xx_XX"], 2, "argument --locale: unsupported locale 'xx_XX'; supported locales: de_DE"),
        ([*SHOW, "--as-of", "July 1"], 2, "argument --as-of: must be a date as YYYY-MM-DD"),
        ([*GEN, "-5", "-o", "x.csv"], 2, "argument -n: must be an integer from 0 to 2**35"),
        ([*GEN, "5", "-o", "x.xlsx"], 2, "argument -o/--output: unsupported extension '.xlsx'"),
        (["show", "banking", "--seed", ""], 2, "argument --seed: seed must be an integer from 0"),
        (["show", "banking", "--seed", "  "], 2, "a text seed must not be blank"),
        ([*GEN, "5", "-o", "/no/such/dir/x.csv"], 2, "argument -o/--output: folder /no/such/dir does not exist"),
        ([*GEN, "5", "-o", "x.csv", "--chunk-size", "0"], 2, "argument --chunk-size: must be an integer from 1"),
        (
            ["modes", "--modes-file", "/no/such.json"],
            2,
            "argument --modes-file: invalid mode definition in /no/such.json",
        ),
        (["dance"], 2, "invalid choice: 'dance'"),
    ],
)
def test_errors_go_to_stderr_naming_the_argument(
    argv: list[str], code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(*argv)
    err = capsys.readouterr().err
    assert status == code
    assert out == ""
    assert says in err


def test_a_bad_modes_file_names_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**AIRLINE, "theme": {**AIRLINE["theme"], "primary": "blue"}}), encoding="utf-8")
    assert run("modes", "--modes-file", str(bad))[0] == 2
    assert "theme.primary" in capsys.readouterr().err


def test_the_console_script_runs() -> None:
    script = Path(sys.executable).parent / "persona-kit"
    if not script.exists():
        pytest.skip("persona-kit is not installed next to this interpreter")
    done = subprocess.run([str(script), "show", "nope", "--seed", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "known modes" in done.stderr
    done = subprocess.run([str(script), "modes"], capture_output=True, text=True, check=True)
    assert "banking" in done.stdout


@pytest.mark.slow
def test_generate_memory_does_not_grow_with_n(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    code = (
        "import resource, sys; from persona_kit.cli import main;"
        "assert main(sys.argv[1:]) == 0;"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    peaks = []
    for n in (20_000, 200_000):
        args = ["generate", "banking", "-n", str(n), "--seed", "1", "-o", str(tmp_path / f"p{n}.parquet")]
        done = subprocess.run(
            [sys.executable, "-c", code, *args, "--chunk-size", "20000", "-q"],
            capture_output=True,
            text=True,
            check=True,
        )
        peaks.append(int(done.stderr.split()[-1]))
    assert peaks[1] < peaks[0] * 1.5, f"peak RSS {peaks[0]} KB for 20,000 personas, {peaks[1]} KB for 200,000"


def test_regenerating_a_parquet_dataset_leaves_no_stale_tables(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "pop.parquet"
    assert run("generate", "insurance", "--seed", "1", "-n", "50", "-o", str(out), "-q")[0] == 0
    assert (out / "claims_history").is_dir()
    assert run("generate", "banking", "--seed", "1", "-n", "50", "-o", str(out), "-q", "--force")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["_persona_kit.json", "personas", "recent_transactions"]


ENTRY = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write('atexit ran\\n'));"
    "from persona_kit.cli import entry; entry()"
)


def test_the_command_exits_quickly_yet_flushes_its_output_runs_atexit_and_keeps_its_status(tmp_path: Path) -> None:
    """``persona-kit`` (cli.entry) skips only the interpreter's teardown: piped output arrives whole, the
    exit status is main's, and atexit handlers still run."""
    out = tmp_path / "p.csv"
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "generate", "banking", "--seed", "3", "-n", "40", "-o", str(out), "-q"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(out), str(out.with_name("p.recent_transactions.csv"))]
    assert done.stderr == "atexit ran\n"
    assert len(pd.read_csv(out)) == 40
    shown = subprocess.run([sys.executable, "-c", ENTRY, "schema"], capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and json.loads(shown.stdout)["$schema"], shown.stderr
    argv = [sys.executable, "-c", ENTRY, "show", "banking"]  # no --seed
    wrong = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "--seed" in wrong.stderr and wrong.stderr.endswith("atexit ran\n")
