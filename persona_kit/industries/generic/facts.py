"""What the system prompt states about a customer of a custom mode: tenure, value, activity and loyalty."""

from __future__ import annotations

from persona_kit.facts import Section, fact
from persona_kit.formatting import Formatter
from persona_kit.industries.generic.model import STATUS_TIERS, TIER_POINTS, GenericPersona


def generic_sections(p: GenericPersona, f: Formatter) -> list[Section]:
    tier = STATUS_TIERS.index(p.status)
    if tier + 1 < len(STATUS_TIERS):
        to_next = f"{f.number(TIER_POINTS[tier + 1] - p.loyalty_points)} points to {STATUS_TIERS[tier + 1]}"
    else:
        to_next = "top tier reached"
    return [
        Section(
            "Account",
            lines=(
                fact("customer_since", "Customer since", f.day(p.customer_since)),
                fact("account_value", "Account value", f.money(p.account_value)),
                fact("activity_count", "Activity count", f.number(p.activity_count)),
                fact("last_activity_date", "Last activity", f.day(p.last_activity_date)),
                fact("loyalty_points", "Loyalty points", f.number(p.loyalty_points)),
                fact("status", "Status tier", p.status),
                fact("derived.next_tier", "Next tier", to_next),
            ),
        )
    ]
