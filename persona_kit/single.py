"""One persona on Python scalars: the industry's scalar generator, assembled as a batch row is.

:func:`persona_kit.generate.generate_persona` uses this path; a batch of one gives the
same persona (tests/test_scalar.py compares the two field by field), only slower, since
numpy's per-call overhead is paid on every one of about a thousand tiny arrays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from persona_kit.data import LocaleSpec
from persona_kit.engine.scalar import One, Row, day_of
from persona_kit.industries.identity import ADDRESS_COLUMNS
from persona_kit.industries.identity_one import one_identity
from persona_kit.industries.registry import Industry


def scalar_row(record: Industry[Any], seed_key: int, index: int, locale: str, spec: LocaleSpec, as_of: dt.date) -> Row:
    """The persona's fields as its model takes them, the same as ``row_from_batch`` gives for a batch of one.

    ``record`` must have a scalar generator; the other arguments must already be checked.
    """
    assert record.generate_one is not None
    one = One(seed_key, index, locale, spec, day_of(as_of))
    ident = one_identity(one)
    fields, children = record.generate_one(one, ident)
    identity = dict(ident.fields)
    name = identity.pop("name")
    identity["address"] = {column: identity.pop(column) for column in ADDRESS_COLUMNS}
    row: Row = {"name": name, **fields, "as_of": as_of, "identity": identity, **children}
    if "date_of_birth" in record.model.model_fields:
        row["date_of_birth"] = identity["date_of_birth"]
    return row


__all__ = ["scalar_row"]
