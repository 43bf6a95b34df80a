"""Generic persona for custom modes: any industry a data file can describe."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from persona_kit.models.persona import PersonaBase, check_since

STATUS_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
TIER_POINTS = (0, 5000, 25000, 100000)


def tier_for_points(points: int) -> str:
    """The status tier a loyalty balance earns."""
    tier = STATUS_TIERS[0]
    for name, floor in zip(STATUS_TIERS, TIER_POINTS, strict=True):
        if points >= floor:
            tier = name
    return tier


class GenericPersona(PersonaBase):
    """A customer of a custom mode."""

    kind: Literal["generic"] = "generic"
    customer_since: dt.date
    account_value: Annotated[float, Field(ge=0)]
    activity_count: Annotated[int, Field(ge=0)]
    loyalty_points: Annotated[int, Field(ge=0)]
    status: Literal["Bronze", "Silver", "Gold", "Platinum"]
    last_activity_date: dt.date

    @field_validator("customer_since")
    @classmethod
    def _customer_since(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return check_since(value, info, "customer_since")

    @field_validator("status")
    @classmethod
    def _tier_matches_points(cls, value: str, info: ValidationInfo) -> str:
        points = info.data.get("loyalty_points")
        if points is not None and value != tier_for_points(points):
            msg = f"status {value} does not match {points} loyalty points (should be {tier_for_points(points)})"
            raise ValueError(msg)
        return value

    @field_validator("last_activity_date")
    @classmethod
    def _last_activity(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        since, as_of = info.data.get("customer_since"), info.data.get("as_of")
        if since is not None and value < since:
            msg = f"last_activity_date {value} is before customer_since {since}"
            raise ValueError(msg)
        if as_of is not None and value > as_of:
            msg = f"last_activity_date {value} is after as_of {as_of}"
            raise ValueError(msg)
        return value
