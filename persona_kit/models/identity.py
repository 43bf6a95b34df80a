"""The identity block every persona shares."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator

from persona_kit.models.base import FrozenModel

RESERVED_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


class Address(FrozenModel):
    """A postal address in the persona's locale."""

    street: str
    city: str
    region: str
    postcode: str
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Identity(FrozenModel):
    """Who the customer is: names, birth date, contact details, locale and currency."""

    first_name: Annotated[str, Field(min_length=1)]
    last_name: Annotated[str, Field(min_length=1)]
    date_of_birth: date
    age: Annotated[int, Field(ge=18, le=120)]
    email: str
    phone: str
    address: Address
    locale: str
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

    @field_validator("email")
    @classmethod
    def _reserved_domain(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        if not local or domain not in RESERVED_EMAIL_DOMAINS:
            msg = f"email must be on a reserved domain ({', '.join(RESERVED_EMAIL_DOMAINS)}), got {value!r}"
            raise ValueError(msg)
        return value
