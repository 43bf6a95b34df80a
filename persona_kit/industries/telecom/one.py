"""One telecom persona on Python scalars: :mod:`.generator`, value for value (tests/test_scalar.py)."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from persona_kit.engine.draws import F64, cumulative
from persona_kit.engine.scalar import (
    One,
    OneDraws,
    Row,
    add_months,
    base32,
    child_key,
    exp,
    log1p,
    month_start,
    round_to,
    step,
    to_date,
    unique_id,
    ymd,
)  # fmt: skip
from persona_kit.industries.identity_one import OneIdentity
from persona_kit.industries.telecom.generator import (
    MAX_DEVICES,
    MAX_TICKETS,
    PLAN_FIT,
    TICKET_YEARS,
    TelecomStats,
    _age_norm,
    telecom_stats,
)
from persona_kit.industries.telecom.model import BILL_DUE_DAYS, PLAN_TYPES


@dataclass(frozen=True)
class _Tables:
    tier_cum: F64
    contract_cum: F64
    device_count_cum: F64
    extra_type_cum: F64
    device_types: list[str]
    pools: list[list[int]]
    pool_cums: list[list[float]]
    instalment_cum: F64
    ticket_cum: F64


@cache
def _tables(locale: str) -> _Tables:
    s = telecom_stats()
    cfg = s.devices
    types = list(cfg.extra_device_type_weights)
    pools = [[i for i, m in enumerate(cfg.models) if m.type == t] for t in types]
    return _Tables(
        tier_cum=cumulative([t.weight for t in s.broadband[locale].tiers]),
        contract_cum=cumulative(s.contracts[locale].fixed_terms()[1]),
        device_count_cum=cumulative(cfg.per_customer.weights),
        extra_type_cum=cumulative(list(cfg.extra_device_type_weights.values())),
        device_types=types,
        pools=pools,
        pool_cums=[cumulative([cfg.models[i].weight for i in pool]).tolist() for pool in pools],
        instalment_cum=cumulative(cfg.instalments(locale).weights),
        ticket_cum=cumulative([c.weight for c in s.tickets.categories]),
    )


def _plan(d: OneDraws, need: float, s: TelecomStats, locale: str) -> int:
    """:func:`.generator._plan_choice` for one customer."""
    rungs = s.ladder(locale)
    allowance = [math.inf if r.allowance_gb is None else r.allowance_gb for r in rungs]
    weights = [r.weight if a >= PLAN_FIT * need else 0.0 for r, a in zip(rungs, allowance, strict=True)]
    if not any(weights):  # a need above every cap: the largest allowance
        weights[allowance.index(max(allowance))] = 1.0
    cum, total = [], 0.0
    for k, w in enumerate(weights):
        total = w if k == 0 else total + w
        cum.append(total)
    u = d.uniform("plan") * cum[-1]
    return min(sum(c <= u for c in cum), len(rungs) - 1)


def _over(used: float, allowance: float | None, block_gb: float, per_gb: float) -> float:
    """Overage charge before rounding: whole blocks of the use above the allowance."""
    over_gb = 0.0 if allowance is None else max(used - allowance, 0.0)
    return float(math.ceil(round_to(over_gb / block_gb, 6))) * per_gb


def _devices(one: One, s: TelecomStats, t: _Tables, months_in: int) -> tuple[list[Row], float]:
    cfg, loc, dec, d = s.devices, one.locale, one.spec.decimals, one.draws
    count = min(cfg.per_customer.counts[d.weighted("devices.count", t.device_count_cum)], MAX_DEVICES)
    rows: list[Row] = []
    total = 0.0
    for position in range(count):
        rd = OneDraws(child_key(one.key, "devices", position))
        kind = t.device_types.index(cfg.first_device_type) if position == 0 else rd.weighted("type", t.extra_type_cum)
        pool = t.pools[kind]
        model = cfg.models[pool[min(bisect_right(t.pool_cums[kind], rd.uniform("model")), len(pool) - 1)]]
        price = round_to(model.price[loc], dec)
        financed = rd.uniform("financed") < cfg.financed(loc)
        term = cfg.instalments(loc).months[rd.weighted("term", t.instalment_cum)] if financed else 0
        paid = min(math.floor(rd.uniform("paid") * term), max(months_in, 0))
        monthly = round_to(price / max(term, 1), dec) if financed else 0.0
        total += monthly
        rows.append({
            "name": model.name, "type": t.device_types[kind], "price": price, "financed": financed,
            "instalment_months": term, "monthly_instalment": monthly,
            "months_remaining": term - paid if financed else 0,
            "instalment_balance": round_to(price - monthly * paid, dec) if financed else 0.0,
        })  # fmt: skip
    return rows, round_to(total, dec)


def _bills(one: One, s: TelecomStats, cycle_start: int, base: float, allowance: float | None, need: float) -> list[Row]:
    cfg, dec = s.bills, one.spec.decimals
    over = s.overage[one.locale]
    rows: list[Row] = []
    for position in range(cfg.count):
        rd = OneDraws(child_key(one.key, "bills", position))
        date = add_months(cycle_start, -position)
        month_used = need * exp(0.25 * rd.normal("used"))
        due = date + BILL_DUE_DAYS
        status = 0
        if position == 0:
            u = rd.uniform("status")
            if due >= one.as_of and u < cfg.current_bill_due_share:
                status = 1
            elif due < one.as_of and u < cfg.overdue_share:
                status = 2
        rows.append({
            "date": to_date(date),
            "amount": round_to(base + _over(month_used, allowance, over.block_gb, over.per_gb), dec),
            "due_date": to_date(due),
            "status": ("Paid", "Due", "Overdue")[status],
        })  # fmt: skip
    return rows


def _tickets(one: One, s: TelecomStats, t: _Tables, since: int, has_bb: bool) -> list[Row]:
    cfg, d = s.tickets, one.draws
    window = min(one.as_of - since, TICKET_YEARS * 365)
    count = d.poisson_varying("tickets.count", cfg.rate_per_year * window / 365.25, MAX_TICKETS)
    if not count:
        return []
    keys = [child_key(one.key, "tickets", position) for position in range(count)]
    running: list[float] = []
    total = 0.0
    for key in keys:  # sorted_spacings: exponential spacings summed in position order
        e = -log1p(-OneDraws(key).uniform("opened"))
        total = e if not running else total + e
        running.append(total)
    total += -log1p(-d.uniform("tickets.tail"))
    names = [c.name for c in cfg.categories]
    swap = "Broadband outage" in names and "Network coverage" in names and not has_bb
    rows: list[Row] = []
    for position, (key, partial) in enumerate(zip(keys, running, strict=True)):
        rd = OneDraws(key)
        opened = one.as_of - math.floor(partial / total * window)
        category = names[rd.weighted("category", t.ticket_cum)]
        if swap and category == "Broadband outage":  # no broadband, no broadband outage
            category = "Network coverage"
        resolved = opened + math.ceil(rd.lognormal("resolve_days", cfg.resolve_days_median, cfg.resolve_days_sigma))
        is_open = resolved > one.as_of
        ticket = unique_id(one.index, position, MAX_TICKETS + 1, one.seed_key, "ticket")
        rows.append({
            "ticket_id": "TKT-" + base32(ticket), "opened": to_date(opened), "category": category,
            "status": "Open" if is_open else "Resolved", "resolved": None if is_open else to_date(resolved),
        })  # fmt: skip
    return rows


def _months_between(later: int, earlier: int) -> int:
    ly, lm, ld = ymd(later)
    ey, em, ed = ymd(earlier)
    return (ly - ey) * 12 + (lm - em) - (ld < ed)


def one_telecom(one: One, ident: OneIdentity) -> tuple[Row, dict[str, list[Row]]]:
    """:func:`.generator.generate_telecom` for one persona: its fields, devices, bills and tickets."""
    s = telecom_stats()
    t = _tables(one.locale)
    d, loc, dec, as_of = one.draws, one.locale, one.spec.decimals, one.as_of
    adult_days = as_of - ident.adult_date
    tenure = math.floor(-log1p(-d.uniform("member_since")) * s.tenure.mean_years[loc] * 365.25)
    within = math.floor(d.uniform("member_since.within") * (adult_days + 1))
    since = as_of - (within if tenure > adult_days else tenure)

    effect = s.age_effect()
    mult = step(effect.age_edges, effect.multiplier, ident.age_years) / _age_norm()
    usage = s.usage_for(loc)
    need = d.lognormal("data_need", usage.median_gb * mult, usage.sigma)
    rung = s.ladder(loc)[_plan(d, need, s, loc)]
    allowance = rung.allowance_gb
    price = round_to(rung.price, dec)

    day = d.integers("billing_day", 1, 28)
    y, m, today = ymd(as_of)
    cycle_start = month_start(y, m) + day - 1
    if not today >= day:
        cycle_start = add_months(cycle_start, -1)
    cycle_end = add_months(cycle_start, 1) - 1
    elapsed = (as_of - cycle_start + 1) / (cycle_end - cycle_start + 1)
    used = round_to(need * elapsed * exp(0.15 * d.normal("data_used")), 1)
    over = s.overage[loc]
    overage = round_to(_over(used, allowance, over.block_gb, over.per_gb), dec)

    bb = s.broadband[loc]
    has_bb = d.uniform("broadband") < bb.share
    tier = bb.tiers[d.weighted("broadband.tier", t.tier_cum)]
    bb_price = round_to(tier.price, dec)

    contract = s.contracts[loc]
    term = 1
    if d.uniform("contract.fixed") < contract.fixed_term_share:
        term = contract.fixed_terms()[0][d.weighted("contract", t.contract_cum)]
    months_in = _months_between(as_of, since)
    into = min(math.floor(d.uniform("contract.into") * term), max(months_in, 0))
    contract_end = add_months(cycle_start, max(term - into, 1))

    devices, instalments = _devices(one, s, t, months_in)
    base = price + (bb_price if has_bb else 0.0) + instalments
    fields: Row = {
        "member_since": to_date(since),
        "account_number": "TC-" + base32(unique_id(one.index, 0, 1, one.seed_key, "telecom.account")),
        "plan_name": rung.name,
        "plan_type": PLAN_TYPES[int(has_bb)],
        "monthly_price": price,
        "data_allowance_gb": allowance,
        "data_used_gb": used,
        "cycle_start": to_date(cycle_start),
        "cycle_end": to_date(cycle_end),
        "overage_charge": overage,
        "broadband_speed_mbps": float(tier.mbps) if has_bb else None,
        "broadband_price": bb_price if has_bb else None,
        "contract_end_date": to_date(contract_end) if term > 1 else None,
        "next_bill_estimate": round_to(base + overage, dec),
    }
    children = {
        "devices": devices,
        "recent_bills": _bills(one, s, cycle_start, base, allowance, need),
        "support_tickets": _tickets(one, s, t, since, has_bb),
    }
    return fields, children


__all__ = ["one_telecom"]
