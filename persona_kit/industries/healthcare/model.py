"""Healthcare persona: plan, cost sharing, appointments and prescriptions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from persona_kit.models.base import FrozenModel
from persona_kit.models.persona import PersonaBase


class Appointment(FrozenModel):
    """An upcoming visit; ``time`` is 24-hour local time, HH:MM."""

    date: dt.date
    time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    provider: str
    specialty: str
    location: str
    reason: str


class Prescription(FrozenModel):
    """An active prescription."""

    medication: str
    dosage: str
    frequency: str
    refills_remaining: Annotated[int, Field(ge=0, le=12)]
    prescriber: str


class HealthcarePersona(PersonaBase):
    """A health-plan member."""

    kind: Literal["healthcare"] = "healthcare"
    member_id: str
    date_of_birth: dt.date
    primary_care_provider: str
    plan_name: str
    plan_type: Literal["PPO", "HDHP", "HMO", "POS"]
    deductible: Annotated[float, Field(ge=0)]
    deductible_met: Annotated[float, Field(ge=0)]
    out_of_pocket_max: Annotated[float, Field(ge=0)]
    out_of_pocket_spent: Annotated[float, Field(ge=0)]
    upcoming_appointments: list[Appointment]
    active_prescriptions: list[Prescription]

    @field_validator("date_of_birth")
    @classmethod
    def _same_birth_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        identity = info.data.get("identity")
        if identity is not None and value != identity.date_of_birth:
            msg = f"date_of_birth {value} differs from identity.date_of_birth {identity.date_of_birth}"
            raise ValueError(msg)
        return value

    @field_validator("deductible_met")
    @classmethod
    def _deductible_met(cls, value: float, info: ValidationInfo) -> float:
        deductible = info.data.get("deductible")
        if deductible is not None and value > deductible:
            msg = f"deductible_met {value} exceeds deductible {deductible}"
            raise ValueError(msg)
        return value

    @field_validator("out_of_pocket_max")
    @classmethod
    def _oop_max(cls, value: float, info: ValidationInfo) -> float:
        deductible = info.data.get("deductible")
        if deductible is not None and value < deductible:
            msg = f"out_of_pocket_max {value} is below deductible {deductible}"
            raise ValueError(msg)
        return value

    @field_validator("out_of_pocket_spent")
    @classmethod
    def _oop_spent(cls, value: float, info: ValidationInfo) -> float:
        oop_max, met = info.data.get("out_of_pocket_max"), info.data.get("deductible_met")
        if oop_max is not None and value > oop_max:
            msg = f"out_of_pocket_spent {value} exceeds out_of_pocket_max {oop_max}"
            raise ValueError(msg)
        if met is not None and value < met:
            msg = f"out_of_pocket_spent {value} is below deductible_met {met}; deductible payments count toward it"
            raise ValueError(msg)
        return value

    @field_validator("upcoming_appointments")
    @classmethod
    def _future_in_order(cls, rows: list[Appointment], info: ValidationInfo) -> list[Appointment]:
        as_of = info.data.get("as_of")
        for i, row in enumerate(rows):
            if as_of is not None and row.date <= as_of:
                msg = f"[{i}].date {row.date} must be after as_of {as_of}"
                raise ValueError(msg)
            if i and (row.date, row.time) < (rows[i - 1].date, rows[i - 1].time):
                msg = f"[{i}] is earlier than [{i - 1}]; appointments are soonest first"
                raise ValueError(msg)
        return rows
