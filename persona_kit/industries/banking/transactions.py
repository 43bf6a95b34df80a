"""The last 30 days of a banking persona's account: recurring payments plus everyday spending.

Everyday spending is sized so that mean 30-day debits follow the Consumer
Expenditure Survey by age (recurring payments included) and rise with the
income latent; rent, mortgage, bills, subscriptions and pay recur on their own
schedules (see :mod:`persona_kit.industries.banking.cashflow`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine.batch import Batch, ChildRows, Column, Context, coded, small_codes, step_lookup
from persona_kit.engine.dates import Days
from persona_kit.engine.draws import F64, I64, Draws, cumulative
from persona_kit.engine.kernels import Kernels, for_block
from persona_kit.industries.banking import compiled
from persona_kit.industries.banking.cashflow import (
    DAYS_PER_MONTH,
    Stream,
    income_latent,
    jittered,
    keyed_stream,
    monthly,
    pay_streams,
)
from persona_kit.industries.banking.categories import COMPARISONS, category_of, category_tables

if TYPE_CHECKING:
    from persona_kit.industries.banking.generator import BankingStats
    from persona_kit.industries.identity import IdentityColumns


@dataclass(frozen=True)
class Vocab:
    """Flat merchant, category and MCC vocabularies, with where each merchant pool starts.

    Every pool belongs to one category and MCC, so a transaction's merchant names both:
    ``merchant_category[m]`` and ``merchant_mcc[m]`` are the codes of merchant ``m``'s.
    """

    merchants: list[str]
    start: dict[str, int]
    size: dict[str, int]
    categories: list[str]
    mccs: list[str]
    merchant_category: NDArray[np.signedinteger[Any]]
    merchant_mcc: NDArray[np.signedinteger[Any]]

    def payee(self, pool: str, u: F64) -> I64:
        """A uniform pick from ``pool`` by ``u``, as an index into :attr:`merchants`."""
        out: I64 = self.start[pool] + np.floor(u * self.size[pool]).astype(np.int64)
        return out


_VOCABS: dict[tuple[int, str], tuple[BankingStats, Vocab]] = {}


def _vocab(s: BankingStats, locale: str) -> Vocab:
    """The locale's vocabularies for these stats, built once (transactions are made in many small steps)."""
    hit = _VOCABS.get((id(s), locale))
    if hit is not None and hit[0] is s:
        return hit[1]
    if len(_VOCABS) > 64:
        _VOCABS.clear()
    v = _build_vocab(s, locale)
    _VOCABS[id(s), locale] = (s, v)
    return v


def _build_vocab(s: BankingStats, locale: str) -> Vocab:
    pools = s.merchant_pools(locale)
    tags = _pool_tags(s)
    categories = s.category_names()
    mccs = [c.mcc for c in s.transactions.categories]
    mccs += [s.housing.rent.mcc, s.housing.mortgage.mcc, *(b.mcc for b in s.bills), s.subscriptions.mcc, INCOME_MCC]
    mccs = list(dict.fromkeys(mccs))
    merchants: list[str] = []
    start, size = {}, {}
    merchant_category: list[int] = []
    merchant_mcc: list[int] = []
    for name in s.pool_names():
        start[name], size[name] = len(merchants), len(pools[name])
        merchants.extend(pools[name])
        category, mcc = tags[name]
        merchant_category += [categories.index(category)] * len(pools[name])
        merchant_mcc += [mccs.index(mcc)] * len(pools[name])
    return Vocab(
        merchants, start, size, categories, mccs,
        np.asarray(merchant_category, dtype=small_codes(len(categories))),
        np.asarray(merchant_mcc, dtype=small_codes(len(mccs))),
    )  # fmt: skip


INCOME_MCC = "6011"


def _pool_tags(s: BankingStats) -> dict[str, tuple[str, str]]:
    """The category and MCC of every merchant pool's transactions; a pool shared by two streams must agree."""
    h, sub = s.housing, s.subscriptions
    pairs = [(c.name, (c.name, c.mcc)) for c in s.transactions.categories]
    pairs += [("Housing.rent", ("Housing", h.rent.mcc)), ("Housing.mortgage", ("Housing", h.mortgage.mcc))]
    pairs += [(b.pool, (b.category, b.mcc)) for b in s.bills]
    pairs += [("Subscriptions", (sub.category, sub.mcc))]
    pairs += [("Income.payroll", ("Income", INCOME_MCC)), ("Income.benefits", ("Income", INCOME_MCC))]
    tags: dict[str, tuple[str, str]] = {}
    for pool, tag in pairs:
        if tags.setdefault(pool, tag) != tag:
            msg = f"banking.json merchant pool {pool!r} is used with two categories or MCCs: {tags[pool]} and {tag}"
            raise ValueError(msg)
    return tags


def _expected_monthly_poisson(mean: float, cap: int) -> float:
    """E[min(N, cap)] for N ~ Poisson(mean), as Draws.poisson caps it."""
    k = np.arange(cap + 1)
    logp = -mean + k * np.log(max(mean, 1e-300)) - np.cumsum(np.log(np.maximum(k, 1)))
    p = np.exp(logp)
    return float((k * p).sum() + cap * max(0.0, 1 - p.sum()))


def _recurring(
    ctx: Context, d: Draws, s: BankingStats, v: Vocab, age: F64, z_income: F64, kern: Kernels | None
) -> list[Stream]:
    window = s.transactions.window_days
    n = ctx.n
    idx = np.arange(n, dtype=np.int64)
    h = s.housing
    owner = d.uniform("housing.owner") < step_lookup(h.age_edges, h.owner_share, age)
    mortgaged = owner & (d.uniform("housing.mortgage") < step_lookup(h.age_edges, h.mortgage_share_of_owners, age))
    out: list[Stream] = []
    for kind, who, pay in (("rent", idx[~owner], h.rent), ("mortgage", idx[mortgaged], h.mortgage)):
        rho = pay.income_correlation
        z = rho * z_income[who] + np.sqrt(1 - rho * rho) * d.normal(f"housing.{kind}")[who]
        day = d.integers(f"housing.{kind}.day", pay.days[0], pay.days[1])[who]
        payee = v.payee(f"Housing.{kind}", d.uniform(f"housing.{kind}.payee")[who])
        amount = -pay.median_in_usd_terms(ctx.locale, ctx.spec.price_factor) * np.exp(pay.sigma * z)
        out.append(keyed_stream(ctx, window, who, day, partial(monthly, ctx.as_of), amount, payee, kern))
    for bill in s.bills:
        who = idx[d.uniform(f"bill.{bill.pool}") < bill.share]
        day = d.integers(f"bill.{bill.pool}.day", 1, 28)[who]
        amount = -d.lognormal(f"bill.{bill.pool}.amount", bill.median_usd, bill.sigma)[who]
        payee = v.payee(bill.pool, d.uniform(f"bill.{bill.pool}.payee")[who])
        stream = keyed_stream(ctx, window, who, day, partial(monthly, ctx.as_of), amount, payee, kern)
        out.append(jittered(ctx, stream, f"bill.{bill.pool}", bill.jitter))
    sub = s.subscriptions
    counts = d.poisson("subscriptions.count", sub.count_mean, sub.cap)
    rows = ChildRows.from_counts(ctx.keys, "subscriptions", counts)
    rd = rows.draws()
    prices = np.asarray(sub.prices_usd)[rd.integers("price", 0, len(sub.prices_usd) - 1)]
    # Distinct services within a persona: consecutive names of the pool from a random start.
    first = d.integers("subscriptions.first", 0, v.size["Subscriptions"] - 1)[rows.parent]
    payee = v.start["Subscriptions"] + (first + rows.position) % v.size["Subscriptions"]
    day = rd.integers("day", 1, 28)
    out.append(keyed_stream(ctx, window, rows.parent, day, partial(monthly, ctx.as_of), -prices, payee, kern))
    return out


def _monthly_recurring_usd(ctx: Context, s: BankingStats, age: F64) -> F64:
    """Expected recurring debits in the window at each age (housing by tenure, bills, subscriptions)."""
    h = s.housing
    own = step_lookup(h.age_edges, h.owner_share, age)
    mort = own * step_lookup(h.age_edges, h.mortgage_share_of_owners, age)
    factor = ctx.spec.price_factor
    rent = h.rent.median_in_usd_terms(ctx.locale, factor) * np.exp(h.rent.sigma**2 / 2)
    mortgage = h.mortgage.median_in_usd_terms(ctx.locale, factor) * np.exp(h.mortgage.sigma**2 / 2)
    bills = sum(b.share * b.median_usd * np.exp(b.sigma**2 / 2 + b.jitter**2 / 2) for b in s.bills)
    sub = s.subscriptions
    subs = _expected_monthly_poisson(sub.count_mean, sub.cap) * float(np.mean(sub.prices_usd))
    per_month: F64 = (1 - own) * rent + mort * mortgage + bills + subs
    return per_month * s.transactions.window_days / DAYS_PER_MONTH


def _everyday(
    ctx: Context, d: Draws, s: BankingStats, v: Vocab, age: F64, z_income: F64, kern: Kernels | None
) -> Stream:
    """Everyday spending whose expected total makes 30-day debits follow CE spending by age and income."""
    t, sp = s.transactions, s.spending
    window = t.window_days
    target = step_lookup(sp.age_edges, sp.mean_annual_usd, age) / 12 * sp.account_share * window / DAYS_PER_MONTH
    # Never less than a fifth of the target: recurring costs cannot crowd out all everyday spending.
    base = np.maximum(target - _monthly_recurring_usd(ctx, s, age), 0.2 * target)
    spread = sp.income_elasticity * s.income.sigma
    wanted = base * np.exp(spread * z_income - spread * spread / 2)  # mean-one income factor
    cats = t.categories
    weights = np.asarray([c.weight for c in cats]) / sum(c.weight for c in cats)
    mean_amount = float(sum(w * c.median_usd * np.exp(c.sigma**2 / 2) for w, c in zip(weights, cats, strict=True)))
    lam = t.count_mean * (wanted / (t.count_mean * mean_amount)) ** t.count_elasticity
    counts = d.poisson("transactions.count", lam, t.count_cap)
    per_persona = wanted / (lam * mean_amount)
    cum = cumulative(weights)
    per = category_tables(v, cats, weights)
    if kern is not None and cum.shape[0] <= COMPARISONS:
        return compiled.everyday_stream(
            kern, ctx.keys, counts, cum, per.packed, per.pool_start, per.median, per_persona, window
        )
    rows = ChildRows.from_counts(ctx.keys, "transactions", counts)
    rd = rows.draws()
    scale = np.repeat(per_persona, counts)
    # One uniform picks the category, then (rescaled within the category's slice) the merchant, then
    # (rescaled within the merchant's slice) the day: 53 random bits are plenty for all three.
    u = rd.uniform("category")
    cat = category_of(cum, u)
    # within = clip((u - slice start) / slice weight), in place; np.take gathers per-category values
    # several times faster than fancy indexing.
    within = u
    within -= np.take(per.slice_start, cat)
    within /= np.take(per.weight, cat)
    np.clip(within, 0.0, 1.0 - 1e-12, out=within)
    within *= np.take(per.pool_size, cat)
    pick = np.floor(within)
    payee = pick.astype(np.int64)
    payee += np.take(per.pool_start, cat)
    within -= pick
    within *= window
    np.floor(within, out=within)
    days_ago = within.astype(np.int64)
    np.minimum(days_ago, window - 1, out=days_ago)
    amount = rd.lognormal("amount", np.take(per.median, cat), np.take(per.sigma, cat))
    np.negative(amount, out=amount)
    amount *= scale
    return Stream(rows.parent, days_ago, amount, payee)


TX_BLOCK = 8192
"""Personas whose transactions are made in one step: about 160,000 rows, so each row-level temporary (1.3 MB)
stays in the core's cache instead of a 32,768-persona block's 5 MB arrays. Measured on 2 cores (CPU time of
200,000 personas, best of 4): 2,048 0.84 s, 4,096 0.80 s, 8,192 0.73 s, 16,384 0.73 s (smaller steps pay numpy's
per-call cost more often). Rows do not depend on it: every draw is keyed by persona and position."""


def add_transactions(ctx: Context, batch: Batch, s: BankingStats, ident: IdentityColumns) -> None:
    """Attach ``recent_transactions``: recurring streams and everyday spending, newest first."""
    age, dob = ident.age_years, ident.date_of_birth
    kern = for_block(ctx.n)
    if ctx.n <= TX_BLOCK:
        batch.add_table("recent_transactions", *_transactions(ctx, s, age, dob, kern))
        return
    parts = []
    for lo in range(0, ctx.n, TX_BLOCK):
        hi = min(lo + TX_BLOCK, ctx.n)
        sub = Context(ctx.seed_key, ctx.index[lo:hi], ctx.locale, ctx.spec, ctx.as_of)
        parts.append(_transactions(sub, s, age[lo:hi], dob[lo:hi], kern))
    batch.add_parts("recent_transactions", parts)


_Table = tuple[I64, I64, dict[str, Column]]


def _transactions(ctx: Context, s: BankingStats, age: F64, dob: Days, kern: Kernels | None) -> _Table:
    """Offsets, positions and columns of the transactions of every persona in ``ctx``."""
    d = ctx.draws()
    v = _vocab(s, ctx.locale)
    income_usd, z_income = income_latent(d, age, s.income)
    window = s.transactions.window_days
    streams = _recurring(ctx, d, s, v, age, z_income, kern)
    pay, benefits = pay_streams(ctx, d, s.payroll, age, income_usd, dob, window, kern)
    streams.append(_payee(pay, v, "Income.payroll", d, "payroll.payee"))
    streams.append(_payee(benefits, v, "Income.benefits", d, "benefits.payee"))
    streams.append(_everyday(ctx, d, s, v, age, z_income, kern))
    payee = _joined([g.payee for g in streams], len(v.merchants))
    today = int(ctx.as_of.astype(np.int64))
    ordered = None
    if kern is not None:
        money = np.asarray([ctx.spec.price_factor, 10.0**ctx.spec.decimals, 10.0**-ctx.spec.decimals])
        mc, mm = v.merchant_category, v.merchant_mcc
        ordered = compiled.newest_first(kern, streams, payee, ctx.n, window, today, mc, mm, money)
    if ordered is None:
        ordered = _ordered(ctx, window, today, v, streams, payee)
    offsets, position, day, amount, merchant, category, mcc = ordered
    columns: dict[str, Column] = {
        "date": day.view("datetime64[D]"),
        "description": coded(v.merchants, merchant),
        "amount": amount,
        "category": coded(v.categories, category),
        "merchant_category": coded(v.mccs, mcc),
    }
    return offsets, position, columns


def _ordered(
    ctx: Context, window: int, today: int, v: Vocab, streams: list[Stream], payee: NDArray[np.signedinteger[Any]]
) -> compiled.Ordered:
    """The numpy twin of :func:`compiled.newest_first`."""
    n = ctx.n
    parent = np.concatenate([g.parent for g in streams])
    days_ago = np.concatenate([g.days_ago for g in streams])
    # Newest first within a persona. The sort is stable, so same-day rows keep the order they were
    # joined in (stream by stream, each in persona-local order): a persona's list never depends on
    # the batch it is generated in.
    sort = _newest_first(parent, days_ago, n, window)
    offsets, position = _offsets_positions(parent, n)
    amount_usd = np.take(np.concatenate([g.amount_usd for g in streams]), sort)
    amount = ctx.money(amount_usd)
    # At least one minor unit either way: rounding keeps a debit at or below zero, a credit at or above.
    unit = 10.0**-ctx.spec.decimals
    tiny = np.flatnonzero(np.abs(amount) < unit)
    amount[tiny] = np.where(amount_usd[tiny] < 0, -unit, unit)
    day = np.take(days_ago, sort)
    np.subtract(np.int64(today), day, out=day)
    merchant = np.take(payee, sort)
    return (
        offsets, position, day, amount, merchant,
        np.take(v.merchant_category, merchant), np.take(v.merchant_mcc, merchant),
    )  # fmt: skip


def _joined(codes: list[NDArray[np.integer[Any]]], size: int) -> NDArray[np.signedinteger[Any]]:
    """Codes into a vocabulary of ``size`` joined in the smallest type that holds them (less memory kept per block)."""
    joined: NDArray[np.signedinteger[Any]] = np.concatenate(codes, dtype=small_codes(size), casting="same_kind")
    return joined


def _newest_first(parent: I64, days_ago: I64, n: int, window: int) -> I64:
    """The stable order of rows by (owner, days ago). Small keys sort by radix passes (numpy does that for
    16-bit integers and less), a single-block batch's owners always fit."""
    if n <= 1 << 15 and window <= 1 << 7:
        order: I64 = np.lexsort((days_ago.astype(np.int8), parent.astype(np.int16)))
        return order
    return np.argsort(parent * window + days_ago, kind="stable")


def _offsets_positions(parent: I64, n: int) -> tuple[I64, I64]:
    """Per-owner offsets and each row's position in its owner's list, once the rows are grouped by owner."""
    counts = np.bincount(parent, minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    position = np.arange(offsets[-1], dtype=np.int64)
    position -= np.repeat(offsets[:-1], counts)
    return offsets, position


def _payee(stream: Stream, v: Vocab, pool: str, d: Draws, field: str) -> Stream:
    """The same stream paid by one payer per persona from ``pool``."""
    payee = v.payee(pool, d.uniform(field)[stream.parent])
    return Stream(stream.parent, stream.days_ago, stream.amount_usd, payee)


__all__ = ["add_transactions"]
