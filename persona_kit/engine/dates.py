"""Calendar arithmetic on numpy ``datetime64[D]`` arrays."""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine import kernels

Days = NDArray[np.datetime64]
_SMALL = 8
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_MIN_DAY = dt.date.min.toordinal() - _EPOCH_ORDINAL
_MAX_DAY = dt.date.max.toordinal() - _EPOCH_ORDINAL


def to_day(value: dt.date) -> np.datetime64:
    """A date as a numpy day."""
    return np.datetime64(value.isoformat(), "D")


def ymd(days: Days) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Year, month (1-12) and day (1-31) of each date.

    Integer arithmetic on days since 1970 (Hinnant's ``civil_from_days``), a few times faster than
    numpy's calendar casts to months and years.
    """
    arr = np.asarray(days, dtype="datetime64[D]")
    if arr.size <= _SMALL and arr.ndim == 1:
        # A single persona's dates: the calendar in Python beats twenty numpy calls on tiny arrays.
        dates = [
            dt.date.fromordinal(v + _EPOCH_ORDINAL) if _MIN_DAY <= v <= _MAX_DAY else None
            for v in arr.view(np.int64).tolist()
        ]
        if all(d is not None for d in dates):
            cal = [(d.year, d.month, d.day) for d in dates if d is not None]
            y, m, dd = (np.asarray([c[i] for c in cal], dtype=np.int64) for i in range(3))
            return y, m, dd
    kern = kernels.active(arr.shape[0]) if arr.ndim == 1 else None
    if kern is not None:
        ok, year, month, day = kern.civil_from_days(np.ascontiguousarray(arr.view(np.int64)))
        if ok:
            return year, month, day
    z = arr.view(np.int64) + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + np.where(mp < 10, 3, -9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def age_at(born: Days, when: np.datetime64) -> NDArray[np.int64]:
    """Whole years from ``born`` to ``when``, birthday inclusive (matches models.base.age_at)."""
    by, bm, bd = ymd(born)
    wy, wm, wd = ymd(np.asarray([when], dtype="datetime64[D]"))
    before_birthday = (wm[0] < bm) | ((wm[0] == bm) & (wd[0] < bd))
    out: NDArray[np.int64] = wy[0] - by - before_birthday.astype(np.int64)
    return out


def add_years(days: Days, years: int) -> Days:
    """The same calendar day ``years`` later; 29 February rolls to 1 March (matches adult_from)."""
    y, m, d = ymd(days)
    month_start = ((y + years - 1970) * 12 + (m - 1)).astype("datetime64[M]").astype("datetime64[D]")
    out: Days = month_start + (d - 1).astype("timedelta64[D]")
    return out


def add_months(days: Days, months: NDArray[np.int64]) -> Days:
    """Calendar month arithmetic; a day past the month's end rolls into the next month."""
    y, m, d = ymd(days)
    month_start = ((y - 1970) * 12 + (m - 1) + months).astype("datetime64[M]").astype("datetime64[D]")
    out: Days = month_start + (d - 1).astype("timedelta64[D]")
    return out


def days_between(later: Days | np.datetime64, earlier: Days | np.datetime64) -> NDArray[np.int64]:
    """Whole days from ``earlier`` to ``later``."""
    return np.asarray((later - earlier).astype(np.int64))


def shift(days: Days | np.datetime64, delta: NDArray[np.int64]) -> Days:
    """Move dates by a number of days."""
    return np.asarray(days + delta.astype("timedelta64[D]"))
