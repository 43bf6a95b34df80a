"""Real places per locale: towns, their region and postcodes that belong to both.

``data/places/<locale>.json`` is a snapshot made by ``scripts/build_places.py``
from packages that ship postal and population data (GeoNames, Japan Post; see
``data/places/README.md``). Each row is a real town, the region it lies in as
written in an address, and one real postcode of that town, with a weight (the
town's population shared out over its rows). Reading needs none of those
packages: only the snapshot.

The file is checked on load, so a hand edit that breaks it fails loudly: the
postcode format of the locale, French postcodes starting with their
département's code, no row twice, weights positive.

``persona_kit.industries.identity`` draws every persona's address from it: a
row by population weight, so city, region and postcode always belong together.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

from pydantic import Field, model_validator

from persona_kit.data import DataModel, locale_spec, read_json

__all__ = ["POSTCODE_FORMATS", "Place", "Places", "StreetPlan", "places"]

#: How a postcode is written in each locale (GB: outward code, space, inward code).
POSTCODE_FORMATS: dict[str, re.Pattern[str]] = {
    "en_US": re.compile(r"\d{5}"),
    "en_GB": re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}"),
    "de_DE": re.compile(r"\d{5}"),
    "fr_FR": re.compile(r"\d{5}"),
    "ja_JP": re.compile(r"\d{3}-\d{4}"),
}


def french_prefix(departement: str) -> str:
    """The first two digits of a French postcode in a département (Corsica's 2A and 2B write 20)."""
    return "20" if departement in {"2A", "2B"} else departement


class Place(DataModel):
    """One real town, its region and one of its postcodes."""

    city: str = Field(min_length=1)
    region: str = Field(min_length=1)  # US state code, UK county, German Land, French département, 都道府県
    region_code: str = Field(min_length=1)  # state code, ENG/SCT/WLS/NIR, Land code, département code, JIS code
    postcode: str
    weight: float = Field(gt=0)
    locality: str = ""  # ja_JP: the postcode's 町域 (the part of the address before 丁目/番地)
    chome: bool = False  # ja_JP: whether that area is numbered in 丁目


class StreetPlan(DataModel):
    """Local-sounding street material: generic common names, invented numbers."""

    format: str
    format_without_chome: str | None = None  # ja_JP: for an area not numbered in 丁目
    names: list[str] = Field(default_factory=list)
    suffixes: dict[str, float] = Field(default_factory=dict)
    numbers: tuple[int, int] | None = None
    chome: tuple[int, int] | None = None
    ban: tuple[int, int] | None = None
    go: tuple[int, int] | None = None


class Places(DataModel):
    """One locale's snapshot, with where it came from."""

    locale: str
    source: str
    licence: str
    package: str
    version: str
    packages: dict[str, str]
    streets: StreetPlan
    places: list[Place] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _rows(cls, data: Any) -> Any:
        """Rows are stored as lists in ``columns`` order, to keep the files small."""
        if isinstance(data, dict) and "columns" in data:
            columns = data["columns"]
            data = {**data, "places": [dict(zip(columns, row, strict=True)) for row in data.get("places", [])]}
        return data

    @model_validator(mode="after")
    def _coherent(self) -> Places:
        pattern = POSTCODE_FORMATS.get(self.locale)
        if pattern is None:
            msg = f"no postcode format for locale {self.locale!r}"
            raise ValueError(msg)
        seen: set[tuple[str, str, str]] = set()
        for p in self.places:
            if not pattern.fullmatch(p.postcode):
                msg = f"{self.locale}: postcode {p.postcode!r} of {p.city} is not in the locale's format"
                raise ValueError(msg)
            if self.locale == "fr_FR" and not p.postcode.startswith(french_prefix(p.region_code)):
                msg = f"fr_FR: {p.postcode} {p.city} does not start with its département's code {p.region_code}"
                raise ValueError(msg)
            if not math.isfinite(p.weight):
                msg = f"{self.locale}: weight of {p.city} {p.postcode} is not finite"
                raise ValueError(msg)
            key = (p.city, p.region, p.postcode)
            if key in seen:
                msg = f"{self.locale}: {key} appears twice"
                raise ValueError(msg)
            seen.add(key)
        return self

    def towns(self) -> list[tuple[str, str]]:
        """Distinct (city, region) pairs, in file order (largest towns first)."""
        return list(dict.fromkeys((p.city, p.region) for p in self.places))


@cache
def places(locale: str) -> Places:
    """The real-places snapshot for ``locale``; an unknown locale lists the supported ones."""
    locale_spec(locale)
    return Places.model_validate(read_json(f"places/{locale}.json"))
