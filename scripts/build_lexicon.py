"""Snapshot everyday English words for the simulator's reader: ``data/intents/en/words.txt``.

    make lexicon      # or: python scripts/build_lexicon.py

The words come from pyspellchecker's English frequency list (MIT licence; built from the OpenSubtitles
corpus), the ``lexicon`` extra, installed only to run this script: persona_kit never imports it. The file
holds the most frequent purely alphabetic words, most frequent first. The reader never corrects a word on
this list, and corrects typos to its first :data:`persona_kit.ai.reading.TARGET_WORDS` entries (and to the
industry's own words).
"""

from __future__ import annotations

import argparse
import gzip
import json
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "intents" / "en" / "words.txt"
COUNT = 40_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT, help="how many words to keep")
    args = parser.parse_args()
    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        frequencies: dict[str, int] = json.load(fh)
    words = sorted((w for w in frequencies if w.isascii() and w.isalpha()), key=lambda w: (-frequencies[w], w))
    header = "# Everyday English words, most frequent first: pyspellchecker's en list (MIT), build_lexicon.py\n"
    OUT.write_text(header + "\n".join(words[: args.count]) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {min(args.count, len(words))} words")


if __name__ == "__main__":
    main()
