"""generate_persona / generate_population: determinism, equality of paths, bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from helpers import persona_record, population_children, population_record
from hypothesis import given
from hypothesis import strategies as st

from persona_kit import (
    DEFAULT_AS_OF,
    ModeCatalogue,
    SeedError,
    UnknownLocaleError,
    UnknownModeError,
    builtin_modes,
    generate_persona,
    generate_population,
    iter_population,
    mode_from_dict,
    supported_locales,
)
from persona_kit.modes import BUILTIN_MODE_IDS

GYM = mode_from_dict(
    {
        **builtin_modes()["banking"].model_dump(),
        "id": "gym",
        "name": "Gym",
        "persona_kind": "generic",
        "company_name": "Peak Fitness",
    }
)
CATALOGUE = ModeCatalogue([GYM])
MODES = [*BUILTIN_MODE_IDS, "gym"]
LOCALES = supported_locales()

mode_st = st.sampled_from(MODES)
seed_st = st.one_of(st.integers(min_value=0, max_value=2**64 - 1), st.text(max_size=40).filter(str.strip))
index_st = st.integers(min_value=0, max_value=2**35 - 1)
locale_st = st.sampled_from(LOCALES)
as_of_st = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))


def test_at_least_five_locales_one_non_latin() -> None:
    assert len(LOCALES) >= 5
    assert "ja_JP" in LOCALES


@given(mode_st, seed_st, index_st, locale_st, as_of_st)
def test_any_persona_validates_and_round_trips(
    mode: str, seed: int | str, index: int, locale: str, as_of: dt.date
) -> None:
    persona = generate_persona(mode, seed, index=index, locale=locale, as_of=as_of, modes=CATALOGUE)
    wire = persona.model_dump(mode="json")
    again = type(persona).model_validate_json(json.dumps(wire))
    assert again == persona
    assert persona.identity.locale == locale


@given(mode_st, seed_st, st.integers(min_value=0, max_value=2**35 - 40), locale_st, as_of_st, st.integers(1, 30))
def test_persona_equals_its_population_row(
    mode: str, seed: int | str, start: int, locale: str, as_of: dt.date, n: int
) -> None:
    pop = generate_population(mode, n, seed, start=start, locale=locale, as_of=as_of, modes=CATALOGUE)
    assert len(pop.personas) == n
    for i in {0, n // 2, n - 1}:
        persona = generate_persona(mode, seed, index=start + i, locale=locale, as_of=as_of, modes=CATALOGUE)
        assert population_record(pop, i) == persona_record(persona)
        children = population_children(pop, start + i)
        dump = persona.model_dump()
        for name, rows in children.items():
            assert rows == dump[name], name


def test_results_do_not_depend_on_batch_size_or_order() -> None:
    whole = generate_population("insurance", 600, 11)
    parts = list(iter_population("insurance", 600, 11, chunk_size=170))
    assert len(parts) == 4
    import pandas as pd

    stitched = pd.concat([p.personas for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(whole.personas, stitched, check_categorical=False)
    claims = pd.concat([p.tables["claims_history"] for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(whole.tables["claims_history"], claims, check_categorical=False)
    # Generating a later slice first changes nothing.
    late = generate_population("insurance", 100, 11, start=500)
    pd.testing.assert_frame_equal(
        late.personas.reset_index(drop=True),
        whole.personas.iloc[500:].reset_index(drop=True),
        check_categorical=False,
    )


def test_random_access_far_index() -> None:
    far = generate_persona("banking", 7, index=987_654)
    pop = generate_population("banking", 3, 7, start=987_653)
    assert population_record(pop, 1) == persona_record(far)


def test_default_as_of_is_fixed_not_today() -> None:
    assert DEFAULT_AS_OF == dt.date(2026, 7, 1)
    assert generate_persona("banking", 1).as_of == DEFAULT_AS_OF


def test_as_of_moves_dates_with_it() -> None:
    a = generate_persona("healthcare", 3, as_of=dt.date(2030, 1, 15))
    assert all(appt.date > dt.date(2030, 1, 15) for appt in a.upcoming_appointments)


def test_same_key_same_persona_in_other_processes_with_other_hash_seeds() -> None:
    code = (
        "import json, sys; from persona_kit import generate_persona; from persona_kit.modes import BUILTIN_MODE_IDS;"
        "print(json.dumps([generate_persona(m, s, index=i, locale=l).model_dump(mode='json')"
        " for m in BUILTIN_MODE_IDS for s in (7, 'session-xyz')"
        " for i in (0, 987654) for l in ('en_US','ja_JP')], sort_keys=True))"
    )
    outputs = set()
    for hash_seed in ("0", "1", "12345", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.add(out.stdout)
    assert len(outputs) == 1
    local = [
        generate_persona(m, s, index=i, locale=loc).model_dump(mode="json")
        for m in BUILTIN_MODE_IDS
        for s in (7, "session-xyz")
        for i in (0, 987654)
        for loc in ("en_US", "ja_JP")
    ]
    assert json.loads(outputs.pop()) == json.loads(json.dumps(local, sort_keys=True))


def test_generation_reads_no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze-proofing: a broken clock cannot change or break generation."""
    import time

    before = generate_persona("insurance", 99).model_dump()

    def boom(*_: object) -> float:
        raise AssertionError("generation read the clock")

    monkeypatch.setattr(time, "time", boom)
    monkeypatch.setattr(time, "time_ns", boom)
    assert generate_persona("insurance", 99).model_dump() == before


def test_unknown_mode_lists_known_ids() -> None:
    with pytest.raises(UnknownModeError, match="unknown mode 'bakery'; known modes: banking, healthcare, insurance"):
        generate_persona("bakery", 1)


def test_unknown_locale_lists_supported() -> None:
    with pytest.raises(UnknownLocaleError, match="supported locales: de_DE, en_GB, en_US, fr_FR, ja_JP"):
        generate_persona("banking", 1, locale="xx_XX")


@pytest.mark.parametrize("seed", [-5, 3.5, None, True])
def test_bad_seed(seed: object) -> None:
    with pytest.raises(SeedError):
        generate_persona("banking", seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("as_of", ["2026-01-01", dt.datetime(2026, 1, 1), None])
def test_bad_as_of(as_of: object) -> None:
    with pytest.raises(TypeError, match=r"as_of must be a datetime\.date"):
        generate_persona("banking", 1, as_of=as_of)  # type: ignore[arg-type]


@pytest.mark.parametrize(("n", "start"), [(-1, 0), (1.5, 0), (10, -3), (10, 2**35), (10, 2**35 - 5)])
def test_bad_population_sizes(n: object, start: object) -> None:
    with pytest.raises(ValueError, match="must be an integer"):
        generate_population("banking", n, 1, start=start)  # type: ignore[arg-type]


@pytest.mark.parametrize("as_of", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_as_of_out_of_range(as_of: dt.date) -> None:
    with pytest.raises(ValueError, match="as_of must be between 1900-01-01 and 2200-12-31"):
        generate_persona("insurance", 1, as_of=as_of)


def test_numpy_integers_are_accepted() -> None:
    import numpy as np

    pop = generate_population("banking", np.int64(3), 1, start=np.int64(2))
    assert pop.personas["persona_index"].tolist() == [2, 3, 4]


def test_iter_population_checks_arguments_before_iterating() -> None:
    with pytest.raises(UnknownModeError):
        iter_population("bakery", 10, 1)
    with pytest.raises(SeedError):
        iter_population("banking", 10, -1)
    with pytest.raises(UnknownLocaleError):
        iter_population("banking", 10, 1, locale="tlh")
    with pytest.raises(ValueError, match="chunk_size"):
        iter_population("banking", 10, 1, chunk_size=0)


def test_empty_population() -> None:
    pop = generate_population("healthcare", 0, 1)
    assert len(pop.personas) == 0
    assert set(pop.tables) == {"upcoming_appointments", "active_prescriptions"}


def test_ids_stay_unique_at_the_top_of_the_index_range() -> None:
    top = 2**35 - 1
    ids = set()
    for index in (0, 1, 2**32, 2**34, top - 1, top):
        p = generate_persona("insurance", 7, index=index)
        numbers = [x.policy_number for x in p.active_policies] + [c.claim_id for c in p.claims_history]
        assert not ids & set(numbers)
        ids |= set(numbers)
