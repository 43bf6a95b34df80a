"""The fact catalogue: every quotable value about a persona, tagged with its field path.

The system prompt states these facts (:mod:`persona_kit.prompt`), the offline
simulator quotes them and the grounding check looks replies up in them, so a
value is spelled the same way everywhere. Each industry contributes its own
sections (``Industry.facts``); the identity section is shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from persona_kit.data import locale_spec
from persona_kit.formatting import Formatter, format_address, formatter_for

if TYPE_CHECKING:
    from persona_kit.models.identity import Address
    from persona_kit.models.persona import PersonaBase as Persona


@dataclass(frozen=True)
class Fact:
    """One quotable value: where it comes from, what it is called, and how it is spelled.

    ``field`` is a path into the persona (``recent_transactions[2].amount``) or,
    for values computed from several fields, ``derived.<name>``.
    """

    field: str
    label: str
    text: str


@dataclass(frozen=True)
class Section:
    """A titled block of the context: labelled lines, a table of rows, or both."""

    title: str
    lines: tuple[Fact, ...] = ()
    rows: tuple[tuple[Fact, ...], ...] = ()
    empty: str = ""


def inline(text: str) -> str:
    """Values sit on one line and in table cells: multi-line addresses join with commas."""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip()).replace("|", "/")


def fact(field: str, label: str, text: object) -> Fact:
    return Fact(field, label, inline(str(text)))


def table(title: str, prefix: str, rows: Sequence[Sequence[tuple[str, str, str]]], empty: str) -> Section:
    """Rows of (field, label, text) cells; a field is relative to ``prefix[i]``."""
    return Section(
        title,
        rows=tuple(
            tuple(fact(f"{prefix}[{i}].{field}", label, text) for field, label, text in row)
            for i, row in enumerate(rows)
        ),
        empty=empty,
    )


def identity_section(p: Persona, f: Formatter) -> Section:
    ident = p.identity
    addr = ident.address
    return Section(
        "Customer",
        lines=(
            fact("name", "Name", p.name),
            fact("identity.first_name", "First name", ident.first_name),
            fact("identity.date_of_birth", "Date of birth", f.day(ident.date_of_birth)),
            fact("identity.age", "Age", f.number(ident.age)),
            fact("identity.email", "Email", ident.email),
            fact("identity.phone", "Phone", ident.phone),
            fact("identity.address", "Address", f"{format_address(addr, ident.locale)}, {addr.country}"),
            *_region_line(addr, ident.locale),
            fact("identity.locale", "Locale", ident.locale),
            fact("identity.currency", "Currency", ident.currency),
        ),
    )


def _region_line(addr: Address, locale: str) -> tuple[Fact, ...]:
    """The region on its own line where the locale's address leaves it out (a German Land, a French département)."""
    if "{region}" in locale_spec(locale).address_format:
        return ()
    return (fact("identity.address.region", "Region", addr.region),)


def persona_sections(persona: Persona) -> tuple[Section, ...]:
    """Every quotable fact about ``persona``, grouped as the prompt shows them."""
    from persona_kit.industries import industry_of  # the registry imports this module

    f = formatter_for(persona)
    return (identity_section(persona, f), *industry_of(persona).facts(persona, f))


def persona_facts(persona: Persona) -> tuple[Fact, ...]:
    """The facts of :func:`persona_sections` in one flat tuple, in prompt order."""
    return tuple(_flatten(persona_sections(persona)))


def _flatten(sections: Iterable[Section]) -> Iterable[Fact]:
    for section in sections:
        yield from section.lines
        for row in section.rows:
            yield from row


__all__ = ["Fact", "Section", "fact", "identity_section", "inline", "persona_facts", "persona_sections", "table"]
