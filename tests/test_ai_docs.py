"""docs/ai.md runs: its transcripts are what the simulator says today, and its Python blocks execute offline.

After a deliberate change to personas or replies, regenerate the transcripts with
``PERSONA_KIT_UPDATE_DOCS=1 pytest tests/test_ai_docs.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from helpers import exec_doc_block

from persona_kit.ai import SimulatorResponder
from persona_kit.protocol import ChatChunkMessage, ToolResultMessage
from persona_kit.session import Session

DOC = Path(__file__).resolve().parent.parent / "docs" / "ai.md"
MARKER = re.compile(r"<!-- transcript ([\w-]+) (\S+) -->\n(.*?)<!-- /transcript -->\n", re.DOTALL)
QUESTIONS = {
    "banking": ["What's my checking balance?", "and my savings?", "Show my spending as a pie chart"],
    "insurance": ["What's my total coverage?", "What's the deductible on my home policy?", "and when does it renew?"],
    "healthcare": ["When is my next appointment?", "and the one after that?", "Show my deductible as a chart"],
    "banking-as-typed": [
        "whats my savigns bal pls",
        "is it ok to take ibuprofen with my meds?",
        "how much?",
        "how much is left on my mortgage?",
        "what was my last transaction",
        "and the one before that?",
    ],
}
"""Each transcript's questions, by name: the mode, then an optional ``-`` and a label."""


def transcript(name: str, session_id: str) -> str:
    """A conversation with the simulator, as Markdown: what the user typed, the streamed text, the tool results."""
    session = Session(session_id, mode=name.split("-", 1)[0], responder=SimulatorResponder())
    lines: list[str] = []
    for question in QUESTIONS[name]:
        out = list(session.handle({"type": "chat", "payload": {"text": question}}))
        text = "".join(m.payload.text for m in out if isinstance(m, ChatChunkMessage))
        lines += [f"**You:** {question}", "", f"**Assistant:** {text}", ""]
        for m in out:
            if isinstance(m, ToolResultMessage):
                result = json.dumps(m.payload.result.model_dump(mode="json"), ensure_ascii=False)
                lines += [f"*Tool `{m.payload.tool}`:* `{result}`", ""]
    rows = "\n".join(lines[:-1]).split("\n")
    return "".join(f"> {row}\n" if row else ">\n" for row in rows)


def _render(doc: str) -> str:
    return MARKER.sub(
        lambda m: f"<!-- transcript {m[1]} {m[2]} -->\n{transcript(m[1], m[2])}<!-- /transcript -->\n", doc
    )


def test_transcripts_are_what_the_simulator_says() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert sorted(m[1] for m in MARKER.finditer(doc)) == sorted(QUESTIONS)
    rendered = _render(doc)
    if os.environ.get("PERSONA_KIT_UPDATE_DOCS") == "1":
        DOC.write_text(rendered, encoding="utf-8")
    assert rendered == doc, "docs/ai.md transcripts are stale: PERSONA_KIT_UPDATE_DOCS=1 pytest tests/test_ai_docs.py"


BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_python_blocks_run_offline(
    index: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PERSONA_KIT_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    namespace: dict[str, object] = {"__name__": "docs"}
    exec_doc_block(BLOCKS[index], f"docs/ai.md block {index + 1}", namespace)
    assert capsys.readouterr().out.strip()
