"""Telecom personas, column-wise: plan, usage, broadband, contract, devices, bills and support tickets.

Prices are each locale's own (``data/stats/telecom.json`` holds a ladder per
locale), not US prices converted: a French 100 GB plan costs what French
operators charge. The monthly data need is drawn first and the plan chosen
among those that hold most of it, so small plans are not overrun every month.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from persona_kit.data import DataModel, industry_stats, locales, population_stats
from persona_kit.engine.batch import Batch, ChildRows, Column, Context, base32_codes, coded, objects, step_lookup
from persona_kit.engine.dates import add_months, days_between, shift, ymd
from persona_kit.engine.draws import Draws, cumulative
from persona_kit.engine.ids import unique_ids
from persona_kit.industries.identity import IdentityColumns
from persona_kit.industries.telecom.model import BILL_DUE_DAYS, PLAN_TYPES

MAX_DEVICES = 3
MAX_TICKETS = 6
TICKET_YEARS = 2
PLAN_FIT = 0.6
AGE_NORM_POINTS = 200  # ages per census band when averaging the usage age effect
"""A plan is chosen among those whose allowance holds at least this share of the monthly need."""

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


class Rung(DataModel):
    name: str
    allowance_gb: Annotated[float, Field(gt=0)] | None
    price: float = Field(gt=0)
    weight: float = Field(ge=0)


class Ladder(DataModel):
    ladder: list[Rung] = Field(min_length=1)


class Usage(DataModel):
    median_gb: float = Field(gt=0)
    sigma: float = Field(ge=0)


class AgeEffect(DataModel):
    age_edges: list[float]
    multiplier: list[float]


class Overage(DataModel):
    per_gb: float = Field(gt=0)
    block_gb: float = Field(gt=0)


class Tier(DataModel):
    mbps: int = Field(gt=0)
    price: float = Field(gt=0)
    weight: float = Field(ge=0)


class Broadband(DataModel):
    share: float = Field(ge=0, le=1)
    tiers: list[Tier] = Field(min_length=1)


class Contract(DataModel):
    fixed_term_share: float = Field(ge=0, le=1)
    term_months: list[int]
    term_weights: list[float]

    def fixed_terms(self) -> tuple[list[int], list[float]]:
        """Minimum terms above one month and their weights (one month means rolling monthly)."""
        pairs = [(t, w) for t, w in zip(self.term_months, self.term_weights, strict=True) if t > 1]
        return [t for t, _ in pairs], [w for _, w in pairs]


class DeviceModel(DataModel):
    name: str
    type: str
    price: dict[str, float]
    weight: float = Field(ge=0)


class Instalments(DataModel):
    months: list[int]
    weights: list[float]


class PerCustomer(DataModel):
    counts: list[int]
    weights: list[float]


class Devices(DataModel):
    models: list[DeviceModel]
    first_device_type: str
    extra_device_type_weights: dict[str, float]
    per_customer: PerCustomer
    financed_share: dict[str, float | str]  # per locale; "source" holds prose
    instalment_months: dict[str, Instalments | str]

    def financed(self, locale: str) -> float:
        """Share of devices bought on instalments in ``locale``."""
        return float(self.financed_share[locale])

    def instalments(self, locale: str) -> Instalments:
        """Instalment terms in ``locale``."""
        terms = self.instalment_months[locale]
        assert isinstance(terms, Instalments)
        return terms


class Bills(DataModel):
    count: int = Field(ge=1, le=24)
    current_bill_due_share: float = Field(ge=0, le=1)
    overdue_share: float = Field(ge=0, le=1)


class TicketCategory(DataModel):
    name: str
    weight: float = Field(ge=0)


class Tickets(DataModel):
    rate_per_year: float = Field(ge=0)
    categories: list[TicketCategory]
    resolve_days_median: float = Field(gt=0)
    resolve_days_sigma: float = Field(ge=0)


class Tenure(DataModel):
    mean_years: dict[str, float]


class TelecomStats(DataModel):
    plans: dict[str, Ladder | str]
    usage: dict[str, Usage | AgeEffect | str]
    overage: dict[str, Overage]
    broadband: dict[str, Broadband]
    contracts: dict[str, Contract]
    devices: Devices
    bills: Bills
    tickets: Tickets
    tenure: Tenure

    @model_validator(mode="after")
    def _every_locale(self) -> TelecomStats:
        tables: dict[str, Mapping[str, object]] = {
            "plans": self.plans,
            "overage": self.overage,
            "broadband": self.broadband,
            "contracts": self.contracts,
            "tenure.mean_years": self.tenure.mean_years,
            "devices.financed_share": self.devices.financed_share,
            "devices.instalment_months": self.devices.instalment_months,
        }
        missing = [f"{name}.{loc}" for loc in locales() for name, table in tables.items() if loc not in table]
        missing += [f"usage.{loc}" for loc in locales() if not isinstance(self.usage.get(loc), Usage)]
        missing += [f"plans.{loc}" for loc in locales() if not isinstance(self.plans.get(loc), Ladder)]
        missing += [
            f"devices.{m.name}.price.{loc}" for m in self.devices.models for loc in locales() if loc not in m.price
        ]
        if missing:
            msg = f"telecom.json lacks figures for: {', '.join(missing)}"
            raise ValueError(msg)
        return self

    def ladder(self, locale: str) -> list[Rung]:
        """The locale's plan ladder."""
        plans = self.plans[locale]
        assert isinstance(plans, Ladder)
        return plans.ladder

    def usage_for(self, locale: str) -> Usage:
        """The locale's monthly data usage distribution."""
        usage = self.usage[locale]
        assert isinstance(usage, Usage)
        return usage

    def age_effect(self) -> AgeEffect:
        """Usage multipliers by age band."""
        effect = self.usage["age_effect"]
        assert isinstance(effect, AgeEffect)
        return effect


@cache
def telecom_stats() -> TelecomStats:
    """data/stats/telecom.json, validated (every locale has every table)."""
    return TelecomStats.model_validate(industry_stats("telecom"))


@cache
def _age_norm() -> float:
    """The population's mean usage multiplier, so the age effect keeps each locale's mean usage."""
    # Ages are uniform within each census band, and the multiplier steps inside bands (at 30 within
    # 25-34, ...), so average it over a fine grid of each band rather than at the band's midpoint.
    bands, effect = population_stats().age, telecom_stats().age_effect()
    steps = (np.arange(AGE_NORM_POINTS) + 0.5) / AGE_NORM_POINTS
    total = 0.0
    for lo, hi, share in zip(bands.edges, bands.edges[1:], bands.shares, strict=False):
        total += share * float(step_lookup(effect.age_edges, effect.multiplier, lo + steps * (hi - lo)).mean())
    return total / sum(bands.shares)


def _plan_choice(d: Draws, need: F64, rungs: list[Rung]) -> I64:
    """A rung per customer: by the ladder's weights, among rungs holding ``PLAN_FIT`` of the need."""
    allowance = np.asarray([np.inf if r.allowance_gb is None else r.allowance_gb for r in rungs])
    weights = np.asarray([r.weight for r in rungs])
    fits = allowance[None, :] >= PLAN_FIT * need[:, None]
    w = np.where(fits, weights[None, :], 0.0)
    none = w.sum(axis=1) == 0  # a need above every cap: the largest allowance
    w[none, int(np.argmax(allowance))] = 1.0
    cum = np.cumsum(w, axis=1)
    u = d.uniform("plan") * cum[:, -1]
    out: I64 = np.minimum((cum <= u[:, None]).sum(axis=1), len(rungs) - 1).astype(np.int64)
    return out


def _cycle(d: Draws, ctx: Context) -> tuple[NDArray[np.datetime64], NDArray[np.datetime64]]:
    """The billing cycle containing as_of: it starts on the account's billing day (1..28)."""
    day = d.integers("billing_day", 1, 28)
    y, m, today = ymd(np.full(ctx.n, ctx.as_of))
    month_start = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]").astype("datetime64[D]")
    start = month_start + (day - 1).astype("timedelta64[D]")
    start = np.where(today >= day, start, add_months(start, np.full(ctx.n, -1, dtype=np.int64)))
    end = shift(add_months(start, np.ones(ctx.n, dtype=np.int64)), -np.ones(ctx.n, dtype=np.int64))
    return start, end


def _months_between(later: NDArray[np.datetime64], earlier: NDArray[np.datetime64]) -> I64:
    ly, lm, ld = ymd(later)
    ey, em, ed = ymd(earlier)
    out: I64 = (ly - ey) * 12 + (lm - em) - (ld < ed)
    return out


def generate_telecom(ctx: Context, ident: IdentityColumns) -> Batch:
    """Telecom personas for every index in ``ctx``."""
    s = telecom_stats()
    d = ctx.draws()
    loc, decimals = ctx.locale, ctx.spec.decimals

    adult_days = days_between(ctx.as_of, ident.adult_date)
    # Tenure is exponential with the locale's mean (from churn); one longer than the customer's adult life
    # is redrawn uniformly within it, so no spike of customers joining on their 18th birthday.
    tenure = np.floor(-np.log1p(-d.uniform("member_since")) * s.tenure.mean_years[loc] * 365.25).astype(np.int64)
    within = np.floor(d.uniform("member_since.within") * (adult_days + 1)).astype(np.int64)
    since = shift(ctx.as_of, -np.where(tenure > adult_days, within, tenure))

    effect = s.age_effect()
    mult = step_lookup(effect.age_edges, effect.multiplier, ident.age_years) / _age_norm()
    usage = s.usage_for(loc)
    need = d.lognormal("data_need", usage.median_gb * mult, usage.sigma)
    rungs = s.ladder(loc)
    rung = _plan_choice(d, need, rungs)
    allowance = np.asarray([np.nan if r.allowance_gb is None else r.allowance_gb for r in rungs])[rung]
    price = np.round(np.asarray([r.price for r in rungs])[rung], decimals)

    cycle_start, cycle_end = _cycle(d, ctx)
    elapsed = (days_between(ctx.as_of, cycle_start) + 1) / (days_between(cycle_end, cycle_start) + 1)
    used = np.round(need * elapsed * np.exp(0.15 * d.normal("data_used")), 1)
    over_gb = np.where(np.isnan(allowance), 0.0, np.maximum(used - np.nan_to_num(allowance), 0.0))
    over = s.overage[loc]
    overage = np.round(np.ceil(np.round(over_gb / over.block_gb, 6)) * over.per_gb, decimals)

    bb = s.broadband[loc]
    has_bb = d.uniform("broadband") < bb.share
    tier = d.weighted("broadband.tier", cumulative([t.weight for t in bb.tiers]))
    speed = np.asarray([t.mbps for t in bb.tiers], dtype=np.int64)[tier]
    bb_price = np.round(np.asarray([t.price for t in bb.tiers])[tier], decimals)

    contract = s.contracts[loc]
    terms, weights = contract.fixed_terms()
    fixed = d.uniform("contract.fixed") < contract.fixed_term_share
    term = np.where(fixed, np.asarray(terms, dtype=np.int64)[d.weighted("contract", cumulative(weights))], 1)
    months_in = _months_between(np.full(ctx.n, ctx.as_of), since)
    into = np.minimum(np.floor(d.uniform("contract.into") * term).astype(np.int64), np.maximum(months_in, 0))
    contract_end = add_months(cycle_start, np.maximum(term - into, 1))

    devices, instalments = _devices(ctx, s, months_in)
    bills = _bills(ctx, s, cycle_start, price + np.where(has_bb, bb_price, 0.0) + instalments, allowance, need)
    tickets = _tickets(ctx, s, since, has_bb)

    account = "TC-" + base32_codes(unique_ids(ctx.index, 0, 1, ctx.seed_key, "telecom.account")).astype(object)
    names = objects([r.name for r in rungs])
    columns: dict[str, Column] = {
        **ident.columns,
        "member_since": since,
        "account_number": account,
        "plan_name": names[rung],
        "plan_type": coded(PLAN_TYPES, has_bb.astype(np.int64)),
        "monthly_price": price,
        "data_allowance_gb": allowance,  # NaN: unlimited
        "data_used_gb": used,
        "cycle_start": cycle_start,
        "cycle_end": cycle_end,
        "overage_charge": overage,
        "broadband_speed_mbps": np.where(has_bb, speed, np.nan),  # NaN: no broadband
        "broadband_price": np.where(has_bb, bb_price, np.nan),
        "contract_end_date": np.where(term > 1, contract_end, np.datetime64("NaT")),  # NaT: rolling monthly
        "next_bill_estimate": np.round(price + np.where(has_bb, bb_price, 0.0) + instalments + overage, decimals),
    }
    batch = Batch("telecom", ctx.n, columns)
    for name, (rows, cols) in {"devices": devices, "recent_bills": bills, "support_tickets": tickets}.items():
        batch.add_child(name, rows, cols)
    return batch


def _devices(ctx: Context, s: TelecomStats, months_in: I64) -> tuple[tuple[ChildRows, dict[str, Column]], F64]:
    """Devices per customer (a phone first), financed ones with their instalments; and each customer's total."""
    cfg, loc, decimals = s.devices, ctx.locale, ctx.spec.decimals
    d = ctx.draws()
    counts = np.asarray(cfg.per_customer.counts, dtype=np.int64)[
        d.weighted("devices.count", cumulative(cfg.per_customer.weights))
    ]
    rows = ChildRows.from_counts(ctx.keys, "devices", np.minimum(counts, MAX_DEVICES))
    rd = rows.draws()
    types = list(cfg.extra_device_type_weights)
    dtype = np.where(
        rows.position == 0,
        types.index(cfg.first_device_type),
        rd.weighted("type", cumulative(list(cfg.extra_device_type_weights.values()))),
    )
    pools = [[i for i, m in enumerate(cfg.models) if m.type == t] for t in types]
    model = np.empty(len(rows), dtype=np.int64)
    u = rd.uniform("model")
    for k, pool in enumerate(pools):
        at = dtype == k
        cum = cumulative([cfg.models[i].weight for i in pool])
        model[at] = np.asarray(pool)[np.minimum(np.searchsorted(cum, u[at], side="right"), len(pool) - 1)]
    price = np.round(np.asarray([m.price[loc] for m in cfg.models])[model], decimals)

    inst = cfg.instalments(loc)
    financed = rd.uniform("financed") < cfg.financed(loc)
    term = np.where(financed, np.asarray(inst.months)[rd.weighted("term", cumulative(inst.weights))], 0)
    paid = np.minimum(np.floor(rd.uniform("paid") * term).astype(np.int64), np.maximum(rows.spread(months_in), 0))
    monthly = np.where(financed, np.round(price / np.maximum(term, 1), decimals), 0.0)
    remaining = np.where(financed, term - paid, 0)
    balance = np.where(financed, np.round(price - monthly * paid, decimals), 0.0)
    cols: dict[str, Column] = {
        "name": objects([m.name for m in cfg.models])[model],
        "type": coded(types, dtype),
        "price": price,
        "financed": financed,
        "instalment_months": term.astype(np.int64),
        "monthly_instalment": monthly,
        "months_remaining": remaining.astype(np.int64),
        "instalment_balance": balance,
    }
    per_customer = np.bincount(rows.parent, weights=monthly, minlength=ctx.n)
    total: F64 = np.asarray(np.round(per_customer, decimals), dtype=np.float64)
    return (rows, cols), total


def _bills(
    ctx: Context, s: TelecomStats, cycle_start: NDArray[np.datetime64], base: F64, allowance: F64, need: F64
) -> tuple[ChildRows, dict[str, Column]]:
    """The last monthly bills, newest first: the base charges plus any overage of that month."""
    cfg, loc, decimals = s.bills, ctx.locale, ctx.spec.decimals
    rows = ChildRows.from_counts(ctx.keys, "bills", np.full(ctx.n, cfg.count, dtype=np.int64))
    rd = rows.draws()
    date = add_months(rows.spread(cycle_start), -rows.position)
    month_used = rows.spread(need) * np.exp(0.25 * rd.normal("used"))
    cap = rows.spread(allowance)
    over_gb = np.where(np.isnan(cap), 0.0, np.maximum(month_used - np.nan_to_num(cap), 0.0))
    over = s.overage[loc]
    amount = np.round(rows.spread(base) + np.ceil(np.round(over_gb / over.block_gb, 6)) * over.per_gb, decimals)
    due = shift(date, np.full(len(rows), BILL_DUE_DAYS, dtype=np.int64))
    due_passed = due < ctx.as_of
    newest = rows.position == 0
    u = rd.uniform("status")
    status = np.where(
        newest & ~due_passed & (u < cfg.current_bill_due_share),
        1,
        np.where(newest & due_passed & (u < cfg.overdue_share), 2, 0),
    )
    cols: dict[str, Column] = {
        "date": date,
        "amount": amount,
        "due_date": due,
        "status": coded(["Paid", "Due", "Overdue"], status),
    }
    return rows, cols


def _tickets(
    ctx: Context, s: TelecomStats, since: NDArray[np.datetime64], has_bb: NDArray[np.bool_]
) -> tuple[ChildRows, dict[str, Column]]:
    """Support tickets of the last two years (or since joining), newest first."""
    cfg = s.tickets
    d = ctx.draws()
    window = np.minimum(days_between(ctx.as_of, since), TICKET_YEARS * 365)
    counts = d.poisson("tickets.count", cfg.rate_per_year * window / 365.25, MAX_TICKETS)
    rows = ChildRows.from_counts(ctx.keys, "tickets", counts)
    rd = rows.draws()
    frac = rows.sorted_spacings(rd, "opened", -np.log1p(-d.uniform("tickets.tail")))
    opened = shift(ctx.as_of, -np.floor(frac * rows.spread(window)).astype(np.int64))
    names = [c.name for c in cfg.categories]
    category = rd.weighted("category", cumulative([c.weight for c in cfg.categories]))
    if "Broadband outage" in names and "Network coverage" in names:  # no broadband, no broadband outage
        no_bb = ~rows.spread(has_bb) & (category == names.index("Broadband outage"))
        category = np.where(no_bb, names.index("Network coverage"), category)
    took = np.ceil(rd.lognormal("resolve_days", cfg.resolve_days_median, cfg.resolve_days_sigma)).astype(np.int64)
    resolved = shift(opened, took)
    is_open = resolved > ctx.as_of
    ticket_id = "TKT-" + base32_codes(
        unique_ids(ctx.index[rows.parent], rows.position.astype(np.uint64), MAX_TICKETS + 1, ctx.seed_key, "ticket")
    ).astype(object)
    cols: dict[str, Column] = {
        "ticket_id": ticket_id,
        "opened": opened,
        "category": coded(names, category),
        "status": coded(["Resolved", "Open"], is_open.astype(np.int64)),
        "resolved": np.where(is_open, np.datetime64("NaT"), resolved),
    }
    return rows, cols
