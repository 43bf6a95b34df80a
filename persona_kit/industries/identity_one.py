"""Identity fields of one persona on Python scalars: :mod:`persona_kit.industries.identity`, value for value.

Each field is a pure function of the persona's key, so only the draws a value
needs are made (a phone number format that has no area code draws none).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from persona_kit.data import population_stats
from persona_kit.engine.batch import _template_parts
from persona_kit.engine.draws import F64, cumulative
from persona_kit.engine.scalar import One, OneDraws, Row, add_years, age_at, log1p, power, to_date
from persona_kit.industries.identity import name_tables, place_tables
from persona_kit.places import places


def fill(template: str, fields: Mapping[str, str]) -> str:
    """``template`` (``"{first}.{last}"``) with its fields filled in, as the batch path's ``render``."""
    if _plain(template):
        return template.format_map(fields)
    return "".join(fields[name] if is_field else name for is_field, name in _template_parts(template))


@cache
def _plain(template: str) -> bool:
    """Whether ``str.format_map`` fills ``template`` as ``render`` does: its only braces are ``{name}`` fields."""
    parts = _template_parts(template)
    literal = "".join(text for is_field, text in parts if not is_field)
    return "{" not in literal and "}" not in literal and all(not text[0].isdigit() for f, text in parts if f)


@dataclass(frozen=True)
class _Names:
    female_count: int
    female_cum: F64
    male_cum: F64
    last_cum: F64
    first: list[str]
    last: list[str]
    email_first: list[str]
    email_initial: list[str]
    email_last: list[str]


@cache
def _names(locale: str) -> _Names:
    t = name_tables(locale)
    return _Names(
        len(t.female), t.female_cum, t.male_cum, t.last_cum, t.first.tolist(), t.last.tolist(),
        t.email_first.tolist(), t.email_initial.tolist(), t.email_last.tolist(),
    )  # fmt: skip


@dataclass(frozen=True)
class _Places:
    city: list[str]
    region: list[str]
    postcode: list[str]
    locality: list[str]
    chome: list[bool]
    cum: F64
    street_names: list[str]
    suffixes: list[str]
    suffix_cum: F64


@cache
def _places(locale: str) -> _Places:
    t = place_tables(locale)
    plan = places(locale).streets
    return _Places(
        t.city.tolist(), t.region.tolist(), t.postcode.tolist(), t.locality.tolist(), t.chome.tolist(), t.cum,
        list(plan.names), list(plan.suffixes), cumulative(list(plan.suffixes.values()) or [1.0]),
    )  # fmt: skip


@cache
def _age_bands() -> tuple[list[float], F64]:
    bands = population_stats().age
    return [float(e) for e in bands.edges], cumulative(bands.shares)


@cache
def _email_plan() -> tuple[F64, list[str], list[str]]:
    patterns = population_stats().email_patterns
    return cumulative(patterns.weights), [f + "@{domain}" for f in patterns.formats], list(patterns.domains)


@dataclass(frozen=True)
class Person:
    """A drawn name: indices into the locale's first-name (female then male) and last-name pools."""

    first: int
    last: int


def draw_person(d: OneDraws, locale: str, prefix: str, female_share: float) -> Person:
    """:func:`persona_kit.industries.identity.draw_people` for one row."""
    t = _names(locale)
    if d.uniform(prefix + ".sex") < female_share:
        return Person(d.weighted(prefix + ".first_f", t.female_cum), d.weighted(prefix + ".last", t.last_cum))
    first = t.female_count + d.weighted(prefix + ".first_m", t.male_cum)
    return Person(first, d.weighted(prefix + ".last", t.last_cum))


def doctor_name(one: One, d: OneDraws, prefix: str) -> str:
    """:func:`persona_kit.industries.identity.doctor_names` for one row."""
    person = draw_person(d, one.locale, prefix, 0.5)
    t = _names(one.locale)
    return fill(one.spec.doctor_format, {"first": t.first[person.first], "last": t.last[person.last]})


@dataclass(frozen=True)
class OneIdentity:
    """Identity fields plus the latent values industries correlate with (days as day numbers)."""

    fields: Row
    age_years: float
    adult_date: int
    date_of_birth: int


def tenure_start(one: One, adult_date: int, mean_share: float, field: str) -> int:
    """:func:`persona_kit.industries.identity.tenure_start` for one persona."""
    adult_days = one.as_of - adult_date
    tenure = math.floor(-log1p(-one.draws.uniform(field)) * mean_share * adult_days)
    return one.as_of - min(tenure, adult_days)


def _house_number(d: OneDraws, field: str, bounds: tuple[int, int] | None) -> str:
    lo, hi = bounds or (1, 99)
    return str(min(max(math.floor(lo * power(hi / lo + 1, d.uniform(field))), lo), hi))


def _street(d: OneDraws, locale: str, row: int) -> str:
    plan = places(locale).streets
    t = _places(locale)
    if plan.format_without_chome is not None:
        template = plan.format if t.chome[row] else plan.format_without_chome
        fields = {"locality": t.locality[row]}
        for part, bounds in (("chome", plan.chome), ("ban", plan.ban), ("go", plan.go)):
            if "{" + part + "}" in template:
                fields[part] = _house_number(d, "street." + part, bounds)
        return fill(template, fields)
    fields = {
        "name": t.street_names[d.integers("street.name", 0, len(t.street_names) - 1)],
        "number": _house_number(d, "street.number", plan.numbers),
    }
    if plan.suffixes:
        fields["suffix"] = t.suffixes[d.weighted("street.suffix", t.suffix_cum)]
    return fill(plan.format, fields)


def _email(d: OneDraws, locale: str, person: Person) -> str:
    cum, templates, domains = _email_plan()
    template = templates[d.weighted("email.pattern", cum)]
    t = _names(locale)
    fields = {"domain": domains[d.integers("email.domain", 0, len(domains) - 1)]}
    for name, pool, at in (
        ("first", t.email_first, person.first), ("last", t.email_last, person.last),
        ("f", t.email_initial, person.first),
    ):  # fmt: skip
        if "{" + name + "}" in template:
            fields[name] = pool[at]
    if "{d2}" in template:
        fields["d2"] = f"{d.integers('email.digits', 0, 99):02d}"
    return fill(template, fields)


_PHONE_DIGITS = (("d2", 0, 99, 2), ("d2b", 0, 99, 2), ("d3", 0, 999, 3), ("d4", 1000, 9999, 4))


def _phone(one: One) -> str:
    d, plan = one.draws, one.spec.phone
    template = plan.formats[d.integers("phone.format", 0, len(plan.formats) - 1)]
    fields: dict[str, str] = {}
    if "{area}" in template:
        areas = plan.areas or ["000"]
        fields["area"] = areas[d.integers("phone.area", 0, len(areas) - 1)]
    for name, low, high, width in _PHONE_DIGITS:
        if "{" + name + "}" in template:
            fields[name] = f"{d.integers('phone.' + name, low, high):0{width}d}"
    return fill(template, fields)


def one_identity(one: One) -> OneIdentity:
    """:func:`persona_kit.industries.identity.generate_identity` for one persona."""
    d = one.draws
    edges, band_cum = _age_bands()
    band = d.weighted("age.band", band_cum)
    age_years = edges[band] + d.uniform("age.within") * (edges[band + 1] - edges[band])
    dob = one.as_of - math.floor(age_years * 365.2425)
    age = age_at(dob, one.as_of)
    if age < 18:  # day rounding can leave an 18.0-year draw a day short of the 18th birthday
        dob -= 2
        age = age_at(dob, one.as_of)
    person = draw_person(d, one.locale, "customer", float(population_stats().female_share["value"]))
    names = _names(one.locale)
    first, last = names.first[person.first], names.last[person.last]
    pt = _places(one.locale)
    row = d.weighted("address.place", pt.cum)
    fields: Row = {
        "name": fill(one.spec.name_format, {"first": first, "last": last}),
        "first_name": first,
        "last_name": last,
        "date_of_birth": to_date(dob),
        "age": age,
        "email": _email(d, one.locale, person),
        "phone": _phone(one),
        "street": _street(d, one.locale, row),
        "city": pt.city[row],
        "region": pt.region[row],
        "postcode": pt.postcode[row],
        "country": one.spec.country,
        "locale": one.locale,
        "currency": one.spec.currency,
    }
    return OneIdentity(fields, age_years, add_years(dob, 18), dob)


__all__ = ["OneIdentity", "Person", "doctor_name", "draw_person", "fill", "one_identity", "tenure_start"]
