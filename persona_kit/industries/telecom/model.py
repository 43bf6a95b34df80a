"""Telecom persona: a mobile plan (and perhaps home broadband), this cycle's usage, devices, bills and tickets.

The cross-field rules make an inconsistent customer unbuildable: usage above a
capped allowance always carries an overage charge (and no charge without it);
the next bill is the sum of what is charged; a financed device's balance is
what its instalments have not paid yet; bills and tickets are newest first and
their statuses agree with their dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from persona_kit.models.base import FrozenModel
from persona_kit.models.persona import PersonaBase, check_since

DeviceType = Literal["Phone", "Tablet", "Watch", "Router"]
BillStatus = Literal["Paid", "Due", "Overdue"]
TicketStatus = Literal["Open", "Resolved"]
PLAN_TYPES = ("Mobile", "Mobile + Home Broadband")
BILL_DUE_DAYS = 14
"""Days from a bill's date to its due date (an assumption; providers give 14 to 28 days)."""
_HALF_UNIT = 0.5 + 1e-9
"""Rounding slack of instalments: half the largest minor unit in use (one yen)."""


class Device(FrozenModel):
    """A device on the account; a financed one is paid off in equal monthly instalments."""

    name: str
    type: DeviceType
    price: Annotated[float, Field(ge=0)]
    financed: bool
    instalment_months: Annotated[int, Field(ge=0, le=60)]
    monthly_instalment: Annotated[float, Field(ge=0)]
    months_remaining: Annotated[int, Field(ge=0, le=60)]
    instalment_balance: Annotated[float, Field(ge=0)]

    @model_validator(mode="after")
    def _instalments_add_up(self) -> Device:
        if not self.financed:
            if (self.instalment_months, self.monthly_instalment, self.months_remaining, self.instalment_balance) != (
                0,
                0,
                0,
                0,
            ):
                msg = f"{self.name}: a device bought outright has no instalments or balance"
                raise ValueError(msg)
            return self
        if not 0 < self.months_remaining <= self.instalment_months:
            msg = f"{self.name}: months_remaining {self.months_remaining} must be 1..{self.instalment_months}"
            raise ValueError(msg)
        paid = self.monthly_instalment * (self.instalment_months - self.months_remaining)
        if abs(self.price - paid - self.instalment_balance) > _HALF_UNIT:
            msg = (
                f"{self.name}: instalment_balance {self.instalment_balance} must be price {self.price} less "
                f"{self.instalment_months - self.months_remaining} instalments of {self.monthly_instalment}"
            )
            raise ValueError(msg)
        if abs(self.monthly_instalment * self.instalment_months - self.price) > _HALF_UNIT * self.instalment_months:
            msg = f"{self.name}: {self.instalment_months} instalments of {self.monthly_instalment} must pay its price"
            raise ValueError(msg)
        return self


class Bill(FrozenModel):
    """A monthly bill: issued on ``date``, due ``BILL_DUE_DAYS`` later."""

    date: dt.date
    amount: Annotated[float, Field(gt=0)]
    due_date: dt.date
    status: BillStatus

    @model_validator(mode="after")
    def _due_after_issue(self) -> Bill:
        if self.due_date != self.date + dt.timedelta(days=BILL_DUE_DAYS):
            msg = f"due_date {self.due_date} must be {BILL_DUE_DAYS} days after the bill date {self.date}"
            raise ValueError(msg)
        return self


class Ticket(FrozenModel):
    """A support ticket; a resolved one has the day it was resolved."""

    ticket_id: Annotated[str, Field(pattern=r"^TKT-[0-9A-Z]{8}$")]
    opened: dt.date
    category: str
    status: TicketStatus
    resolved: dt.date | None

    @model_validator(mode="after")
    def _resolved_when_resolved(self) -> Ticket:
        if (self.status == "Resolved") != (self.resolved is not None):
            msg = f"{self.ticket_id}: a Resolved ticket has a resolved date, an Open one has none"
            raise ValueError(msg)
        if self.resolved is not None and self.resolved < self.opened:
            msg = f"{self.ticket_id}: resolved {self.resolved} is before opened {self.opened}"
            raise ValueError(msg)
        return self


class TelecomPersona(PersonaBase):
    """A customer of a mobile and broadband provider."""

    kind: Literal["telecom"] = "telecom"
    member_since: dt.date
    account_number: Annotated[str, Field(pattern=r"^TC-[0-9A-Z]{8}$")]
    plan_name: str
    plan_type: Literal["Mobile", "Mobile + Home Broadband"]
    monthly_price: Annotated[float, Field(gt=0)]
    data_allowance_gb: Annotated[float, Field(gt=0)] | None
    """None: unlimited data."""
    data_used_gb: Annotated[float, Field(ge=0)]
    cycle_start: dt.date
    cycle_end: dt.date
    overage_charge: Annotated[float, Field(ge=0)]
    broadband_speed_mbps: Annotated[int, Field(gt=0)] | None
    broadband_price: Annotated[float, Field(gt=0)] | None
    contract_end_date: dt.date | None
    """None: no minimum term (rolling monthly)."""
    next_bill_estimate: Annotated[float, Field(gt=0)]
    devices: list[Device]
    recent_bills: list[Bill]
    support_tickets: list[Ticket]

    @field_validator("member_since")
    @classmethod
    def _member_since(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return check_since(value, info, "member_since")

    @model_validator(mode="after")
    def _consistent(self) -> TelecomPersona:
        self._check_cycle()
        self._check_usage()
        broadband = self.broadband_speed_mbps is not None
        if broadband != (self.broadband_price is not None) or broadband != (self.plan_type == PLAN_TYPES[1]):
            msg = "broadband_speed_mbps and broadband_price are set exactly when plan_type includes Home Broadband"
            raise ValueError(msg)
        if self.contract_end_date is not None and self.contract_end_date <= self.as_of:
            msg = f"contract_end_date {self.contract_end_date} must be after as_of {self.as_of} (or None)"
            raise ValueError(msg)
        charged = self.monthly_price + (self.broadband_price or 0) + self.overage_charge
        charged += sum(d.monthly_instalment for d in self.devices)
        if abs(charged - self.next_bill_estimate) > 0.01:
            msg = f"next_bill_estimate {self.next_bill_estimate} must be the sum of this cycle's charges {charged:.2f}"
            raise ValueError(msg)
        self._check_bills()
        self._check_tickets()
        return self

    def _check_cycle(self) -> None:
        if not self.cycle_start <= self.as_of <= self.cycle_end or (self.cycle_end - self.cycle_start).days > 31:
            msg = f"the billing cycle {self.cycle_start}..{self.cycle_end} must contain as_of {self.as_of}"
            raise ValueError(msg)

    def _check_usage(self) -> None:
        allowance = self.data_allowance_gb
        over = allowance is not None and self.data_used_gb > allowance
        if over != (self.overage_charge > 0):
            msg = (
                f"data_used_gb {self.data_used_gb} against allowance {allowance}: usage above a capped allowance "
                f"is billed as an overage charge, and there is no overage charge otherwise (got {self.overage_charge})"
            )
            raise ValueError(msg)

    def _check_bills(self) -> None:
        for i, bill in enumerate(self.recent_bills):
            if bill.date > self.as_of or (i and bill.date >= self.recent_bills[i - 1].date):
                msg = f"recent_bills[{i}] dated {bill.date}: bills are in the past, newest first"
                raise ValueError(msg)
            if bill.amount < self.monthly_price - 0.005:
                msg = f"recent_bills[{i}].amount {bill.amount} is below the plan's monthly price {self.monthly_price}"
                raise ValueError(msg)
            due_passed = bill.due_date < self.as_of
            if (bill.status == "Due" and due_passed) or (bill.status == "Overdue" and not due_passed):
                msg = f"recent_bills[{i}] is {bill.status} but its due date is {bill.due_date} (as_of {self.as_of})"
                raise ValueError(msg)

    def _check_tickets(self) -> None:
        for i, ticket in enumerate(self.support_tickets):
            if ticket.opened > self.as_of or (ticket.resolved is not None and ticket.resolved > self.as_of):
                msg = f"support_tickets[{i}] ({ticket.ticket_id}) is dated after as_of {self.as_of}"
                raise ValueError(msg)
            if i and ticket.opened > self.support_tickets[i - 1].opened:
                msg = f"support_tickets[{i}] is newer than [{i - 1}]; tickets are newest first"
                raise ValueError(msg)


__all__ = ["BILL_DUE_DAYS", "PLAN_TYPES", "Bill", "Device", "TelecomPersona", "Ticket"]
