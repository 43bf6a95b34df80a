"""Golden fixtures: the exact personas a release promises. A failure means output changed.

If the change is intended (new calibration, vocabulary refresh, engine change),
run `make golden`, review the diff of data/golden/, and bump the version.
"""

from __future__ import annotations

import json

import pytest

from persona_kit import generate_persona, supported_locales
from persona_kit.data import data_dir
from persona_kit.industries import builtin_mode_ids, industry

CASES = [
    case
    for path in sorted((data_dir() / "golden").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
]


def test_golden_fixtures_cover_every_builtin_industry_key_and_locale() -> None:
    expected = {
        (mode, locale, str(seed), index)
        for mode in builtin_mode_ids()
        for locale in supported_locales()
        for seed, index in industry(mode).golden_keys
    }
    assert {(c["mode"], c["locale"], str(c["seed"]), c["index"]) for c in CASES} == expected
    assert len(supported_locales()) >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['mode']}-{c['locale']}-{c['seed']}-{c['index']}")
def test_golden_persona(case: dict[str, object]) -> None:
    persona = generate_persona(str(case["mode"]), case["seed"], index=int(case["index"]), locale=str(case["locale"]))  # type: ignore[arg-type]
    assert persona.model_dump(mode="json") == case["persona"]
