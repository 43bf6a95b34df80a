"""What every persona has: the date it is drawn at, an identity and a display name.

Fields are declared in dependency order (``as_of`` first) so later field
validators can check against earlier ones and report the exact field path.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationInfo, field_validator

from persona_kit.models.base import FrozenModel, adult_from, age_at
from persona_kit.models.identity import Identity


class PersonaBase(FrozenModel):
    """Common head of every persona model."""

    as_of: date
    identity: Identity
    name: str
    kind: str
    """The persona kind (each industry's model narrows it to its own literal)."""

    @field_validator("identity")
    @classmethod
    def _age_matches_birth_date(cls, identity: Identity, info: ValidationInfo) -> Identity:
        as_of = info.data.get("as_of")
        if as_of is not None:
            expected = age_at(identity.date_of_birth, as_of)
            if identity.age != expected:
                msg = f"age {identity.age} disagrees with date_of_birth {identity.date_of_birth} at as_of {as_of}"
                raise ValueError(msg)
        return identity

    @field_validator("name")
    @classmethod
    def _name_matches_identity(cls, name: str, info: ValidationInfo) -> str:
        identity = info.data.get("identity")
        if identity is not None and (identity.first_name not in name or identity.last_name not in name):
            msg = f"name {name!r} must contain identity.first_name and identity.last_name"
            raise ValueError(msg)
        return name


def check_since(since: date, info: ValidationInfo, field: str) -> date:
    """A relationship start date lies between the 18th birthday and as_of."""
    identity = info.data.get("identity")
    as_of = info.data.get("as_of")
    if identity is not None and since < adult_from(identity.date_of_birth):
        msg = f"{field} {since} is before the customer turned 18 (born {identity.date_of_birth})"
        raise ValueError(msg)
    if as_of is not None and since > as_of:
        msg = f"{field} {since} is after as_of {as_of}"
        raise ValueError(msg)
    return since
