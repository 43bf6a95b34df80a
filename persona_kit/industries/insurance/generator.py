"""Insurance personas, column-wise: policies, claims, premiums and a risk score."""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from persona_kit.data import DataModel, industry_stats
from persona_kit.engine.batch import Batch, ChildRows, Column, Context, base32_codes, coded, objects, step_lookup
from persona_kit.engine.dates import add_months, days_between, shift, ymd
from persona_kit.engine.draws import Draws, cumulative
from persona_kit.engine.ids import unique_ids
from persona_kit.industries.identity import IdentityColumns, tenure_start
from persona_kit.industries.insurance.model import (
    PAYING_STATUSES,
    RISK_CAP_WITHOUT_CLAIMS,
    RISK_LEVELS,
    RISK_POINTS_PER_CLAIM,
    RISK_WINDOW_DAYS,
)

MAX_CLAIMS_PER_POLICY = 4
POLICY_SLOTS = 8


class PolicyType(DataModel):
    type: str
    prefix: str = Field(pattern=r"^[A-Z]{2}$")
    holds: float = Field(ge=0, le=1)
    premium_annual_usd: float = Field(gt=0)
    premium_sigma: float = Field(ge=0)
    coverage_options_usd: list[float] = Field(default_factory=list)
    coverage_weights: list[float] = Field(default_factory=list)
    coverage_median_usd: float = 0.0
    coverage_sigma: float = 0.0
    coverage_round_usd: float = 1000.0
    deductible_options_usd: list[float]
    deductible_weights: list[float]
    claim_rate_per_year: float = Field(ge=0)
    claim_median_usd: float = Field(ge=0)
    claim_sigma: float = Field(ge=0)
    term_months: int = Field(gt=0)


class HomeOwnership(DataModel):
    age_edges: list[float]
    rate: list[float]
    renters_insured_share: float


class Claims(DataModel):
    history_years: int
    statuses_recent: list[str]
    statuses_settled: list[str]
    settled_weights: list[float]
    recent_days: int
    paid_share_mean: float


class Risk(DataModel):
    base_mean: float
    base_sd: float
    per_recent_claim: float
    min: int
    max: int
    no_claim_cap: int


class InsuranceStats(DataModel):
    policy_types: list[PolicyType]
    home_ownership: HomeOwnership
    claims: Claims
    risk_score: Risk


@cache
def insurance_stats() -> InsuranceStats:
    """data/stats/insurance.json, validated against the model's risk rules."""
    stats = InsuranceStats.model_validate(industry_stats("insurance"))
    if (stats.risk_score.per_recent_claim, stats.risk_score.no_claim_cap) != (
        RISK_POINTS_PER_CLAIM,
        RISK_CAP_WITHOUT_CLAIMS,
    ):
        msg = "insurance.json risk_score rules must match persona_kit.industries.insurance.model"
        raise ValueError(msg)
    return stats


def _holdings(ctx: Context, d: Draws, age: NDArray[np.float64], s: InsuranceStats) -> NDArray[np.bool_]:
    """Which policy types each customer holds (columns follow ``policy_types``)."""
    types = [p.type for p in s.policy_types]
    owns_home = d.uniform("owns_home") < step_lookup(s.home_ownership.age_edges, s.home_ownership.rate, age)
    held = np.zeros((ctx.n, len(types)), dtype=bool)
    for k, p in enumerate(s.policy_types):
        u = d.uniform(f"holds.{p.type}")
        if p.type == "Home":
            held[:, k] = owns_home
        elif p.type == "Renters":
            held[:, k] = ~owns_home & (u < s.home_ownership.renters_insured_share)
        else:
            held[:, k] = u < p.holds
    if "Umbrella" in types:  # umbrella sits on top of auto or home cover
        base = held[:, types.index("Auto")] | held[:, types.index("Home")]
        held[:, types.index("Umbrella")] &= base
    nothing = ~held.any(axis=1)
    held[nothing, types.index("Auto") if "Auto" in types else 0] = True
    return held


def generate_insurance(ctx: Context, ident: IdentityColumns) -> Batch:
    """Insurance personas for every index in ``ctx``."""
    s = insurance_stats()
    d = ctx.draws()
    since = tenure_start(ctx, d, ident.adult_date, 0.3, "member_since")
    risk_z = d.normal("risk.latent")
    held = _holdings(ctx, d, ident.age_years, s)

    # Policy rows: one per held type, in the catalogue's type order.
    counts = held.sum(axis=1).astype(np.int64)
    rows = ChildRows.from_counts(ctx.keys, "policies", counts)
    slot = np.nonzero(held)[1].astype(np.int64)  # row-major: grouped by persona, type order
    pd_ = rows.draws()
    ptype = s.policy_types

    def per_type(values: list[float]) -> NDArray[np.float64]:
        return np.asarray(values, dtype=np.float64)[slot]

    span = days_between(ctx.as_of, rows.spread(since))
    start = shift(rows.spread(since), np.floor(pd_.uniform("start") * (span + 1)).astype(np.int64))
    start = np.minimum(start, ctx.as_of)

    coverage_usd = np.empty(len(rows))
    deductible_usd = np.empty(len(rows))
    for k, p in enumerate(ptype):
        m = slot == k
        if not m.any():
            continue
        sub = Draws(rows.keys[m])
        if p.coverage_options_usd:
            pick = sub.weighted("coverage", cumulative(p.coverage_weights))
            coverage_usd[m] = np.asarray(p.coverage_options_usd)[pick]
        else:
            raw = sub.lognormal("coverage", p.coverage_median_usd, p.coverage_sigma)
            coverage_usd[m] = np.maximum(np.round(raw / p.coverage_round_usd), 1) * p.coverage_round_usd
        deductible_usd[m] = np.asarray(p.deductible_options_usd)[
            sub.weighted("deductible", cumulative(p.deductible_weights))
        ]
    risk_mult = np.exp(0.25 * rows.spread(risk_z))
    premium_usd = pd_.lognormal(
        "premium", per_type([p.premium_annual_usd for p in ptype]) / 12, per_type([p.premium_sigma for p in ptype])
    )
    premium = np.maximum(ctx.money(premium_usd * risk_mult), 10.0**-ctx.spec.decimals)
    coverage = ctx.nice_money(coverage_usd)
    deductible = ctx.nice_money(deductible_usd)

    term = per_type([p.term_months for p in ptype]).astype(np.int64)
    sy, sm, _ = ymd(start)
    ay, am, _ = ymd(np.asarray([ctx.as_of]))
    elapsed = (ay[0] - sy) * 12 + (am[0] - sm)
    renewal = add_months(start, (elapsed // term + 1) * term)
    for _ in range(2):  # month-end roll-over can land on or before as_of: step a term further
        late = renewal <= ctx.as_of
        renewal = np.where(late, add_months(start, ((elapsed // term) + 2) * term), renewal)

    prefixes = objects([p.prefix + "-" for p in ptype])[slot]
    policy_number = prefixes + base32_codes(
        unique_ids(ctx.index[rows.parent], slot.astype(np.uint64), POLICY_SLOTS, ctx.seed_key, "policy")
    ).astype(object)

    columns_p = {
        "type": coded([p.type for p in ptype], slot),
        "coverage": coverage,
        "premium": premium,
        "deductible": deductible,
        "policy_number": policy_number,
        "renewal_date": renewal,
        "start_date": start,
    }

    claim_cols, claim_rows, recent = _claims(ctx, s, rows, slot, start, risk_z, columns_p, deductible)
    score = np.clip(
        np.round(s.risk_score.base_mean + s.risk_score.base_sd * risk_z + s.risk_score.per_recent_claim * recent),
        s.risk_score.min,
        s.risk_score.max,
    )
    floor = np.minimum(RISK_POINTS_PER_CLAIM * recent, 99)
    score = np.maximum(score, floor)
    score = np.where(recent == 0, np.minimum(score, RISK_CAP_WITHOUT_CLAIMS), score).astype(np.int64)

    decimals = ctx.spec.decimals
    columns: dict[str, Column] = {
        **ident.columns,
        "member_since": since,
        "total_coverage": np.round(np.bincount(rows.parent, weights=coverage, minlength=ctx.n), decimals),
        "monthly_premium": np.round(np.bincount(rows.parent, weights=premium, minlength=ctx.n), decimals),
        "risk_points": score,
        "risk_score": coded(
            [level for _, level in reversed(RISK_LEVELS)],
            np.searchsorted([floor for floor, _ in reversed(RISK_LEVELS)], score, side="right") - 1,
        ),
    }
    batch = Batch("insurance", ctx.n, columns)
    batch.add_child("active_policies", rows, columns_p)
    batch.add_child("claims_history", claim_rows, claim_cols)
    return batch


def _claims(
    ctx: Context,
    s: InsuranceStats,
    policies: ChildRows,
    slot: NDArray[np.int64],
    start: NDArray[np.datetime64],
    risk_z: NDArray[np.float64],
    policy_cols: dict[str, Column],
    deductible: NDArray[np.float64],
) -> tuple[dict[str, Column], ChildRows, NDArray[np.int64]]:
    """Claims per persona, newest first, and the count inside the risk window."""
    cfg = s.claims
    ptype = s.policy_types
    pd_ = policies.draws()
    window_start = shift(ctx.as_of, -np.full(len(policies), cfg.history_years * 365, dtype=np.int64))
    exposure_from = np.maximum(start, window_start)
    years = days_between(ctx.as_of, exposure_from) / 365.25
    rate = np.asarray([p.claim_rate_per_year for p in ptype])[slot] * years * np.exp(0.5 * policies.spread(risk_z))
    per_policy = pd_.poisson("claims.count", rate, MAX_CLAIMS_PER_POLICY)

    # Claim rows are drawn per policy, then regrouped per persona, newest first.
    by_policy = ChildRows.from_counts(policies.keys, "claims", per_policy)
    cd = by_policy.draws()
    owner = by_policy.parent  # policy row of each claim
    span = days_between(ctx.as_of, exposure_from[owner])
    date = shift(exposure_from[owner], np.floor(cd.uniform("date") * (span + 1)).astype(np.int64))
    date = np.minimum(date, ctx.as_of)
    persona = policies.parent[owner]
    order = np.lexsort((-date.astype(np.int64), persona))
    owner, date, persona = owner[order], date[order], persona[order]
    position_in_policy = by_policy.position[order]
    keys = by_policy.keys[order]
    cd = Draws(keys)

    counts = np.bincount(persona, minlength=ctx.n).astype(np.int64)
    offsets = np.zeros(ctx.n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    rows = ChildRows(persona, np.arange(persona.shape[0]) - offsets[:-1][persona], keys, offsets)

    median = np.asarray([p.claim_median_usd for p in ptype])[slot[owner]]
    sigma = np.asarray([p.claim_sigma for p in ptype])[slot[owner]]
    amount = np.maximum(ctx.money(cd.lognormal("amount", np.maximum(median, 1.0), sigma)), 10.0**-ctx.spec.decimals)
    age_days = days_between(ctx.as_of, date)
    recent_claim = age_days < cfg.recent_days
    settled = np.asarray(cfg.statuses_settled, dtype=object)[cd.weighted("status", cumulative(cfg.settled_weights))]
    open_ = np.asarray(cfg.statuses_recent, dtype=object)[cd.integers("status.open", 0, len(cfg.statuses_recent) - 1)]
    status = np.where(recent_claim, open_, settled)
    pays = np.isin(status, PAYING_STATUSES)
    share = np.clip(cfg.paid_share_mean + 0.12 * cd.normal("paid_share"), 0.3, 1.0)
    paid = np.where(
        pays,
        np.minimum(np.round(np.maximum(amount - deductible[owner], amount * share), ctx.spec.decimals), amount),
        0.0,
    )

    claim_slot = slot[owner].astype(np.uint64) * np.uint64(MAX_CLAIMS_PER_POLICY) + position_in_policy.astype(np.uint64)
    claim_id = "CLM-" + base32_codes(
        unique_ids(ctx.index[persona], claim_slot, POLICY_SLOTS * MAX_CLAIMS_PER_POLICY, ctx.seed_key, "claim")
    ).astype(object)
    in_window = age_days <= RISK_WINDOW_DAYS
    recent = np.bincount(persona[in_window], minlength=ctx.n).astype(np.int64)
    cols: dict[str, Column] = {
        "claim_id": claim_id,
        "date": date,
        "type": policy_cols["type"][owner],
        "amount": amount,
        "status": status,
        "paid_amount": paid,
        "policy_number": policy_cols["policy_number"][owner],
    }
    return cols, rows, recent
