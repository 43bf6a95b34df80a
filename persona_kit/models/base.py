"""Shared model configuration and the checks every persona applies."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """Immutable, strict about unknown fields: a persona cannot be edited into inconsistency."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def age_at(born: date, when: date) -> int:
    """Whole years between ``born`` and ``when`` (the birthday counts on the day)."""
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def adult_from(born: date) -> date:
    """The 18th birthday (29 February births turn 18 on 1 March)."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return date(born.year + 18, 3, 1)


def money_equal(a: float, b: float) -> bool:
    """Equal to within half a minor unit: totals are rounded sums of rounded parts."""
    return abs(a - b) < 0.005 + 1e-9 * max(abs(a), abs(b))
