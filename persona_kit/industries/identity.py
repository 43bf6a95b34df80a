"""Identity columns shared by every industry: names, birth date, contacts, address."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from numpy.typing import NDArray

from persona_kit.data import population_stats, vocabulary
from persona_kit.engine.batch import (
    Coded,
    Column,
    Context,
    ObjArray,
    TextField,
    coded,
    constant,
    digit_table,
    objects,
    render,
    render_text,
    render_text_choice,
)
from persona_kit.engine.dates import Days, add_years, age_at, days_between, shift
from persona_kit.engine.draws import F64, I64, Draws, cumulative
from persona_kit.places import places

IDENTITY_COLUMNS = (
    "first_name", "last_name", "date_of_birth", "age", "email", "phone",
    "street", "city", "region", "postcode", "country", "locale", "currency",
)  # fmt: skip
ADDRESS_COLUMNS = ("street", "city", "region", "postcode", "country")


@dataclass(frozen=True)
class NameTables:
    """One locale's name pools as gatherable arrays with cumulative weights."""

    female: ObjArray
    female_ascii: ObjArray
    female_cum: F64
    male: ObjArray
    male_ascii: ObjArray
    male_cum: F64
    last: ObjArray
    last_ascii: ObjArray
    last_cum: F64

    @cached_property
    def first(self) -> ObjArray:
        """Female then male first names: one vocabulary for a coded column."""
        return _concat(self.female, self.male)

    @cached_property
    def first_ascii(self) -> ObjArray:
        """ASCII forms of :attr:`first`, for email addresses."""
        return _concat(self.female_ascii, self.male_ascii)

    @cached_property
    def email_first(self) -> ObjArray:
        """:attr:`first_ascii` with a stand-in for names that have no ASCII form."""
        return objects([a or "customer" for a in self.first_ascii.tolist()])

    @cached_property
    def email_initial(self) -> ObjArray:
        """The first letter of :attr:`email_first`."""
        return objects([a[:1] for a in self.email_first.tolist()])

    @cached_property
    def email_last(self) -> ObjArray:
        """:attr:`last_ascii` with a stand-in for names that have no ASCII form."""
        return objects([a or "member" for a in self.last_ascii.tolist()])


def _concat(a: ObjArray, b: ObjArray) -> ObjArray:
    out: ObjArray = np.concatenate([a, b])
    return out


@cache
def name_tables(locale: str) -> NameTables:
    """Vocabulary arrays for ``locale``, built once."""
    v = vocabulary(locale)
    fem, male, last = v.first_names_female, v.first_names_male, v.last_names
    return NameTables(
        objects(fem.names), objects(fem.ascii), cumulative(fem.weights),
        objects(male.names), objects(male.ascii), cumulative(male.weights),
        objects(last.names), objects(last.ascii), cumulative(last.weights),
    )  # fmt: skip


@dataclass(frozen=True)
class PlaceTables:
    """One locale's real places (data/places) as gatherable arrays, weighted by population."""

    city: ObjArray
    region: ObjArray
    postcode: ObjArray
    locality: ObjArray
    chome: NDArray[np.bool_]
    cum: F64


@cache
def place_tables(locale: str) -> PlaceTables:
    """Rows of the locale's places snapshot, built once."""
    rows = places(locale).places
    return PlaceTables(
        objects([p.city for p in rows]),
        objects([p.region for p in rows]),
        objects([p.postcode for p in rows]),
        objects([p.locality for p in rows]),
        np.asarray([p.chome for p in rows], dtype=np.bool_),
        cumulative([p.weight for p in rows]),
    )


@cache
def _numbers(high: int) -> ObjArray:
    return objects([str(i) for i in range(high + 1)])


def _house_numbers(draws: Draws, field: str, bounds: tuple[int, int] | None) -> Coded:
    """Invented numbers, log-uniform over the plan's range: low numbers are commoner, as on real streets."""
    lo, hi = bounds or (1, 99)
    k = np.floor(lo * (hi / lo + 1) ** draws.uniform(field)).astype(np.int64)
    return Coded(np.clip(k, lo, hi), _numbers(hi))


@cache
def _street_words(locale: str) -> tuple[ObjArray, ObjArray, F64]:
    """The locale's street names, suffixes and the suffixes' cumulative weights, built once."""
    plan = places(locale).streets
    return objects(plan.names), objects(list(plan.suffixes)), cumulative(list(plan.suffixes.values()) or [1.0])


def _streets(draws: Draws, locale: str, row: I64) -> Column:
    """A local-sounding street: generic common names and invented numbers; in ja_JP, the row's real 町域."""
    plan = places(locale).streets
    t = place_tables(locale)
    fields: dict[str, TextField]
    if plan.format_without_chome is not None:
        fields = {
            "locality": Coded(row, t.locality),
            "chome": _house_numbers(draws, "street.chome", plan.chome),
            "ban": _house_numbers(draws, "street.ban", plan.ban),
            "go": _house_numbers(draws, "street.go", plan.go),
        }
        choice = t.chome[row].astype(np.int64)
        return render_text_choice([plan.format_without_chome, plan.format], choice, fields)
    names, suffixes, suffix_cum = _street_words(locale)
    fields = {
        "name": Coded(draws.integers("street.name", 0, len(names) - 1), names),
        "number": _house_numbers(draws, "street.number", plan.numbers),
    }
    if plan.suffixes:
        fields["suffix"] = Coded(draws.weighted("street.suffix", suffix_cum), suffixes)
    return render_text(plan.format, fields, len(draws))


@dataclass(frozen=True)
class People:
    """Names drawn for a set of rows (customers or doctors)."""

    first: Coded
    last: Coded
    tables: NameTables


def draw_people(draws: Draws, locale: str, prefix: str, female_share: float) -> People:
    """First and last names with the locale's frequency weights."""
    t = name_tables(locale)
    female = draws.uniform(prefix + ".sex") < female_share
    fi = draws.weighted(prefix + ".first_f", t.female_cum)
    mi = draws.weighted(prefix + ".first_m", t.male_cum)
    li = draws.weighted(prefix + ".last", t.last_cum)
    first = np.where(female, fi, len(t.female) + mi)
    return People(Coded(first, t.first), Coded(li, t.last), t)


def doctor_names(ctx: Context, draws: Draws, prefix: str) -> ObjArray:
    """Clinician display names in the locale's style ("Dr. Ann Lee", "Dr. med. ...")."""
    people = draw_people(draws, ctx.locale, prefix, 0.5)
    return render(ctx.spec.doctor_format, {"first": people.first.values, "last": people.last.values}, len(draws))


@dataclass(frozen=True)
class IdentityColumns:
    """Identity columns plus the latent values industries correlate with."""

    columns: dict[str, Column]
    age_years: F64
    adult_date: Days
    date_of_birth: Days


def _ages(draws: Draws) -> F64:
    """Fractional ages from the census age bands, uniform within a band."""
    bands = population_stats().age
    edges = np.asarray(bands.edges, dtype=np.float64)
    band = draws.weighted("age.band", cumulative(bands.shares))
    return edges[band] + draws.uniform("age.within") * (edges[band + 1] - edges[band])


def age_quantile(age_years: F64) -> F64:
    """Where each age sits in the census age distribution (0..1), for Gaussian copulas."""
    bands = population_stats().age
    cum = np.concatenate(([0.0], np.cumsum(bands.shares)))
    out: F64 = np.interp(age_years, bands.edges, cum / cum[-1])
    return out


def tenure_start(ctx: Context, draws: Draws, adult_date: Days, mean_share: float, field: str) -> Days:
    """A relationship start between the 18th birthday and as_of, longer for older customers."""
    adult_days = days_between(ctx.as_of, adult_date)
    tenure = np.floor(-np.log1p(-draws.uniform(field)) * mean_share * adult_days).astype(np.int64)
    return shift(ctx.as_of, -np.minimum(tenure, adult_days))


def generate_identity(ctx: Context) -> IdentityColumns:
    """Identity columns for every persona in ``ctx``."""
    draws = ctx.draws()
    stats = population_stats()
    n = ctx.n
    age_years = _ages(draws)
    dob = shift(ctx.as_of, -np.floor(age_years * 365.2425).astype(np.int64))
    age = age_at(dob, ctx.as_of)
    # Day rounding can leave an 18.0-year draw a day short of the 18th birthday.
    too_young = age < 18
    if too_young.any():
        dob = np.where(too_young, shift(dob, np.full(n, -2, dtype=np.int64)), dob)
        age = age_at(dob, ctx.as_of)
    people = draw_people(draws, ctx.locale, "customer", float(stats.female_share["value"]))
    name = render_text(ctx.spec.name_format, {"first": people.first, "last": people.last}, n)
    email = _emails(draws, people, n)
    phone = _phones(ctx, draws)
    pt = place_tables(ctx.locale)
    row = draws.weighted("address.place", pt.cum)
    columns: dict[str, Column] = {
        "name": name,
        "first_name": people.first,
        "last_name": people.last,
        "date_of_birth": dob,
        "age": age,
        "email": email,
        "phone": phone,
        "street": _streets(draws, ctx.locale, row),
        "city": Coded(row, pt.city),
        "region": Coded(row, pt.region),
        "postcode": Coded(row, pt.postcode),
        "country": constant(ctx.spec.country, n),
        "locale": constant(ctx.locale, n),
        "currency": constant(ctx.spec.currency, n),
    }
    return IdentityColumns(columns, age_years, add_years(dob, 18), dob)


def _emails(draws: Draws, people: People, n: int) -> Column:
    patterns = population_stats().email_patterns
    choice = draws.weighted("email.pattern", cumulative(patterns.weights))
    domain = coded(patterns.domains, draws.integers("email.domain", 0, len(patterns.domains) - 1))  # cached vocabulary
    t, first, last = people.tables, people.first.codes, people.last.codes
    fields: dict[str, TextField] = {
        "first": Coded(first, t.email_first),
        "last": Coded(last, t.email_last),
        "f": Coded(first, t.email_initial),
        "d2": Coded(draws.integers("email.digits", 0, 99), digit_table(2)),
        "domain": domain,
    }
    return render_text_choice([f + "@{domain}" for f in patterns.formats], choice, fields)


def _phones(ctx: Context, draws: Draws) -> Column:
    plan = ctx.spec.phone
    choice: I64 = draws.integers("phone.format", 0, len(plan.formats) - 1)
    areas = plan.areas or ["000"]
    fields: dict[str, TextField] = {
        "area": coded(areas, draws.integers("phone.area", 0, len(areas) - 1)),  # a cached vocabulary
        "d2": Coded(draws.integers("phone.d2", 0, 99), digit_table(2)),
        "d2b": Coded(draws.integers("phone.d2b", 0, 99), digit_table(2)),
        "d3": Coded(draws.integers("phone.d3", 0, 999), digit_table(3)),
        "d4": Coded(draws.integers("phone.d4", 1000, 9999), digit_table(4)),
    }
    return render_text_choice(plan.formats, choice, fields)
