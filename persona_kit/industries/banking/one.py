"""One banking persona on Python scalars: :mod:`.generator`, :mod:`.transactions` and :mod:`.cashflow`, value
for value (tests/test_scalar.py holds the two paths equal)."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from persona_kit.engine.draws import _INV_2_53, F64, cumulative
from persona_kit.engine.scalar import (
    One,
    Row,
    child_keys,
    days_back,
    exp,
    field_word,
    interp,
    log,
    mix_rest,
    month_starts,
    normal_of,
    round_to,
    step,
    to_date,
    ymd,
)  # fmt: skip
from persona_kit.industries.banking.cashflow import DAYS_PER_MONTH, FRIDAY, PERIODS_PER_YEAR, WEDNESDAY
from persona_kit.industries.banking.credit import _X_GRID, SCORE_MAX, SCORE_MIN, _latent_cdf
from persona_kit.industries.banking.generator import BankingStats, banking_stats
from persona_kit.industries.banking.transactions import Vocab, _expected_monthly_poisson, _vocab
from persona_kit.industries.identity_one import OneIdentity, tenure_start

Tx = tuple[int, float, int, int, int]
"""A transaction while it is built: days ago, signed USD amount, payee, category and MCC codes."""


@dataclass(frozen=True)
class _Tables:
    """Per-locale constants of the batch formulas, worked out once with the same numpy operations."""

    vocab: Vocab
    shift_ages: F64
    shift_values: F64
    latent_cdf: F64
    score_cum: F64
    score_edges: F64
    recurring: tuple[float, float, float, float]
    mean_amount: float
    cum: list[float]
    cum_start: list[float]
    weights: list[float]
    sizes: list[float]
    starts: list[int]
    medians: list[float]
    sigmas: list[float]
    category_codes: list[int]
    mcc_codes: list[int]
    pay_cum: F64
    pay_names: list[str]
    pay_day: int


@cache
def _tables(locale: str, price_factor: float) -> _Tables:
    s = banking_stats()
    v = _vocab(s, locale)
    cs = s.credit_score
    cum = np.concatenate(([0.0], np.cumsum(cs.shares)))
    h = s.housing
    rent = h.rent.median_in_usd_terms(locale, price_factor) * np.exp(h.rent.sigma**2 / 2)
    mortgage = h.mortgage.median_in_usd_terms(locale, price_factor) * np.exp(h.mortgage.sigma**2 / 2)
    bills = sum(b.share * b.median_usd * np.exp(b.sigma**2 / 2 + b.jitter**2 / 2) for b in s.bills)
    sub = s.subscriptions
    subs = _expected_monthly_poisson(sub.count_mean, sub.cap) * float(np.mean(sub.prices_usd))
    cats = s.transactions.categories
    weights = np.asarray([c.weight for c in cats]) / sum(c.weight for c in cats)
    mean_amount = float(sum(w * c.median_usd * np.exp(c.sigma**2 / 2) for w, c in zip(weights, cats, strict=True)))
    tx_cum = cumulative(weights)
    local = s.payroll.local(locale)
    return _Tables(
        vocab=v,
        shift_ages=np.asarray(cs.age_shift.ages, dtype=np.float64),
        shift_values=np.asarray(cs.age_shift.shift, dtype=np.float64),
        latent_cdf=_latent_cdf(tuple(cs.age_shift.ages), tuple(cs.age_shift.shift)),
        score_cum=cum / cum[-1],
        score_edges=np.asarray(cs.edges, dtype=np.float64),
        recurring=(float(rent), float(mortgage), float(bills), float(subs)),
        mean_amount=mean_amount,
        cum=tx_cum.tolist(),
        cum_start=(tx_cum - weights).tolist(),
        weights=weights.tolist(),
        sizes=[float(v.size[c.name]) for c in cats],
        starts=[v.start[c.name] for c in cats],
        medians=[c.median_usd for c in cats],
        sigmas=[c.sigma for c in cats],
        category_codes=[v.categories.index(c.name) for c in cats],
        mcc_codes=[v.mccs.index(c.mcc) for c in cats],
        pay_cum=cumulative(list(local.frequency.values())),
        pay_names=list(local.frequency),
        pay_day=local.monthly_day,
    )


def _credit_score(one: One, t: _Tables, age: float) -> int:
    """:func:`.credit.credit_scores` for one persona."""
    x = interp(age, t.shift_ages, t.shift_values) + one.draws.normal("credit_score")
    u = interp(x, _X_GRID, t.latent_cdf)
    return int(min(max(math.floor(interp(u, t.score_cum, t.score_edges)), SCORE_MIN), SCORE_MAX))


def _in_window(window: int, today: int, dates: list[int]) -> list[int]:
    """:func:`.cashflow.occurrences` for one row: days ago of the candidate dates inside the window, sorted."""
    return [ago for ago in sorted(today - date for date in dates) if 0 <= ago < window]


def _monthly(as_of: int, day: int) -> list[int]:
    return [start + (min(day, length) - 1) for start, length in month_starts(as_of)]


def _every(as_of: int, window: int, weekday: int, period: int, phase: int) -> list[int]:
    latest = (as_of + 3 - weekday) % 7
    return [as_of - (latest + 7 * phase + period * j) for j in range(window // period + 1)]


def _nth_weekday(as_of: int, weekday: int, nth: int) -> list[int]:
    return [start + ((weekday - (start + 3)) % 7 + 7 * (nth - 1)) for start, _ in month_starts(as_of)]


@dataclass(frozen=True)
class _Bill:
    """One bill of banking.json with its draw fields and vocabulary codes, worked out once."""

    field: str
    day: str
    amount: str
    payee: str
    share: float
    median: float
    sigma: float
    jitter: float
    start: int
    size: int
    category: int
    mcc: int


@cache
def _bills(locale: str) -> tuple[_Bill, ...]:
    v = _vocab(banking_stats(), locale)
    return tuple(
        _Bill(
            f"bill.{b.pool}",
            f"bill.{b.pool}.day",
            f"bill.{b.pool}.amount",
            f"bill.{b.pool}.payee",
            b.share,
            b.median_usd,
            b.sigma,
            b.jitter,
            v.start[b.pool],
            v.size[b.pool],
            v.categories.index(b.category),
            v.mccs.index(b.mcc),
        )
        for b in banking_stats().bills
    )


@lru_cache(maxsize=256)
def _monthly_agos(as_of: int, window: int, day: int) -> tuple[int, ...]:
    """Days ago of the ``day``-th of each month inside the window, newest first (a few dozen per as_of)."""
    return tuple(_in_window(window, as_of, _monthly(as_of, day)))


def _recurring(one: One, s: BankingStats, v: Vocab, age: float, z_income: float) -> list[Tx]:
    """:func:`.transactions._recurring` for one persona: housing, bills and subscriptions, stream by stream."""
    d, window, as_of = one.draws, s.transactions.window_days, one.as_of
    h = s.housing
    out: list[Tx] = []
    owner = d.uniform("housing.owner") < step(h.age_edges, h.owner_share, age)
    if owner:
        mortgaged = d.uniform("housing.mortgage") < step(h.age_edges, h.mortgage_share_of_owners, age)
        kind, pay = ("mortgage", h.mortgage) if mortgaged else ("", h.rent)
    else:
        kind, pay = "rent", h.rent
    if kind:
        rho = pay.income_correlation
        z = rho * z_income + math.sqrt(1 - rho * rho) * d.normal(f"housing.{kind}")
        day = d.integers(f"housing.{kind}.day", pay.days[0], pay.days[1])
        pool = f"Housing.{kind}"
        payee = v.start[pool] + math.floor(d.uniform(f"housing.{kind}.payee") * v.size[pool])
        amount = -pay.median_in_usd_terms(one.locale, one.spec.price_factor) * exp(pay.sigma * z)
        cat, mcc = v.categories.index("Housing"), v.mccs.index(pay.mcc)
        out += [(ago, amount, payee, cat, mcc) for ago in _monthly_agos(as_of, window, day)]
    for bill in _bills(one.locale):
        if not d.uniform(bill.field) < bill.share:
            continue
        amount = -d.lognormal(bill.amount, bill.median, bill.sigma)
        payee = bill.start + math.floor(d.uniform(bill.payee) * bill.size)
        for position, ago in enumerate(_monthly_agos(as_of, window, d.integers(bill.day, 1, 28))):
            jittered = amount
            if bill.jitter != 0:
                jittered = amount * exp(bill.jitter * one.child(bill.field, position).normal("amount"))
            out.append((ago, jittered, payee, bill.category, bill.mcc))
    sub = s.subscriptions
    count = d.poisson("subscriptions.count", sub.count_mean, sub.cap)
    if count:
        size = v.size["Subscriptions"]
        first = d.integers("subscriptions.first", 0, size - 1)
        cat, mcc = v.categories.index(sub.category), v.mccs.index(sub.mcc)
        for position in range(count):
            rd = one.child("subscriptions", position)
            price = sub.prices_usd[rd.integers("price", 0, len(sub.prices_usd) - 1)]
            payee = v.start["Subscriptions"] + (first + position) % size
            out += [(ago, -price, payee, cat, mcc) for ago in _monthly_agos(as_of, window, rd.integers("day", 1, 28))]
    return out


def _income(one: One, s: BankingStats, t: _Tables, age: float, income_usd: float, dob: int) -> list[Tx]:
    """:func:`.cashflow.pay_streams` for one persona, with the payer drawn as add_transactions does."""
    d, cfg, window, as_of = one.draws, s.payroll, s.transactions.window_days, one.as_of
    v = t.vocab
    if d.uniform("payroll.employed") < step(cfg.age_edges, cfg.employment_rate, age):
        name = t.pay_names[d.weighted("payroll.frequency", t.pay_cum)]
        if name == "weekly":
            dates = _every(as_of, window, FRIDAY, 7, 0)
        elif name == "biweekly":
            dates = _every(as_of, window, FRIDAY, 14, d.integers("payroll.phase", 0, 1))
        elif name == "semimonthly":
            dates = _monthly(as_of, 15) + _monthly(as_of, 31)
        else:
            dates = _monthly(as_of, t.pay_day)
        amount = income_usd * cfg.take_home_share / float(PERIODS_PER_YEAR[name])
        pool, field = "Income.payroll", "payroll.payee"
    elif age >= cfg.benefit_age:
        if one.locale == "en_US":  # Social Security: 2nd, 3rd or 4th Wednesday by day of birth
            dom = ymd(dob)[2]
            dates = _nth_weekday(as_of, WEDNESDAY, 2 + (dom > 10) + (dom > 20))
        else:
            dates = _monthly(as_of, t.pay_day)
        amount = income_usd * cfg.take_home_share / 12
        pool, field = "Income.benefits", "benefits.payee"
    else:
        return []
    agos = _in_window(window, as_of, dates)
    if not agos:
        return []
    payee = v.start[pool] + math.floor(d.uniform(field) * v.size[pool])
    cat, mcc = v.categories.index("Income"), v.mccs.index("6011")
    return [(ago, amount, payee, cat, mcc) for ago in agos]


def _everyday(one: One, s: BankingStats, t: _Tables, age: float, z_income: float) -> list[Tx]:
    """:func:`.transactions._everyday` for one persona."""
    tx, sp, d = s.transactions, s.spending, one.draws
    window = tx.window_days
    target = step(sp.age_edges, sp.mean_annual_usd, age) / 12 * sp.account_share * window / DAYS_PER_MONTH
    h = s.housing
    own = step(h.age_edges, h.owner_share, age)
    mort = own * step(h.age_edges, h.mortgage_share_of_owners, age)
    rent, mortgage, bills, subs = t.recurring
    recurring = ((1 - own) * rent + mort * mortgage + bills + subs) * window / DAYS_PER_MONTH
    base = max(target - recurring, 0.2 * target)
    spread = sp.income_elasticity * s.income.sigma
    wanted = base * exp(spread * z_income - spread * spread / 2)
    # ``array ** float`` as the batch writes it (numpy's scalar-power fast paths included).
    lam = tx.count_mean * float((np.asarray([wanted / (tx.count_mean * t.mean_amount)]) ** tx.count_elasticity)[0])
    count = d.poisson_varying("transactions.count", lam, tx.count_cap)
    scale = wanted / (lam * t.mean_amount)
    # The per-row draws inlined (this loop is most of a banking persona's time): category, then amount.
    f_category, f_amount = field_word("category"), field_word("amount#1")
    cum, cum_start, weights, sizes, starts = t.cum, t.cum_start, t.weights, t.sizes, t.starts
    medians, sigmas, category_codes, mcc_codes = t.medians, t.sigmas, t.category_codes, t.mcc_codes
    last, top, days = len(cum) - 1, 1.0 - 1e-12, window - 1
    out: list[Tx] = []
    for key in child_keys(one.key, "transactions", count):
        pre = key ^ (key >> 30)
        u = (mix_rest(pre ^ f_category) >> 11) * _INV_2_53
        cat = bisect_right(cum, u)
        cat = last if cat > last else cat  # min() and max() cost ten times a comparison here
        within = (u - cum_start[cat]) / weights[cat]  # clipped to [0, 1 - 1e-12] as numpy.clip does
        within = (0.0 if within < 0.0 else top if within > top else within) * sizes[cat]
        pick = math.floor(within)
        days_ago = math.floor((within - pick) * window)
        amount = -(exp(normal_of(mix_rest(pre ^ f_amount)) * sigmas[cat]) * medians[cat]) * scale
        out.append(
            (days if days_ago > days else days_ago, amount, pick + starts[cat], category_codes[cat], mcc_codes[cat])
        )
    return out


def _transactions(one: One, s: BankingStats, t: _Tables, ident: OneIdentity) -> list[Row]:
    """:func:`.transactions.add_transactions` for one persona: every stream, newest first (a stable sort)."""
    d, age = one.draws, ident.age_years
    z_income = d.normal("income")
    income_usd = step(s.income.age_edges, s.income.median_usd, age) * exp(s.income.sigma * z_income)
    rows = _recurring(one, s, t.vocab, age, z_income)
    rows += _income(one, s, t, age, income_usd, ident.date_of_birth)
    rows += _everyday(one, s, t, age, z_income)
    rows.sort(key=lambda row: row[0])
    v, pf, dec = t.vocab, one.spec.price_factor, one.spec.decimals
    merchants, categories, mccs = v.merchants, v.categories, v.mccs
    unit = 10.0**-dec
    dates = days_back(one.as_of, s.transactions.window_days)
    # Context.money over the whole list at once, with numpy's own rounding.
    usds = [row[1] for row in rows]
    amounts = np.round(np.asarray(usds) * pf, dec).tolist() if rows else []
    out: list[Row] = []
    for (ago, usd, payee, cat, mcc), rounded in zip(rows, amounts, strict=True):
        # At least one minor unit either way.
        amount = (-unit if usd < 0 else unit) if abs(rounded) < unit else rounded
        out.append({
            "date": dates[ago], "description": merchants[payee], "amount": amount,
            "category": categories[cat], "merchant_category": mccs[mcc],
        })  # fmt: skip
    return out


def one_banking(one: One, ident: OneIdentity) -> tuple[Row, dict[str, list[Row]]]:
    """:func:`.generator.generate_banking` for one persona: its fields and its transactions."""
    s = banking_stats()
    t = _tables(one.locale, one.spec.price_factor)
    d, age, dec = one.draws, ident.age_years, one.spec.decimals
    base = step(s.transaction_accounts.age_edges, s.transaction_accounts.median_usd, age)
    checking = one.money(d.lognormal("checking", base * s.checking.share_of_median, s.checking.sigma))
    savings = one.money(d.lognormal("savings", base * s.savings.share_of_median, s.savings.sigma))
    score = _credit_score(one, t, age)
    lim = s.credit_limit
    limit_usd = d.lognormal("credit_limit", step(lim.score_edges, lim.median_usd, score), lim.sigma)
    unit = one.nice_money(lim.round_to)
    limit = max(round_to(limit_usd * one.spec.price_factor / unit, 0) * unit, unit)
    mean_util = step(s.utilization.score_edges, s.utilization.mean, score)
    logit = log(mean_util / (1 - mean_util)) + 0.9 * d.normal("utilization")
    fields: Row = {
        "member_since": to_date(tenure_start(one, ident.adult_date, s.tenure.mean_years_by_age_share, "member_since")),
        "checking_balance": checking,
        "savings_balance": savings,
        "account_number_last4": f"{d.integers('account_last4', 0, 9999):04d}",
        "credit_score": score,
        "credit_limit": limit,
        "credit_used": min(round_to(limit / (1 + exp(-logit)), dec), limit),
    }
    return fields, {"recent_transactions": _transactions(one, s, t, ident)}


__all__ = ["one_banking"]
