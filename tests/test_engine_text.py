"""Strings built in Arrow from coded fields equal the same templates rendered row by row in Python."""

from __future__ import annotations

import numpy as np
import pytest

from persona_kit.engine.batch import Coded, objects, render_text, render_text_choice

TEMPLATES = [
    "{first}.{last}@{domain}",
    "{f}{last}{d2}@{domain}",
    "no fields at all",
    "{last}",
    "({first}) {first} - {d2}!",
]


def _fields(n: int) -> dict[str, Coded]:
    rng = np.random.default_rng(3)
    vocab = {
        "first": ["Ann", "José", "Zoë", ""],
        "last": ["Lee", "Nguyễn", "O'Neil"],
        "f": ["a", "j", "z"],
        "d2": [f"{i:02d}" for i in range(100)],
        "domain": ["example.com", "example.org"],
    }
    return {k: Coded(rng.integers(0, len(v), n), objects(v)) for k, v in vocab.items()}


def _by_row(template: str, fields: dict[str, Coded], i: int) -> str:
    return template.format(**{k: str(col[i]) for k, col in fields.items()})


@pytest.mark.parametrize("templates", [TEMPLATES, TEMPLATES[:1], TEMPLATES[2:3], TEMPLATES[3:4], TEMPLATES[1:]])
def test_every_row_is_its_own_template_filled_in(templates: list[str]) -> None:
    n = 1000  # above ARROW_MIN_ROWS: the Arrow path
    fields = _fields(n)
    choice = np.random.default_rng(5).integers(0, len(templates), n)
    out = render_text_choice(templates, choice, fields).tolist()
    assert out == [_by_row(templates[k], fields, i) for i, k in enumerate(choice.tolist())]


def test_one_template_for_every_row() -> None:
    n = 700
    fields = _fields(n)
    out = render_text("{first} {last}, {d2}", {k: fields[k] for k in ("first", "last", "d2")}, n).tolist()
    assert out == [_by_row("{first} {last}, {d2}", fields, i) for i in range(n)]
