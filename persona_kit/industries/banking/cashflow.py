"""Money that fits the life: an income latent and the payments that recur within the 30-day window.

Each recurring stream (rent or mortgage, bills, subscriptions, pay or pension)
is a fixed payee on a fixed schedule: a day of the month, a weekday, or the
Social Security Wednesday set by the day of birth. Dates are found by calendar
arithmetic over the two or three months the window touches, vectorised over
personas; nothing loops over personas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import numpy as np
from pydantic import Field

from persona_kit.data import DataModel
from persona_kit.engine.batch import ChildRows, Context, step_lookup
from persona_kit.engine.dates import Days, ymd
from persona_kit.engine.draws import F64, I64, Draws, cumulative
from persona_kit.engine.kernels import Kernels

DAYS_PER_MONTH = 365.2425 / 12
PERIODS_PER_YEAR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}
FRIDAY, WEDNESDAY = 4, 2


class Income(DataModel):
    age_edges: list[float]
    median_usd: list[float]
    sigma: float = Field(ge=0)


class Spending(DataModel):
    age_edges: list[float]
    mean_annual_usd: list[float]
    account_share: float = Field(gt=0, le=1)
    income_elasticity: float = Field(ge=0)


class LocalFigure(DataModel):
    value: float = Field(gt=0)
    source: str


class Payment(DataModel):
    median_usd: float = Field(gt=0)
    sigma: float = Field(ge=0)
    income_correlation: float = Field(ge=-1, le=1)
    days: tuple[int, int]
    mcc: str
    local_median: dict[str, LocalFigure | str] = Field(default_factory=dict)

    def median_in_usd_terms(self, locale: str, price_factor: float) -> float:
        """The median as a US-dollar figure that ``Context.money`` turns into the local one.

        A locale with its own published figure gets exactly that; others the US figure times price_factor.
        """
        local = self.local_median.get(locale)
        return local.value / price_factor if isinstance(local, LocalFigure) else self.median_usd


class Housing(DataModel):
    age_edges: list[float]
    owner_share: list[float]
    mortgage_share_of_owners: list[float]
    rent: Payment
    mortgage: Payment


class Bill(DataModel):
    pool: str
    category: str
    mcc: str
    share: float = Field(ge=0, le=1)
    median_usd: float = Field(gt=0)
    sigma: float = Field(ge=0)
    jitter: float = Field(ge=0)


class Subscriptions(DataModel):
    count_mean: float = Field(ge=0)
    cap: int = Field(ge=0)
    category: str
    mcc: str
    prices_usd: list[float] = Field(min_length=1)


class LocalPay(DataModel):
    frequency: dict[str, float]
    monthly_day: int = Field(ge=1, le=31)


class Payroll(DataModel):
    age_edges: list[float]
    employment_rate: list[float]
    frequency: dict[str, float]
    monthly_day: int = Field(ge=1, le=31)
    take_home_share: float = Field(gt=0, le=1)
    benefit_age: float
    by_locale: dict[str, LocalPay | str] = Field(default_factory=dict)

    def local(self, locale: str) -> LocalPay:
        """This locale's pay frequencies and monthly payday (the US table where none is given)."""
        entry = self.by_locale.get(locale)
        return (
            entry if isinstance(entry, LocalPay) else LocalPay(frequency=self.frequency, monthly_day=self.monthly_day)
        )


@dataclass(frozen=True)
class Stream:
    """Rows of one stream: owner, days before as_of, signed USD amount, payee index; grouped by owner."""

    parent: I64
    days_ago: I64
    amount_usd: F64
    payee: I64


def income_latent(draws: Draws, age: F64, cfg: Income) -> tuple[F64, F64]:
    """Annual household income (USD) by age band, log-normal; also its standard-normal driver."""
    z = draws.normal("income")
    return step_lookup(cfg.age_edges, cfg.median_usd, age) * np.exp(cfg.sigma * z), z


def occurrences(as_of: np.datetime64, window: int, who: I64, dates: list[Days]) -> tuple[I64, I64]:
    """Which candidate dates fall in the window: (owner, days ago), grouped by owner, newest first."""
    # Day counts as plain integers (numpy's datetime arithmetic is several times slower; no date here is NaT).
    today = int(as_of.astype(np.int64))
    ago = np.stack([today - np.asarray(date, dtype="datetime64[D]").view(np.int64) for date in dates], axis=1)
    if ago.shape[1] > 1 and not bool((ago[:, 1:] >= ago[:, :-1]).all()):
        ago = np.sort(ago, axis=1)  # a few candidates per owner: a tiny row-wise sort (most come sorted)
    inside = (ago >= 0) & (ago < window)
    owner = np.repeat(who, inside.sum(axis=1))
    return owner, ago[inside]


def _month_starts(as_of: np.datetime64) -> tuple[tuple[np.datetime64, int], ...]:
    """The first day and length of the month of as_of and the two before it (a 30-day window spans at most three)."""
    return _month_starts_of(int(as_of.astype("datetime64[D]").astype(np.int64)))


@cache
def _month_starts_of(day: int) -> tuple[tuple[np.datetime64, int], ...]:
    # Keyed by the day number: the same few dates for every persona of a run, worked out once.
    month = np.datetime64(day, "D").astype("datetime64[M]")
    out = []
    for k in range(3):
        start = (month - k).astype("datetime64[D]")
        end = (month - k + 1).astype("datetime64[D]")
        out.append((start, int((end - start).astype(np.int64))))
    return tuple(out)


def monthly(as_of: np.datetime64, day: I64) -> list[Days]:
    """The ``day``-th of each month the window may touch (the last day for a shorter month)."""
    return [start + (np.minimum(day, length) - 1) for start, length in _month_starts(as_of)]


def nth_weekday(as_of: np.datetime64, weekday: int, nth: I64) -> list[Days]:
    """The ``nth`` given weekday (Monday 0) of each month the window may touch."""
    out = []
    for start, _ in _month_starts(as_of):
        first = (weekday - (int(start.astype(np.int64)) + 3)) % 7  # 1970-01-01 was a Thursday
        out.append(start + (first + 7 * (nth - 1)))
    return out


def every(as_of: np.datetime64, window: int, weekday: int, period: int, phase: I64) -> list[Days]:
    """Paydays every ``period`` days on ``weekday``, the latest ``phase`` weeks before the latest such weekday."""
    latest = (int(as_of.astype(np.int64)) + 3 - weekday) % 7
    return [as_of - (latest + 7 * phase + period * j) for j in range(window // period + 1)]


def day_of_month(days: Days) -> I64:
    """1..31."""
    return ymd(days)[2]


def fixed_stream(
    ctx: Context,
    window: int,
    who: I64,
    dates: list[Days],
    amount_usd: F64,
    payee: I64,
) -> Stream:
    """A stream paying ``amount_usd[i]`` to ``payee[i]`` on each of persona ``who[i]``'s dates in the window.

    ``who`` must be sorted (several rows may share a persona: one per subscription), so the stream
    stays grouped by persona in a persona-local order.
    """
    index = np.arange(who.shape[0], dtype=np.int64)
    owner, ago = occurrences(ctx.as_of, window, index, dates)
    return Stream(who[owner], ago, amount_usd[owner], payee[owner])


def keyed_stream(
    ctx: Context,
    window: int,
    who: I64,
    key: I64,
    dates_of: Callable[[I64], list[Days]],
    amount_usd: F64,
    payee: I64,
    kern: Kernels | None = None,
) -> Stream:
    """:func:`fixed_stream` for rows whose dates depend only on a small whole-number ``key`` (a day of the
    month, a pay phase): ``dates_of(keys)`` gives the candidate dates of each key, whose occurrences in the
    window are worked out once per key value and gathered for every row (by ``kern`` when given).
    """
    size = int(key.max(initial=-1)) + 1
    per_key, first, table_ago = _key_table(ctx.as_of, window, size, dates_of)
    if kern is not None:
        return Stream(*kern.keyed_rows(who, key, first, per_key, table_ago, amount_usd, payee))
    count = np.take(per_key, key)
    cell = np.repeat(np.take(first, key), count)
    row_start = np.cumsum(count)
    row_start -= count
    cell += np.arange(cell.shape[0], dtype=np.int64)
    cell -= np.repeat(row_start, count)
    return Stream(
        np.repeat(who, count), np.take(table_ago, cell), np.repeat(amount_usd, count), np.repeat(payee, count)
    )


_KEY_TABLES: dict[tuple[object, ...], tuple[I64, I64, I64]] = {}


def _key_table(
    as_of: np.datetime64, window: int, size: int, dates_of: Callable[[I64], list[Days]]
) -> tuple[I64, I64, I64]:
    """Occurrences in the window of each key value ``0..size-1``: how many, where each key's run starts, and
    the days ago of every run. Worked out once per schedule (``dates_of`` a partial of plain arguments) and
    window: every step of a population asks for the same few."""
    cache_key: tuple[object, ...] | None = None
    if isinstance(dates_of, partial) and not dates_of.keywords:
        cache_key = (dates_of.func, *dates_of.args, int(as_of.astype(np.int64)), window, size)
        hit = _KEY_TABLES.get(cache_key)
        if hit is not None:
            return hit
    values = np.arange(size, dtype=np.int64)
    table_owner, table_ago = occurrences(as_of, window, values, dates_of(values))
    per_key = np.bincount(table_owner, minlength=size)
    first = np.zeros(size, dtype=np.int64)
    np.cumsum(per_key[:-1], out=first[1:])
    if cache_key is not None:
        if len(_KEY_TABLES) > 1024:
            _KEY_TABLES.clear()
        for arr in (per_key, first, table_ago):
            arr.flags.writeable = False
        _KEY_TABLES[cache_key] = (per_key, first, table_ago)
    return per_key, first, table_ago


def jittered(ctx: Context, stream: Stream, table: str, jitter: float) -> Stream:
    """The same stream with each occurrence's amount varied by a factor exp(jitter * N(0,1)) (metered bills)."""
    if jitter == 0 or stream.parent.shape[0] == 0:
        return stream
    counts = np.bincount(stream.parent, minlength=ctx.n).astype(np.int64)
    rows = ChildRows.from_counts(ctx.keys, table, counts)
    factor = np.exp(jitter * rows.draws().normal("amount"))
    return Stream(stream.parent, stream.days_ago, stream.amount_usd * factor, stream.payee)


def pay_streams(
    ctx: Context,
    d: Draws,
    cfg: Payroll,
    age: F64,
    income_usd: F64,
    dob: Days,
    window: int,
    kern: Kernels | None = None,
) -> tuple[Stream, Stream]:
    """Pay for the employed (by the locale's pay frequencies) and a monthly pension for the retired."""
    n = ctx.n
    local = cfg.local(ctx.locale)
    employed = d.uniform("payroll.employed") < step_lookup(cfg.age_edges, cfg.employment_rate, age)
    names = list(local.frequency)
    freq = d.weighted("payroll.frequency", cumulative(list(local.frequency.values())))
    phase = d.integers("payroll.phase", 0, 1)
    per_year = np.asarray([PERIODS_PER_YEAR[f] for f in names], dtype=np.float64)[freq]
    per_pay = income_usd * cfg.take_home_share / per_year
    idx = np.arange(n, dtype=np.int64)
    parts: list[Stream] = []
    as_of = ctx.as_of
    for code, name in enumerate(names):
        who = idx[employed & (freq == code)]
        key = np.zeros(who.shape[0], dtype=np.int64)
        dates_of: Callable[[I64], list[Days]]
        if name == "weekly":
            dates_of = partial(every, as_of, window, FRIDAY, 7)
        elif name == "biweekly":
            key = phase[who]
            dates_of = partial(every, as_of, window, FRIDAY, 14)
        elif name == "semimonthly":
            dates_of = partial(_semimonthly, as_of)
        else:
            dates_of = partial(_monthly_on, as_of, local.monthly_day)
        parts.append(
            keyed_stream(ctx, window, who, key, dates_of, per_pay[who], np.zeros(who.shape[0], dtype=np.int64), kern)
        )
    pay = concat(parts)
    retired = idx[~employed & (age >= cfg.benefit_age)]
    if ctx.locale == "en_US":
        # Social Security: 2nd, 3rd or 4th Wednesday by day of birth (1-10, 11-20, 21-31).
        nth = 2 + (day_of_month(dob[retired]) > 10) + (day_of_month(dob[retired]) > 20)
        key, dates_of = nth.astype(np.int64), partial(nth_weekday, as_of, WEDNESDAY)
    else:
        key, dates_of = np.zeros(retired.shape[0], dtype=np.int64), partial(_monthly_on, as_of, local.monthly_day)
    pension = income_usd[retired] * cfg.take_home_share / 12
    no_payee = np.zeros(retired.shape[0], dtype=np.int64)
    benefits = keyed_stream(ctx, window, retired, key, dates_of, pension, no_payee, kern)
    return pay, benefits


def _semimonthly(as_of: np.datetime64, key: I64) -> list[Days]:
    """The 15th and the last day of each month the window may touch."""
    return monthly(as_of, np.full(key.shape[0], 15)) + monthly(as_of, np.full(key.shape[0], 31))


def _monthly_on(as_of: np.datetime64, day: int, key: I64) -> list[Days]:
    """The same ``day`` of each month the window may touch, for every row."""
    return monthly(as_of, np.full(key.shape[0], day))


def concat(parts: list[Stream]) -> Stream:
    """Streams of one kind joined and regrouped by owner (stable, so each owner's order is kept)."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Stream(empty, empty, np.zeros(0), empty)
    parent = np.concatenate([p.parent for p in parts])
    order = np.argsort(parent, kind="stable")
    return Stream(
        parent[order],
        np.concatenate([p.days_ago for p in parts])[order],
        np.concatenate([p.amount_usd for p in parts])[order],
        np.concatenate([p.payee for p in parts])[order],
    )


__all__ = [
    "Bill", "Housing", "Income", "LocalFigure", "LocalPay", "Payment", "Payroll", "Spending", "Stream",
    "Subscriptions",
    "concat", "every", "fixed_stream", "income_latent", "jittered", "keyed_stream", "monthly", "nth_weekday",
    "pay_streams",
]  # fmt: skip
