"""Insurance persona: policies, claims, premiums and risk."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from persona_kit.models.base import FrozenModel, money_equal
from persona_kit.models.persona import PersonaBase, check_since

RISK_WINDOW_DAYS = 3 * 365
RISK_POINTS_PER_CLAIM = 18
RISK_CAP_WITHOUT_CLAIMS = 60
# Claim statuses and risk levels in the reference dashboard's vocabulary (lower case, snake_case).
ClaimStatus = Literal["pending", "in_review", "approved", "paid", "denied"]
OPEN_STATUSES = ("pending", "in_review")
PAYING_STATUSES = ("paid", "approved")
RiskLevel = Literal["low", "medium", "high"]
RISK_LEVELS: tuple[tuple[int, RiskLevel], ...] = ((60, "high"), (35, "medium"), (1, "low"))
"""Risk points from which each level starts (an assumption: thirds of the 1-99 scale, with the no-claim cap at 60)."""


def risk_level(points: int) -> RiskLevel:
    """The risk level ("low", "medium", "high") of a 1-99 risk-points score."""
    return next(level for floor, level in RISK_LEVELS if points >= floor)


def status_label(status: str) -> str:
    """A claim status as people read it: ``in_review`` -> ``In review``."""
    return status.replace("_", " ").capitalize()


def risk_floor(recent_claims: int) -> int:
    """The lowest risk points a customer with this many recent claims can have."""
    return min(99, RISK_POINTS_PER_CLAIM * recent_claims)


class Policy(FrozenModel):
    """One active policy; ``premium`` is monthly."""

    type: str
    coverage: Annotated[float, Field(ge=0)]
    premium: Annotated[float, Field(gt=0)]
    deductible: Annotated[float, Field(ge=0)]
    policy_number: str
    renewal_date: dt.date
    start_date: dt.date


class Claim(FrozenModel):
    """One claim against a policy."""

    claim_id: str
    date: dt.date
    type: str
    amount: Annotated[float, Field(gt=0)]
    status: ClaimStatus
    paid_amount: Annotated[float, Field(ge=0)]
    policy_number: str


class InsurancePersona(PersonaBase):
    """A personal-lines insurance policyholder."""

    kind: Literal["insurance"] = "insurance"
    member_since: dt.date
    active_policies: Annotated[list[Policy], Field(min_length=1)]
    claims_history: list[Claim]
    total_coverage: float
    monthly_premium: float
    risk_points: Annotated[int, Field(ge=1, le=99)]
    """The numeric risk score, 1-99, higher is riskier."""
    risk_score: RiskLevel
    """The risk level the dashboard shows, from ``risk_points`` (see :data:`RISK_LEVELS`)."""

    @field_validator("member_since")
    @classmethod
    def _member_since(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return check_since(value, info, "member_since")

    @field_validator("active_policies")
    @classmethod
    def _policies(cls, policies: list[Policy], info: ValidationInfo) -> list[Policy]:
        as_of, since = info.data.get("as_of"), info.data.get("member_since")
        for i, p in enumerate(policies):
            if as_of is not None and p.renewal_date <= as_of:
                msg = f"[{i}].renewal_date {p.renewal_date} must be after as_of {as_of}"
                raise ValueError(msg)
            if since is not None and p.start_date < since:
                msg = f"[{i}].start_date {p.start_date} is before member_since {since}"
                raise ValueError(msg)
            if as_of is not None and p.start_date > as_of:
                msg = f"[{i}].start_date {p.start_date} is after as_of {as_of}"
                raise ValueError(msg)
        return policies

    @field_validator("claims_history")
    @classmethod
    def _claims(cls, claims: list[Claim], info: ValidationInfo) -> list[Claim]:
        as_of = info.data.get("as_of")
        by_number = {p.policy_number: p for p in info.data.get("active_policies", [])}
        for i, c in enumerate(claims):
            policy = by_number.get(c.policy_number)
            if by_number and policy is None:
                msg = f"[{i}].policy_number {c.policy_number!r} matches no active policy"
                raise ValueError(msg)
            if policy is not None and (c.type != policy.type or c.date < policy.start_date):
                msg = (
                    f"[{i}] ({c.type}, {c.date}) must match its policy's type {policy.type} "
                    f"and follow its start_date {policy.start_date}"
                )
                raise ValueError(msg)
            if as_of is not None and c.date > as_of:
                msg = f"[{i}].date {c.date} is after as_of {as_of}"
                raise ValueError(msg)
            if c.paid_amount > c.amount or (c.paid_amount > 0 and c.status not in PAYING_STATUSES):
                msg = f"[{i}].paid_amount {c.paid_amount} is inconsistent with status {c.status} and amount {c.amount}"
                raise ValueError(msg)
            if i and c.date > claims[i - 1].date:
                msg = f"[{i}].date {c.date} is newer than [{i - 1}].date; claims are newest first"
                raise ValueError(msg)
        return claims

    @field_validator("total_coverage")
    @classmethod
    def _total_coverage(cls, value: float, info: ValidationInfo) -> float:
        parts = [p.coverage for p in info.data.get("active_policies", [])]
        if parts and not money_equal(value, round(sum(parts), 2)):
            msg = f"total_coverage {value} must equal the sum of policy coverages {round(sum(parts), 2)}"
            raise ValueError(msg)
        return value

    @field_validator("monthly_premium")
    @classmethod
    def _monthly_premium(cls, value: float, info: ValidationInfo) -> float:
        parts = [p.premium for p in info.data.get("active_policies", [])]
        if parts and not money_equal(value, round(sum(parts), 2)):
            msg = f"monthly_premium {value} must equal the sum of policy premiums {round(sum(parts), 2)}"
            raise ValueError(msg)
        return value

    @field_validator("risk_score")
    @classmethod
    def _level_of_points(cls, value: str, info: ValidationInfo) -> str:
        points = info.data.get("risk_points")
        if points is not None and value != risk_level(points):
            msg = f"risk_score {value!r} disagrees with risk_points {points} (which is {risk_level(points)!r})"
            raise ValueError(msg)
        return value

    @field_validator("risk_points")
    @classmethod
    def _risk_matches_claims(cls, value: int, info: ValidationInfo) -> int:
        as_of = info.data.get("as_of")
        claims = info.data.get("claims_history")
        if as_of is None or claims is None:
            return value
        recent = sum(1 for c in claims if (as_of - c.date).days <= RISK_WINDOW_DAYS)
        if value < risk_floor(recent):
            msg = f"risk_points {value} is too low for {recent} recent claim(s) (at least {risk_floor(recent)})"
            raise ValueError(msg)
        if recent == 0 and value > RISK_CAP_WITHOUT_CLAIMS:
            msg = (
                f"risk_points {value} is too high with no claim in the last 3 years (at most {RISK_CAP_WITHOUT_CLAIMS})"
            )
            raise ValueError(msg)
        return value
