"""Copy docs/*.md sections into README.md between include markers.

The docs files are the tested sources (tests/test_protocol.py and
tests/test_ai_docs.py run and regenerate them); the README carries the same
text so a reader finds everything in one place. tests/test_readme.py fails
when the two drift; run `python scripts/sync_readme.py` to bring them back.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PATTERN = re.compile(r"(<!-- include: (?P<path>[^ ]+) -->\n)(?P<body>.*?)(<!-- end include -->)", re.DOTALL)


def synced(text: str) -> str:
    """README text with every include block refreshed from its file."""

    def fill(match: re.Match[str]) -> str:
        body = (ROOT / match.group("path")).read_text(encoding="utf-8")
        return f"{match.group(1)}{body.rstrip()}\n{match.group(4)}"

    return PATTERN.sub(fill, text)


def main() -> None:
    README.write_text(synced(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md synced")


if __name__ == "__main__":
    main()
