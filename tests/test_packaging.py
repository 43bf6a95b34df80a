"""Packaging promises: lazy imports, conda/pip in step, data inside the wheel, a locked public API."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import persona_kit

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted.update({_name(r): r.replace(" ", "") for r in extra})
    conda = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        # conda packages, and pip-only ones (e.g. the build-time places extra) under "- pip:"
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+[^#]*)$", line) or re.match(r"^      - ([A-Za-z0-9_][^#]*)$", line)
        if m and not m.group(1).startswith(("python", "pip")):
            spec = m.group(1).strip()
            conda[_name(spec)] = spec.replace(" ", "")
    assert conda == wanted


def test_import_loads_no_heavy_modules() -> None:
    """Import time itself is measured in benchmarks/run.py, not asserted here."""
    code = (
        "import sys; import persona_kit;"
        "print(sorted(m for m in ('pandas', 'ipywidgets', 'openai', 'faker', 'matplotlib', 'persona_kit.ai')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"persona_kit imported heavy modules: {out}"


EXPECTED_API = {
    "DEFAULT_AS_OF", "DEFAULT_LOCALE", "Persona", "Population", "generate_persona", "generate_population",
    "iter_population", "supported_locales", "Address", "Appointment", "BankingPersona", "Claim", "GenericPersona",
    "HealthcarePersona", "Identity", "InsurancePersona", "Policy", "Prescription", "Transaction", "Metric", "Mode",
    "ModeCatalogue", "Tab", "Theme", "builtin_modes", "get_mode", "load_modes_file", "mode_from_dict",
    "ModeFileError", "PersonaKitError", "SeedError", "UnknownLocaleError", "UnknownModeError", "__version__",
    "build_system_prompt", "prompt_size", "InboundMessage", "OutboundMessage", "mode_switch_message",
    "parse_inbound", "protocol_json_schema", "Responder", "Session", "detect_mode_request",
}  # fmt: skip


def test_public_api_is_locked() -> None:
    """Adding or removing a public name is a deliberate, documented change: update this set with it."""
    assert set(persona_kit.__all__) == EXPECTED_API
    for name in persona_kit.__all__:
        assert hasattr(persona_kit, name), name


def test_py_typed_ships() -> None:
    assert (Path(persona_kit.__file__).parent / "py.typed").is_file()


@pytest.mark.slow
def test_wheel_contains_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "persona_kit/py.typed",
        "persona_kit/data/locales.json",
        "persona_kit/data/modes/banking.json",
        "persona_kit/data/vocab/ja_JP.json",
        "persona_kit/data/places/ja_JP.json",
        "persona_kit/data/stats/healthcare.json",
        "persona_kit/data/golden/insurance.json",
    ):
        assert required in names, required
