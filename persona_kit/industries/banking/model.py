"""Banking persona: balances, credit and recent transactions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from persona_kit.models.base import FrozenModel
from persona_kit.models.persona import PersonaBase, check_since

TRANSACTION_WINDOW_DAYS = 30


class Transaction(FrozenModel):
    """One posted transaction; debits are negative, credits positive."""

    date: dt.date
    description: str
    amount: float
    category: str
    merchant_category: Annotated[str, Field(pattern=r"^\d{4}$", description="ISO 18245 merchant category code")]


class BankingPersona(PersonaBase):
    """A retail-banking customer."""

    kind: Literal["banking"] = "banking"
    member_since: dt.date
    checking_balance: float
    savings_balance: Annotated[float, Field(ge=0)]
    account_number_last4: Annotated[str, Field(pattern=r"^\d{4}$")]
    credit_score: Annotated[int, Field(ge=300, le=850)]
    credit_limit: Annotated[float, Field(ge=0)]
    credit_used: Annotated[float, Field(ge=0)]
    recent_transactions: list[Transaction]

    @field_validator("member_since")
    @classmethod
    def _member_since(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return check_since(value, info, "member_since")

    @field_validator("credit_used")
    @classmethod
    def _within_limit(cls, value: float, info: ValidationInfo) -> float:
        limit = info.data.get("credit_limit")
        if limit is not None and value > limit:
            msg = f"credit_used {value} exceeds credit_limit {limit}"
            raise ValueError(msg)
        return value

    @field_validator("recent_transactions")
    @classmethod
    def _newest_first_in_window(cls, rows: list[Transaction], info: ValidationInfo) -> list[Transaction]:
        as_of: dt.date | None = info.data.get("as_of")
        start = None if as_of is None else as_of - dt.timedelta(days=TRANSACTION_WINDOW_DAYS)
        newer = None  # the previous row's date
        for i, row in enumerate(rows):
            date = row.date
            if start is not None and as_of is not None and not start < date <= as_of:
                msg = f"[{i}].date {date} is outside the {TRANSACTION_WINDOW_DAYS} days up to as_of {as_of}"
                raise ValueError(msg)
            if newer is not None and date > newer:
                msg = f"[{i}].date {date} is newer than [{i - 1}].date; transactions are newest first"
                raise ValueError(msg)
            newer = date
        return rows
