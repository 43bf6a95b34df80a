"""The README keeps its promises: each Python block runs on its own and prints what its ``#>`` lines show,
and its included docs sections are current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from helpers import exec_doc_block

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = [(TEXT[: m.start()].count("\n") + 2, m.group(1)) for m in re.finditer(r"```python\n(.*?)```", TEXT, re.DOTALL)]
OFFLINE = ("PERSONA_KIT_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY")


def shown_output(block: str) -> str:
    """What the block's ``#>`` lines say it prints (``#> text`` is a line of output, ``#>`` an empty one)."""
    lines = [line.strip() for line in block.splitlines() if line.strip().startswith("#>")]
    return "".join(line[3:] + "\n" if line.startswith("#> ") else "\n" for line in lines)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 10


def test_shown_output_reads_the_comments() -> None:
    assert shown_output("print(1)\n#> 1\nfor i in 'ab':\n    print(i)\n    #> a\n#>  b\n#>\n") == "1\na\n b\n\n"


@pytest.mark.parametrize(("line", "block"), BLOCKS, ids=[f"README.md line {line}" for line, _ in BLOCKS])
def test_each_block_runs_alone_and_prints_what_it_shows(
    line: int, block: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in OFFLINE:
        monkeypatch.delenv(name, raising=False)
    exec_doc_block(block, f"README.md line {line}", {"__name__": "readme"})
    printed = capsys.readouterr().out
    assert printed == shown_output(block), f"README.md line {line}: the #> lines differ from what the block prints"
    if "print(" in block:
        assert printed, "a block that prints shows what it prints"


def test_included_docs_are_in_sync() -> None:
    spec = importlib.util.spec_from_file_location("sync_readme", ROOT / "scripts" / "sync_readme.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert "<!-- include: docs/protocol.md -->" in TEXT
    assert module.synced(TEXT) == TEXT, "README is stale: run python scripts/sync_readme.py"
