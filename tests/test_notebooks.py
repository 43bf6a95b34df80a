"""The committed notebooks: executed top to bottom, outputs kept, nothing private or volatile in them.

`make notebooks` re-executes them under strict nbval and compares every output;
these checks cover what that comparison cannot: that the saved outputs are a
clean, in-order run and carry no paths, addresses or secrets.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SANITIZE = ROOT / "notebooks" / "nbval_sanitize.cfg"
OURS = [
    "01_persona_explorer.ipynb",
    "02_population_analysis.ipynb",
    "03_mode_switch_and_chat.ipynb",
    "04_custom_modes.ipynb",
    "presenter.ipynb",
]

FORBIDDEN = {
    "absolute path": re.compile(r"(?<![\w.])(/home/|/root/|/tmp/|/var/folders/|/work/|/Users/|[A-Z]:\\\\)"),
    "memory address": re.compile(r"\bat 0x[0-9a-fA-F]{6,}|\b0x[0-9a-fA-F]{8,16}\b"),
    "API key": re.compile(r"\bsk-[A-Za-z0-9_-]{16,}|OPENAI_API_KEY\s*=\s*\S+"),
    "token in a URL": re.compile(r"[?&]token=[0-9a-f]{16,}"),
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _output_texts(cell: dict[str, Any]) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            texts.append("".join(output["text"]))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                texts.append(value if isinstance(value, str) else "".join(value) if isinstance(value, list) else "")
    return texts


def test_our_notebooks_are_present() -> None:
    assert {p.name for p in NOTEBOOKS} >= set(OURS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_a_clean_in_order_run(path: Path) -> None:
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "saved widget state holds random model ids; save without it"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), "re-run all cells, then save"
    for cell in code:
        assert all(o["output_type"] != "error" for o in cell["outputs"]), "".join(cell["source"])
        assert "execution" not in cell.get("metadata", {}), "cell timing metadata is noise in diffs"
    assert nb["cells"][0]["cell_type"] == "markdown", "a walkthrough opens with its story"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_paths_addresses_or_secrets(path: Path) -> None:
    for i, cell in enumerate(_load(path)["cells"]):
        for text in _output_texts(cell):
            for what, pattern in FORBIDDEN.items():
                match = pattern.search(text)
                assert match is None, f"{path.name} cell {i}: {what} in output: {match.group(0) if match else ''}"


def test_sanitize_config_masks_only_volatile_text() -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read(SANITIZE, encoding="utf-8")
    patterns = {section: re.compile(config[section]["regex"]) for section in config.sections()}
    assert set(patterns) == {"wall-clock timings", "memory addresses", "temporary directories"}
    assert patterns["wall-clock timings"].sub("", "generated in 1.2 s") == ""
    assert patterns["memory addresses"].sub("", "0x7fe83c9c2810") == ""
    assert patterns["temporary directories"].sub("", "/tmp/persona_kit_export_ab12cd") == ""
    # Persona values must never be masked: amounts, ids, dates and digests pass through untouched.
    for value in ["$9,331.76", "AU-1HKCLBX8", "Jul 1, 2026", "452d38c29395", "seed 42", "1,743 bytes"]:
        assert all(p.search(value) is None for p in patterns.values()), value
