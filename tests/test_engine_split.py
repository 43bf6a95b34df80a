"""Random access survives the fast paths: any split of the index range, and the single-persona path, give the
same rows as one big batch (Arrow-built strings, alias draws, quantile-table normals, cumsum spacings)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import persona_record, population_children, population_record

import persona_kit.generate as generate_module
from persona_kit import builtin_modes, generate_persona, generate_population, iter_population, mode_from_dict
from persona_kit import supported_locales as locales
from persona_kit.engine.text import ARROW_MIN_ROWS
from persona_kit.modes import BUILTIN_MODE_IDS, ModeCatalogue

GYM = mode_from_dict({**builtin_modes()["banking"].model_dump(), "id": "gym", "name": "Gym", "persona_kind": "generic"})
CATALOGUE = ModeCatalogue([GYM])
MODES = [*BUILTIN_MODE_IDS, "gym"]
N = 700  # above ARROW_MIN_ROWS, so the one-block run builds its strings in Arrow and small blocks do not


def _assert_same(a: generate_module.Population, b: generate_module.Population) -> None:
    pd.testing.assert_frame_equal(a.personas, b.personas, check_categorical=False)
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_categorical=False)


@pytest.mark.parametrize("mode", MODES)
def test_one_two_and_seven_internal_blocks_give_identical_tables(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert N > ARROW_MIN_ROWS > N // 7
    tables = []
    for parts in (1, 2, 7):
        monkeypatch.setattr(generate_module, "WORK_BLOCK", -(-N // parts))
        tables.append(generate_population(mode, N, 41, start=12_345, modes=CATALOGUE))
    _assert_same(tables[0], tables[1])
    _assert_same(tables[0], tables[2])


@pytest.mark.parametrize("mode", MODES)
def test_one_two_and_seven_chunks_stitch_to_the_whole(mode: str) -> None:
    whole = generate_population(mode, N, "split", modes=CATALOGUE)
    for parts in (2, 7):
        chunks = list(iter_population(mode, N, "split", chunk_size=-(-N // parts), modes=CATALOGUE))
        assert len(chunks) == parts
        stitched = generate_module.Population(
            whole.mode_id,
            pd.concat([c.personas for c in chunks], ignore_index=True),
            {name: pd.concat([c.tables[name] for c in chunks], ignore_index=True) for name in whole.tables},
        )
        _assert_same(whole, stitched)


@pytest.mark.parametrize("locale", locales())
@pytest.mark.parametrize("mode", MODES)
def test_single_personas_equal_rows_of_a_large_population(mode: str, locale: str) -> None:
    pop = generate_population(mode, N, 9, start=1000, locale=locale, modes=CATALOGUE)
    for i in (0, 1, 255, 256, 257, 333, N - 1):
        persona = generate_persona(mode, 9, index=1000 + i, locale=locale, modes=CATALOGUE)
        assert population_record(pop, i) == persona_record(persona), (mode, locale, i)
        dump = persona.model_dump()
        for name, rows in population_children(pop, 1000 + i).items():
            assert rows == dump[name], (mode, locale, i, name)
