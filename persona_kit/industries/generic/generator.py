"""Generic personas for custom modes: tenure, value, activity and loyalty."""

from __future__ import annotations

from functools import cache

import numpy as np

from persona_kit.data import DataModel, industry_stats
from persona_kit.engine.batch import Batch, Column, Context, coded
from persona_kit.engine.dates import days_between, shift
from persona_kit.industries.generic.model import STATUS_TIERS, TIER_POINTS
from persona_kit.industries.identity import IdentityColumns, tenure_start


class GenericStats(DataModel):
    account_value: dict[str, float | str]
    activity: dict[str, float | str]
    loyalty: dict[str, float | str]
    recent_days: int


@cache
def generic_stats() -> GenericStats:
    """data/stats/generic.json, validated."""
    return GenericStats.model_validate(industry_stats("generic"))


def generate_generic(ctx: Context, ident: IdentityColumns) -> Batch:
    """Generic personas for every index in ``ctx``."""
    s = generic_stats()
    d = ctx.draws()
    since = tenure_start(ctx, d, ident.adult_date, 0.25, "customer_since")
    tenure_days = days_between(ctx.as_of, since)
    value_usd = d.lognormal("account_value", float(s.account_value["median_usd"]), float(s.account_value["sigma"]))
    lam = float(s.activity["per_year_mean"]) * np.maximum(tenure_days, 1) / 365.25
    # Normal approximation to Poisson: counts here run into the hundreds.
    activity = np.clip(np.round(lam + np.sqrt(lam) * d.normal("activity")), 1, float(s.activity["max"])).astype(
        np.int64
    )
    points = np.floor(value_usd * float(s.loyalty["points_per_usd"])).astype(np.int64)
    tier = coded(STATUS_TIERS, np.searchsorted(np.asarray(TIER_POINTS), points, side="right") - 1)
    last_gap = np.floor(-np.log1p(-d.uniform("last_activity")) * s.recent_days / 3).astype(np.int64)
    columns: dict[str, Column] = {
        **ident.columns,
        "customer_since": since,
        "account_value": ctx.money(value_usd),
        "activity_count": activity,
        "loyalty_points": points,
        "status": tier,
        "last_activity_date": shift(ctx.as_of, -np.minimum(last_gap, tenure_days)),
    }
    return Batch("generic", ctx.n, columns)
