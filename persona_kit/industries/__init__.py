"""The industry registry: every persona kind persona_kit knows, each a package of its own.

An industry is a package ``persona_kit/industries/<kind>/`` whose ``INDUSTRY``
is an :class:`~persona_kit.industries.registry.Industry`, plus its data files
(``data/stats/<kind>.json``, ``data/modes/<kind>.json`` for a built-in mode).
Registering one is one line: its name in :data:`PACKAGES`. See
``docs/adding-an-industry.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from persona_kit.industries.registry import Industry
from persona_kit.models.modes import CUSTOM_KIND
from persona_kit.models.persona import PersonaBase

PACKAGES: tuple[str, ...] = (
    "banking",
    "insurance",
    "healthcare",
    "telecom",
    "generic",
)
"""The registered industries, in the order modes, unions and menus list them."""


@cache
def industries() -> Mapping[str, Industry[Any]]:
    """Every registered industry by kind (read-only), in registration order."""
    found: dict[str, Industry[Any]] = {}
    for name in PACKAGES:
        record = importlib.import_module(f"{__name__}.{name}").INDUSTRY
        if not isinstance(record, Industry) or record.kind != name:
            msg = f"persona_kit.industries.{name}.INDUSTRY must be an Industry with kind {name!r}"
            raise TypeError(msg)
        found[name] = record
    return MappingProxyType(found)


def industry(kind: object) -> Industry[Any]:
    """The industry of a persona kind; an unknown kind lists the known ones."""
    known = industries()
    if not isinstance(kind, str) or kind not in known:
        msg = f"unknown persona kind {kind!r}; known kinds: {', '.join(known)}"
        raise ValueError(msg)
    return known[kind]


def industry_of(persona: PersonaBase) -> Industry[Any]:
    """The industry a persona belongs to, by its ``kind``."""
    return industry(getattr(persona, "kind", None))


def persona_kinds() -> tuple[str, ...]:
    """Every persona kind, in registration order."""
    return tuple(industries())


def builtin_mode_ids() -> tuple[str, ...]:
    """The kinds that come with a built-in mode (``data/modes/<kind>.json``)."""
    return tuple(kind for kind, record in industries().items() if record.builtin_mode)


def persona_models() -> tuple[type[PersonaBase], ...]:
    """The persona model of every kind, in registration order (the ``Persona`` union's members)."""
    return tuple(record.model for record in industries().values())


__all__ = [
    "CUSTOM_KIND",
    "PACKAGES",
    "Industry",
    "builtin_mode_ids",
    "industries",
    "industry",
    "industry_of",
    "persona_kinds",
    "persona_models",
]
