"""Packaging promises: lazy imports, conda/pip in step, data inside the wheel, a locked public API."""

from __future__ import annotations

import ast
import os
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


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Extras every install carries (make, the lock, environment.yml); `places` and `lexicon` are build-time only
# (make places, make lexicon).
BUILD_ONLY_EXTRAS = {"places", "lexicon"}
EXTRAS = sorted(set(PROJECT["optional-dependencies"]) - BUILD_ONLY_EXTRAS)
DECLARED = [*PROJECT["dependencies"], *(r for extra in EXTRAS for r in PROJECT["optional-dependencies"][extra])]


def _lock() -> dict[str, str]:
    """constraints.txt as {normalised name: version}; every line a comment or ``name==version``."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._\-]*)==([0-9][A-Za-z0-9.+!\-]*)", line.strip())
        assert m, f"constraints.txt: {line!r} is not pinned with =="
        pins[m.group(1).lower().replace("_", "-").replace(".", "-")] = m.group(2)
    return pins


def test_the_lock_pins_every_declared_requirement_within_its_floor() -> None:
    from packaging.requirements import Requirement

    pins = _lock()
    assert "persona-kit" not in pins
    for text in DECLARED:
        req = Requirement(text)
        name = req.name.lower().replace("_", "-").replace(".", "-")
        assert name in pins, f"{req.name} is declared in pyproject.toml but not locked in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} breaks {text}"


def test_installed_packages_are_the_locked_versions() -> None:
    """make installs with --constraint constraints.txt: whatever is installed is the locked version."""
    from importlib.metadata import distributions

    pins = _lock()
    installed = {d.metadata["Name"].lower().replace("_", "-").replace(".", "-"): d.version for d in distributions()}
    checked = {name: version for name, version in installed.items() if name in pins}
    wrong = {name: (version, pins[name]) for name, version in checked.items() if version != pins[name]}
    assert not wrong, f"installed (found, locked): {wrong}; rm .venv/.installed and run make to reinstall the lock"
    for text in PROJECT["dependencies"]:
        assert _name(text) in checked, f"core dependency {text} is not installed"


def test_environment_yml_installs_the_locked_set_with_every_extra() -> None:
    text = (ROOT / "environment.yml").read_text()
    conda = re.findall(r"^  - (\S+)$", text.split("dependencies:", 1)[1], flags=re.MULTILINE)
    pip = re.findall(r"^      - (.+)$", text, flags=re.MULTILINE)
    assert conda == ["python=3.11", "pip", "pip:"], "conda gives only the interpreter; pip installs the lock"
    assert pip[0] == "--constraint constraints.txt"
    extras = re.fullmatch(r"-e \.\[(.+)\]", pip[1])
    assert extras and sorted(extras.group(1).split(",")) == EXTRAS
    assert len(pip) == 2
    locked_on = re.search(r"on Python (\d+\.\d+)", (ROOT / "constraints.txt").read_text())
    assert locked_on and f"python={locked_on.group(1)}" in conda


def test_make_installs_every_extra_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    extras = re.search(r"^EXTRAS := (.+)$", makefile, flags=re.MULTILINE)
    assert extras and sorted(extras.group(1).split(",")) == EXTRAS
    assert "--constraint $(LOCK)" in makefile
    build = re.search(r"^BUILD_DEPS := (.+)$", makefile, flags=re.MULTILINE)
    assert build and "--no-build-isolation" in makefile, "the build backend is installed from the lock too"
    pins = _lock()
    assert all(name in pins for name in build.group(1).split()), "every build dependency is locked"
    assert re.search(r"^test: .*\bcore\b", makefile, flags=re.MULTILINE), "make test runs the core-only suite"


def test_the_version_is_written_once() -> None:
    from importlib.metadata import version

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in PROJECT
    assert PROJECT["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "persona_kit/_version.py"
    assert version("persona-kit") == persona_kit.__version__


def _imported_top_modules(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def test_every_runtime_dependency_is_imported_and_faker_is_not() -> None:
    used = _imported_top_modules(ROOT / "persona_kit")
    assert "faker" not in used, "persona_kit must not import faker at run time (it is a dev tool here)"
    extras = PROJECT["optional-dependencies"]
    runtime = [*PROJECT["dependencies"], *extras["ai"], *extras["parquet"], *extras["dask"]]
    modules = {"pydantic": "pydantic", "numpy": "numpy", "pandas": "pandas", "babel": "babel", "openai": "openai"}
    modules["rapidfuzz"] = "rapidfuzz"
    modules["dask"] = "dask"
    for text in runtime:
        name = _name(text)
        if name == "pyarrow":  # pandas loads it for to_parquet; persona_kit only checks it is there
            assert "pyarrow" in (ROOT / "persona_kit" / "export.py").read_text()
            continue
        if name == "distributed":  # the scheduler persona_kit.dask's graphs run on; it never imports it itself
            assert "distributed" in (ROOT / "persona_kit" / "dask.py").read_text()
            continue
        assert modules[name] in used, f"{name} is declared but persona_kit never imports it"
    assert len(DECLARED) == len({_name(r) for r in DECLARED}), "a requirement is listed twice"


@pytest.mark.skipif(not os.environ.get("PERSONA_KIT_CORE_ONLY"), reason="runs in make core (core dependencies only)")
def test_core_environment_has_no_extras_and_says_which_to_install(tmp_path: Path) -> None:
    import importlib.util

    from persona_kit.cli import main

    for module in ("ipywidgets", "matplotlib", "jupyterlab", "voila", "openai", "pyarrow", "faker"):
        assert importlib.util.find_spec(module) is None, f"{module} is installed in the core-only environment"
    with pytest.raises(ImportError, match=r"pip install 'persona-kit\[notebook\]'"):
        import persona_kit.widgets  # noqa: F401
    from persona_kit.ai import responder_from_env

    with pytest.raises(ImportError, match="ai"):
        responder_from_env({"PERSONA_KIT_MODEL": "gpt-4o-mini"})
    assert main(["generate", "banking", "-n", "3", "--seed", "1", "-o", str(tmp_path / "x.parquet"), "-q"]) == 1
    assert main(["generate", "banking", "-n", "3", "--seed", "1", "-o", str(tmp_path / "x.csv"), "-q"]) == 0


def test_import_loads_no_heavy_modules() -> None:
    """Import time itself is measured in benchmarks/run.py, not asserted here."""
    code = (
        "import sys; import persona_kit;"
        "print(sorted(m for m in ('pandas', 'ipywidgets', 'openai', 'faker', 'matplotlib', 'persona_kit.ai', 'dask',"
        " 'numba') if m in sys.modules))"
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


def test_import_loads_each_public_name_on_first_use() -> None:
    """`import persona_kit` runs only its own file; `persona-kit generate` never loads the chat machinery."""
    code = (
        "import sys; import persona_kit; print(sorted(m for m in sys.modules if m.startswith('persona_kit')));"
        "from persona_kit import Session, generate_population; import persona_kit.cli;"
        "print(Session.__module__, generate_population.__module__, 'Session' in vars(persona_kit))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["['persona_kit', 'persona_kit._version']", "persona_kit.session persona_kit.generate True"]
    chat = "{'persona_kit.session', 'persona_kit.triggers', 'asyncio'}"
    code = f"import sys, persona_kit.cli; print(sorted({chat} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["[]"]
    assert set(dir(persona_kit)) >= set(persona_kit.__all__)
    with pytest.raises(AttributeError, match="no attribute 'generate_populaton'"):
        persona_kit.generate_populaton  # noqa: B018


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
        "persona_kit/data/stats/healthcare.json",
        "persona_kit/data/golden/insurance.json",
        "persona_kit/data/triggers/en.json",
    ):
        assert required in names, required
