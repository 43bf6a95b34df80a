"""The dashboard type-check (scripts/typecheck_dashboard.py, dashboard_ts.py): the TypeScript, reading tsc, tsc itself.

The unmarked tests need neither node nor the reference dashboards. The
``tsc`` ones run tsc on a real dashboard copy (reference_dashboard's, as the
script does); they skip when node or ../shared/reference is missing, except under CI.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.protocol import OUTBOUND_TYPES


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tc = _script("typecheck_dashboard")  # puts scripts/ on sys.path for its own imports of the two below
dm = importlib.import_module("dashboard_messages")
ts = importlib.import_module("dashboard_ts")


@pytest.fixture(scope="module")
def samples() -> list:
    return dm.dashboard_messages()


def _sample(samples: list[dm.Sample], name: str) -> dm.Sample:
    return next(s for s in samples if s.name == name)


# --- the messages ---------------------------------------------------------------------------


def test_every_outbound_type_and_mode_is_sampled(samples: list[dm.Sample]) -> None:
    types = {s.type for s in samples}
    assert types == set(OUTBOUND_TYPES)
    switched = {s.message["payload"]["mode"]["id"] for s in samples if s.type == "mode_switch"}
    assert {*BUILTIN_MODE_IDS, "custom-airline"} <= switched
    kinds = {s.persona_kind for s in samples if s.type == "mode_switch"}
    assert {"banking", "insurance", "healthcare", "telecom", "generic"} <= kinds
    locales = {s.message["payload"]["persona"]["identity"]["locale"] for s in samples if s.type == "mode_switch"}
    assert locales == {"en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"}


def test_samples_are_distinct_wire_json_and_deterministic(samples: list[dm.Sample]) -> None:
    keys = [json.dumps(s.message, sort_keys=True) for s in samples]
    assert len(set(keys)) == len(keys)
    assert len({s.name for s in samples}) == len(samples)
    assert [s.message for s in dm.dashboard_messages()] == [s.message for s in samples]


def test_lost_coverage_is_an_error(samples: list[dm.Sample]) -> None:
    without_charts = [s for s in samples if not (s.label == "telecom" and s.type == "tool_result")]
    with pytest.raises(RuntimeError, match="'telecom': no show_chart"):
        dm._check_coverage(without_charts)


# --- the TypeScript -------------------------------------------------------------------------


def test_each_line_knows_its_json_path() -> None:
    out = ts.Emitted()
    ts.emit_value(out, {"a": [1, {"b-c": None}], "d": {}}, (), "export const x = ", "", " satisfies X")
    assert out.lines == [
        "export const x = {",
        "  a: [",
        "    1,",
        "    {",
        '      "b-c": null',
        "    }",
        "  ],",
        "  d: {}",
        "} satisfies X",
    ]
    assert out.paths[2] == ("a", 0)
    assert out.paths[4] == ("a", 1, "b-c")
    assert out.paths[7] == ("d",)


def test_generated_module_types_each_message_as_the_dashboard_reads_it(samples: list[dm.Sample]) -> None:
    chosen = [
        _sample(samples, "mode_switch_banking_1"),
        _sample(samples, "mode_switch_telecom_1"),
        _sample(samples, "chat_error_direct_1"),
    ]
    generated = ts.generate_ts(chosen, header="test")
    text = generated.text
    assert "import type { BankingPersona, BasePersona } from './types/mode'" in text
    assert "ModeSwitchMessage, ModeSwitchOtherPersonaMessage, WithExtras } from './persona_kit_wire'" in text
    assert "export const mode_switch_banking_1_persona = {" in text
    assert "} satisfies WithExtras<BankingPersona>" in text
    assert "    persona: mode_switch_banking_1_persona" in text
    assert "} satisfies WithExtras<BasePersona>" in text  # telecom: no dashboard type
    assert "} satisfies ModeSwitchOtherPersonaMessage" in text
    assert "} satisfies ChatErrorMessage" in text
    assert [d.sample.name for d in generated.declared] == [s.name for s in chosen]
    line = generated.lines.index('    message: "the model did not answer in time",') + 1
    owner, path = generated.at(line)
    assert owner is not None
    assert owner.sample.name == "chat_error_direct_1"
    assert path == ("payload", "message")
    assert generated.at(1) == (None, ())


def test_a_message_type_without_a_dashboard_type_is_refused(samples: list[dm.Sample]) -> None:
    odd = dm.Sample("odd_1", "x", "x", {"type": "mode_generating", "payload": {"industry": "x"}})
    with pytest.raises(KeyError, match="mode_generating"):
        ts.generate_ts([odd], header="test")


def test_canaries_break_a_real_message_in_one_field(samples: list[dm.Sample]) -> None:
    broken = ts.canaries(samples)
    assert len({c.sample.name for c in broken}) == len(broken) >= 5
    for canary in broken:
        base = _sample(samples, canary.sample.origin.split(" with ")[0])
        assert canary.sample.message != base.message
        assert canary.field in json.dumps(canary.sample.message)
    text = ts.generate_ts([c.sample for c in broken], header="canary").text
    assert "text: 42" in text


# --- reading tsc ----------------------------------------------------------------------------

TSC_OUTPUT = """\
src/persona_kit_messages.ts(12,5): error TS2353: Object literal may only specify known properties, and 'message' \
does not exist in type 'ChatErrorPayload'.
src/persona_kit_messages.ts(40,7): error TS2322: Type '{ as_of: string; }' is not assignable to type 'Persona'.
  Types of property 'risk_score' are incompatible.
    Type 'number' is not assignable to type 'string'.
src/App.tsx(1,1): error TS6133: 'x' is declared but its value is never read.
"""


def test_tsc_output_becomes_diagnostics_with_paths() -> None:
    found = ts.parse_tsc(TSC_OUTPUT)
    assert [(d.file, d.line, d.code) for d in found] == [
        ("src/persona_kit_messages.ts", 12, "TS2353"),
        ("src/persona_kit_messages.ts", 40, "TS2322"),
        ("src/App.tsx", 1, "TS6133"),
    ]
    assert found[1].lines[-1] == "Type 'number' is not assignable to type 'string'."
    assert ts.error_path(("payload", "message"), found[0]) == "payload.message"
    assert ts.error_path(("payload", "persona"), found[1]) == "payload.persona.risk_score"
    assert ts.error_path(("payload", "mode", "tabs", 2, "icon"), found[2]) == "payload.mode.tabs[].icon"


def test_findings_group_by_type_path_and_reason(samples: list[dm.Sample]) -> None:
    diagnostic = ts.parse_tsc(TSC_OUTPUT)[1]
    findings = [
        ts.Finding(_sample(samples, name), "payload.persona.risk_score", diagnostic)
        for name in ("mode_switch_insurance_1", "mode_switch_insurance_2")
    ]
    rows = ts.grouped(findings)
    assert rows == [
        (
            "mode_switch",
            "payload.persona.risk_score",
            "Type 'number' is not assignable to type 'string'.",
            ["mode_switch_insurance_1", "mode_switch_insurance_2"],
        )
    ]


def test_exit_codes() -> None:
    clean = tc.Outcome("v")
    assert tc.exit_code([clean], strict=True)[0] == 0
    failing = tc.Outcome("v", findings=[object()])  # type: ignore[list-item]
    assert tc.exit_code([clean, failing], strict=True)[0] == 1
    assert tc.exit_code([failing], strict=False) == (0, "type errors reported only (PERSONA_KIT_TYPECHECK_STRICT=0)")
    assert tc.exit_code([failing, tc.Outcome("w", uncaught_canaries=["c"])], strict=False)[0] == 2


def test_missing_reference_skips_locally_and_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tc.reference_dashboard, "REFERENCE", tmp_path / "absent")
    monkeypatch.delenv("CI", raising=False)
    assert tc.main([]) == 0
    assert "skipped: the reference dashboards are not at" in capsys.readouterr().out
    monkeypatch.setenv("CI", "true")
    assert tc.main([]) == 2
    assert "FAILED" in capsys.readouterr().err


# --- tsc on the real dashboards -------------------------------------------------------------


def _need_dashboards() -> None:
    missing = tc._missing(["persona-phase", "latest"])
    if missing and os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        pytest.skip(missing)
    assert missing is None, missing
    assert shutil.which("npx")


@pytest.mark.tsc
@pytest.mark.parametrize("version", ["persona-phase", "latest"])
def test_tsc_rejects_a_number_where_the_dashboard_reads_a_string(samples: list[dm.Sample], version: str) -> None:
    _need_dashboards()
    good = _sample(samples, "chat_chunk_banking_1")
    bad_message = copy.deepcopy(good.message)
    bad_message["payload"]["text"] = 1234.5
    bad = dm.Sample("chat_chunk_number", good.label, "a number as chunk text", bad_message)
    outcome = tc.check_version(version, [good, bad], ts.canaries(samples))
    assert outcome.harness_error is None
    assert outcome.uncaught_canaries == []
    assert outcome.other_errors == []
    assert [(f.sample.name, f.path, f.reason) for f in outcome.findings] == [
        ("chat_chunk_number", "payload.text", "Type 'number' is not assignable to type 'string'.")
    ]
