"""The scalar path gives the batch path's personas bit for bit: every field, every child row, every mode and locale.

``generate_persona`` builds one persona on Python scalars (persona_kit.single); a population builds
columns with numpy. Floats are compared by their bits (``float.hex``: -0.0 is not 0.0), values by
type and value, rows by their keys and order, so a last-ulp difference in an ``exp`` fails here.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

from persona_kit import builtin_modes, generate_persona, mode_from_dict, supported_locales
from persona_kit.data import locale_spec
from persona_kit.engine.draws import Draws, cumulative, row_keys
from persona_kit.engine.scalar import OneDraws
from persona_kit.engine.seeds import INDEX_LIMIT, seed_key
from persona_kit.generate import AS_OF_RANGE, DEFAULT_AS_OF, generate_batch, persona_from_batch, row_from_batch
from persona_kit.industries import industries, industry
from persona_kit.modes import BUILTIN_MODE_IDS, ModeCatalogue
from persona_kit.single import scalar_row

GYM = mode_from_dict({**builtin_modes()["banking"].model_dump(), "id": "gym", "name": "Gym", "persona_kind": "generic"})
CATALOGUE = ModeCatalogue([GYM])
MODES = [*BUILTIN_MODE_IDS, "gym"]
AS_OF = (DEFAULT_AS_OF, dt.date(2024, 2, 29), dt.date(1999, 3, 31), dt.date(2031, 12, 31))
SEEDS: tuple[int | str, ...] = (7, "session-x")


def difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two persona rows differ (type, float bits, keys, order, length), or None when identical."""
    if type(a) is not type(b):
        return f"{path}: {a!r} ({type(a).__name__}) vs {b!r} ({type(b).__name__})"
    if isinstance(a, float):
        same = a.hex() == b.hex() or (math.isnan(a) and math.isnan(b))
        return None if same else f"{path}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        if list(a) != list(b) and set(a) != set(b):
            return f"{path}: fields {sorted(set(a) ^ set(b))}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{path}.{k}")) is not None), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} rows vs {len(b)}"
        diffs = (difference(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True)))
        return next((d for d in diffs if d is not None), None)
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def _mismatches(mode_id: str, locale: str, as_of: dt.date, seed: int | str, index: np.ndarray[Any, Any]) -> list[str]:
    mode = CATALOGUE.get(mode_id)
    record = industry(mode.persona_kind)
    batch = generate_batch(mode, seed, index.astype(np.uint64), locale, as_of)
    spec, key = locale_spec(locale), seed_key(seed)
    found = []
    for i, persona_index in enumerate(index.tolist()):
        diff = difference(row_from_batch(batch, i), scalar_row(record, key, persona_index, locale, spec, as_of))
        if diff is not None:
            found.append(f"{mode_id} {locale} {as_of} seed={seed!r} index={persona_index}{diff}")
    return found


def _indices(count: int, salt: int) -> np.ndarray[Any, Any]:
    """Spread-out indices, the largest allowed one included."""
    rng = np.random.default_rng(salt)
    return np.concatenate(([0, INDEX_LIMIT - 1], rng.integers(0, INDEX_LIMIT, count - 2)))


def test_every_scalar_generator_is_compared_here() -> None:
    scalar_kinds = {kind for kind, record in industries().items() if record.generate_one is not None}
    assert scalar_kinds == {CATALOGUE.get(mode).persona_kind for mode in MODES}
    assert scalar_kinds == set(industries())  # today every industry has one


def test_difference_sees_a_sign_of_zero_a_type_and_an_order() -> None:
    assert difference({"a": [{"x": 0.0}]}, {"a": [{"x": -0.0}]}) == ".a[0].x: 0.0 vs -0.0"
    assert difference({"n": 1}, {"n": 1.0}) is not None
    assert difference([{"d": 1}, {"d": 2}], [{"d": 2}, {"d": 1}]) is not None
    assert difference({"a": 1.5, "b": [None]}, {"a": 1.5, "b": [None]}) is None


@pytest.mark.parametrize("mode", MODES)
def test_scalar_rows_equal_batch_rows_in_every_locale_and_on_several_dates(mode: str) -> None:
    found: list[str] = []
    for salt, (locale, as_of, seed) in enumerate(
        (loc, day, seed) for loc in supported_locales() for day in AS_OF for seed in SEEDS
    ):
        found += _mismatches(mode, locale, as_of, seed, _indices(40, salt))
    assert found == [], found[:5]


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_twenty_thousand_scalar_personas_per_mode_equal_the_batch(mode: str) -> None:
    found: list[str] = []
    edges = (DEFAULT_AS_OF, dt.date(2024, 2, 29), *AS_OF_RANGE)  # as_of at both ends of its range too
    for salt, locale in enumerate(supported_locales()):
        for as_of in edges:
            found += _mismatches(mode, locale, as_of, 2**64 - 1, _indices(1_000, 100 + salt))
    assert found == [], found[:5]


@pytest.mark.parametrize("mode", MODES)
def test_generate_persona_equals_the_validated_batch_persona(mode: str) -> None:
    model = CATALOGUE.get(mode)
    index = np.asarray([3, 4096, 77_777], dtype=np.uint64)
    batch = generate_batch(model, "demo", index, "de_DE", DEFAULT_AS_OF)
    for i, persona_index in enumerate(index.tolist()):
        scalar = generate_persona(mode, "demo", index=persona_index, locale="de_DE", modes=CATALOGUE)
        batched = persona_from_batch(batch, i)
        assert scalar == batched
        assert scalar.model_dump_json() == batched.model_dump_json()


def test_scalar_draws_equal_batch_draws_word_for_word() -> None:
    """Every draw type on 50,000 keys, enough to hit the normal's exactly computed outer cells (~25 of them)."""
    keys = row_keys(seed_key(11), np.arange(50_000, dtype=np.uint64))
    batch = Draws(keys)
    cum = cumulative([0.5, 0.2, 0.2, 0.1])
    columns: dict[str, list[Any]] = {
        "bits": batch.bits("f").tolist(),
        "uniform": batch.uniform("f").tolist(),
        "integers": batch.integers("f", -3, 1_000_003).tolist(),
        "normal": batch.normal("f").tolist(),
        "lognormal": batch.lognormal("f", 42.0, 0.8).tolist(),
        "weighted": batch.weighted("f", cum).tolist(),
        "poisson": batch.poisson("f", 3.5, 9).tolist(),
        "poisson_varying": batch.poisson("f", np.linspace(0.1, 12.0, keys.shape[0]), 9).tolist(),
    }
    lam = np.linspace(0.1, 12.0, keys.shape[0]).tolist()
    words = batch.bits("f#1")
    edge = (words >> np.uint64(48)) < np.uint64(16)
    edge |= (words >> np.uint64(48)) >= np.uint64((1 << 16) - 16)
    assert int(edge.sum()) > 5  # the outer cells were exercised
    for i, key in enumerate(keys.tolist()):
        one = OneDraws(key)
        scalar = {
            "bits": one.bits("f"),
            "uniform": one.uniform("f"),
            "integers": one.integers("f", -3, 1_000_003),
            "normal": one.normal("f"),
            "lognormal": one.lognormal("f", 42.0, 0.8),
            "weighted": one.weighted("f", cum),
            "poisson": one.poisson("f", 3.5, 9),
            "poisson_varying": one.poisson_varying("f", lam[i], 9),
        }
        assert difference({k: v[i] for k, v in columns.items()}, scalar) is None, (i, key)
