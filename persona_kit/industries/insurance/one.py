"""One insurance persona on Python scalars: :mod:`.generator`, value for value (tests/test_scalar.py)."""

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
    rint,
    step,
    to_date,
    unique_id,
    ymd,
)
from persona_kit.industries.identity_one import OneIdentity, tenure_start
from persona_kit.industries.insurance.generator import (
    MAX_CLAIMS_PER_POLICY,
    POLICY_SLOTS,
    InsuranceStats,
    PolicyType,
    insurance_stats,
)
from persona_kit.industries.insurance.model import (
    PAYING_STATUSES,
    RISK_CAP_WITHOUT_CLAIMS,
    RISK_LEVELS,
    RISK_POINTS_PER_CLAIM,
    RISK_WINDOW_DAYS,
)


@dataclass(frozen=True)
class _Policy:
    """A policy while it is built: its slot (type index), key, start, deductible (local) and fields."""

    slot: int
    key: int
    start: int
    deductible: float
    fields: Row


@cache
def _cums() -> tuple[list[F64 | None], list[F64], F64]:
    s = insurance_stats()
    coverage = [cumulative(p.coverage_weights) if p.coverage_options_usd else None for p in s.policy_types]
    return coverage, [cumulative(p.deductible_weights) for p in s.policy_types], cumulative(s.claims.settled_weights)


def _held(one: One, s: InsuranceStats, age: float) -> list[int]:
    """:func:`.generator._holdings` for one persona: the indices of the held types, in catalogue order."""
    d = one.draws
    types = [p.type for p in s.policy_types]
    owns_home = d.uniform("owns_home") < step(s.home_ownership.age_edges, s.home_ownership.rate, age)
    held = []
    for p in s.policy_types:
        u = d.uniform(f"holds.{p.type}")
        if p.type == "Home":
            held.append(owns_home)
        elif p.type == "Renters":
            held.append(not owns_home and u < s.home_ownership.renters_insured_share)
        else:
            held.append(u < p.holds)
    if "Umbrella" in types:  # umbrella sits on top of auto or home cover
        umbrella = types.index("Umbrella")
        held[umbrella] = held[umbrella] and (held[types.index("Auto")] or held[types.index("Home")])
    if not any(held):
        held[types.index("Auto") if "Auto" in types else 0] = True
    return [k for k, h in enumerate(held) if h]


def _policy(one: One, p: PolicyType, slot: int, position: int, since: int, risk_mult: float) -> _Policy:
    key = child_key(one.key, "policies", position)
    pd_ = OneDraws(key)
    start = min(since + math.floor(pd_.uniform("start") * (one.as_of - since + 1)), one.as_of)
    coverage_cum, deductible_cum, _ = _cums()
    cov_cum = coverage_cum[slot]
    if cov_cum is not None:
        coverage_usd = p.coverage_options_usd[pd_.weighted("coverage", cov_cum)]
    else:
        raw = pd_.lognormal("coverage", p.coverage_median_usd, p.coverage_sigma)
        coverage_usd = max(rint(raw / p.coverage_round_usd), 1) * p.coverage_round_usd
    deductible_usd = p.deductible_options_usd[pd_.weighted("deductible", deductible_cum[slot])]
    premium_usd = pd_.lognormal("premium", p.premium_annual_usd / 12, p.premium_sigma)
    premium = max(one.money(premium_usd * risk_mult), 10.0**-one.spec.decimals)
    deductible = one.nice_money(deductible_usd)
    term = int(p.term_months)
    sy, sm, _ = ymd(start)
    ay, am, _ = ymd(one.as_of)
    elapsed = (ay - sy) * 12 + (am - sm)
    renewal = add_months(start, (elapsed // term + 1) * term)
    for _ in range(2):  # as the batch path: month-end roll-over can land on or before as_of
        if renewal <= one.as_of:
            renewal = add_months(start, (elapsed // term + 2) * term)
    number = p.prefix + "-" + base32(unique_id(one.index, slot, POLICY_SLOTS, one.seed_key, "policy"))
    fields: Row = {
        "type": p.type,
        "coverage": one.nice_money(coverage_usd),
        "premium": premium,
        "deductible": deductible,
        "policy_number": number,
        "renewal_date": to_date(renewal),
        "start_date": to_date(start),
    }
    return _Policy(slot, key, start, deductible, fields)


def _claims(one: One, s: InsuranceStats, policies: list[_Policy], risk_z: float) -> tuple[list[Row], int]:
    """:func:`.generator._claims` for one persona: its claims newest first and the count in the risk window."""
    cfg, as_of, dec = s.claims, one.as_of, one.spec.decimals
    window_start = as_of - cfg.history_years * 365
    claim_mult = exp(0.5 * risk_z)
    drawn: list[tuple[int, int, _Policy, int]] = []  # date, key, policy, position in the policy's claims
    for policy in policies:
        exposure_from = max(policy.start, window_start)
        years = (as_of - exposure_from) / 365.25
        rate = s.policy_types[policy.slot].claim_rate_per_year * years * claim_mult
        count = OneDraws(policy.key).poisson_varying("claims.count", rate, MAX_CLAIMS_PER_POLICY)
        for position in range(count):
            key = child_key(policy.key, "claims", position)
            offset = math.floor(OneDraws(key).uniform("date") * (as_of - exposure_from + 1))
            drawn.append((min(exposure_from + offset, as_of), key, policy, position))
    drawn.sort(key=lambda claim: -claim[0])  # newest first, stable: as the batch path's lexsort
    _, _, settled_cum = _cums()
    unit = 10.0**-dec
    rows: list[Row] = []
    recent = 0
    for date, key, policy, position in drawn:
        cd = OneDraws(key)
        p = s.policy_types[policy.slot]
        amount = max(one.money(cd.lognormal("amount", max(p.claim_median_usd, 1.0), p.claim_sigma)), unit)
        age_days = as_of - date
        if age_days < cfg.recent_days:
            status = cfg.statuses_recent[cd.integers("status.open", 0, len(cfg.statuses_recent) - 1)]
        else:
            status = cfg.statuses_settled[cd.weighted("status", settled_cum)]
        paid = 0.0
        if status in PAYING_STATUSES:
            share = min(max(cfg.paid_share_mean + 0.12 * cd.normal("paid_share"), 0.3), 1.0)
            paid = min(one.round(max(amount - policy.deductible, amount * share)), amount)
        claim_slot = policy.slot * MAX_CLAIMS_PER_POLICY + position
        claim_id = unique_id(one.index, claim_slot, POLICY_SLOTS * MAX_CLAIMS_PER_POLICY, one.seed_key, "claim")
        recent += age_days <= RISK_WINDOW_DAYS
        rows.append({
            "claim_id": "CLM-" + base32(claim_id), "date": to_date(date), "type": p.type, "amount": amount,
            "status": status, "paid_amount": paid, "policy_number": policy.fields["policy_number"],
        })  # fmt: skip
    return rows, recent


_LEVEL_FLOORS = [floor for floor, _ in reversed(RISK_LEVELS)]
_LEVEL_NAMES = [level for _, level in reversed(RISK_LEVELS)]


def one_insurance(one: One, ident: OneIdentity) -> tuple[Row, dict[str, list[Row]]]:
    """:func:`.generator.generate_insurance` for one persona: its fields, policies and claims."""
    s = insurance_stats()
    d = one.draws
    since = tenure_start(one, ident.adult_date, 0.3, "member_since")
    risk_z = d.normal("risk.latent")
    risk_mult = exp(0.25 * risk_z)
    policies = [
        _policy(one, s.policy_types[slot], slot, position, since, risk_mult)
        for position, slot in enumerate(_held(one, s, ident.age_years))
    ]
    claims, recent = _claims(one, s, policies, risk_z)
    r = s.risk_score
    score = min(max(rint(r.base_mean + r.base_sd * risk_z + r.per_recent_claim * recent), r.min), r.max)
    score = max(score, min(RISK_POINTS_PER_CLAIM * recent, 99))
    points = int(min(score, RISK_CAP_WITHOUT_CLAIMS) if recent == 0 else score)
    coverage = premium = 0.0
    for policy in policies:  # in row order, as numpy's bincount adds them
        coverage += policy.fields["coverage"]
        premium += policy.fields["premium"]
    fields: Row = {
        "member_since": to_date(since),
        "total_coverage": one.round(coverage),
        "monthly_premium": one.round(premium),
        "risk_points": points,
        "risk_score": _LEVEL_NAMES[bisect_right(_LEVEL_FLOORS, points) - 1],
    }
    return fields, {"active_policies": [p.fields for p in policies], "claims_history": claims}


__all__ = ["one_insurance"]
