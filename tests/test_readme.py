"""The README runs: its Python blocks execute top to bottom, and its included docs sections are current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from helpers import exec_doc_block

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 5


def test_readme_blocks_run_in_order(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERSONA_KIT_MODEL", raising=False)
    namespace: dict[str, object] = {"__name__": "readme"}
    for i, block in enumerate(BLOCKS, start=1):
        exec_doc_block(block, f"README.md block {i}", namespace)
    assert capsys.readouterr().out.strip()


def test_included_docs_are_in_sync() -> None:
    spec = importlib.util.spec_from_file_location("sync_readme", ROOT / "scripts" / "sync_readme.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = README.read_text(encoding="utf-8")
    assert "<!-- include: docs/protocol.md -->" in text
    assert module.synced(text) == text, "README is stale: run python scripts/sync_readme.py"
