"""The generic persona of custom modes: tenure, account value, activity and loyalty."""

from __future__ import annotations

from persona_kit.industries.generic.facts import generic_sections
from persona_kit.industries.generic.generator import generate_generic, generic_stats
from persona_kit.industries.generic.model import GenericPersona
from persona_kit.industries.generic.one import one_generic
from persona_kit.industries.registry import CURRENCY, CardLayout, ChartDef, Industry, MetricDef

INDUSTRY = Industry(
    kind="generic",
    model=GenericPersona,
    generate=generate_generic,
    generate_one=one_generic,
    stats=generic_stats,
    facts=generic_sections,
    metrics=(
        MetricDef("Account value", CURRENCY, lambda p, f: p.account_value),
        MetricDef("Status tier", "tier", lambda p, f: p.status),
        MetricDef("Loyalty points", "points", lambda p, f: p.loyalty_points),
        MetricDef("Activity count", "interactions", lambda p, f: p.activity_count),
        MetricDef("Last activity", "date", lambda p, f: p.last_activity_date),
    ),
    card_metrics=("Account value", "Status tier", "Loyalty points", "Activity count", "Last activity"),
    tool_metrics=("Account value", "Loyalty points", "Activity count", "Status tier"),
    charts=(
        ChartDef("Account value by month", "month", "amount ({currency})"),
        ChartDef("Loyalty points by month", "month", "points"),
    ),
    synonyms=(),
    simulator="persona_kit.industries.generic.answers",
    card=CardLayout(since=lambda p: ("customer since", p.customer_since)),
    builtin_mode=False,
    count_nouns=(
        (r"points?", r"^loyalty_points$|^derived\.next_tier$"),
        (r"interactions?|activities", r"^activity_count$"),
    ),
)

__all__ = ["INDUSTRY", "GenericPersona"]
