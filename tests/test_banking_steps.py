"""Banking transactions made in steps of personas within a block are the rows made in one step."""

from __future__ import annotations

import pandas as pd
import pytest

import persona_kit.generate as generate_module
import persona_kit.industries.banking.transactions as transactions_module
from persona_kit import generate_population


@pytest.mark.parametrize("locale", ["en_US", "ja_JP"])
def test_one_three_and_nine_steps_give_identical_tables(locale: str, monkeypatch: pytest.MonkeyPatch) -> None:
    n = 900
    monkeypatch.setattr(generate_module, "WORK_BLOCK", 1000)  # one block, so only the steps differ
    tables = []
    for steps in (1, 3, 9):
        monkeypatch.setattr(transactions_module, "TX_BLOCK", n // steps)
        tables.append(generate_population("banking", n, 3, start=77, locale=locale))
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0].personas, other.personas)
        pd.testing.assert_frame_equal(tables[0]["recent_transactions"], other["recent_transactions"])
    assert len(tables[0]["recent_transactions"]) > 10 * n
