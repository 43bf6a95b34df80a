"""One generic (custom-mode) persona on Python scalars: :mod:`.generator`, value for value (tests/test_scalar.py)."""

from __future__ import annotations

import math
from bisect import bisect_right

from persona_kit.engine.scalar import One, Row, log1p, rint, to_date
from persona_kit.industries.generic.generator import generic_stats
from persona_kit.industries.generic.model import STATUS_TIERS, TIER_POINTS
from persona_kit.industries.identity_one import OneIdentity, tenure_start


def one_generic(one: One, ident: OneIdentity) -> tuple[Row, dict[str, list[Row]]]:
    """:func:`.generator.generate_generic` for one persona."""
    s = generic_stats()
    d = one.draws
    since = tenure_start(one, ident.adult_date, 0.25, "customer_since")
    tenure_days = one.as_of - since
    value_usd = d.lognormal("account_value", float(s.account_value["median_usd"]), float(s.account_value["sigma"]))
    lam = float(s.activity["per_year_mean"]) * max(tenure_days, 1) / 365.25
    activity = min(max(rint(lam + math.sqrt(lam) * d.normal("activity")), 1.0), float(s.activity["max"]))
    points = math.floor(value_usd * float(s.loyalty["points_per_usd"]))
    last_gap = math.floor(-log1p(-d.uniform("last_activity")) * s.recent_days / 3)
    fields: Row = {
        "customer_since": to_date(since),
        "account_value": one.money(value_usd),
        "activity_count": int(activity),
        "loyalty_points": points,
        "status": STATUS_TIERS[bisect_right(list(TIER_POINTS), points) - 1],
        "last_activity_date": to_date(one.as_of - min(last_gap, tenure_days)),
    }
    return fields, {}


__all__ = ["one_generic"]
