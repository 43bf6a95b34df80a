"""Where the data files live, and their typed, validated, cached contents.

Everything calibrated or vocabulary-like sits in ``data/`` (shipped inside the
wheel as ``persona_kit/data``); each file is read once and checked by a
Pydantic model, so a hand edit that breaks a file fails loudly on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from persona_kit.errors import UnknownLocaleError


@cache
def data_dir() -> Path:
    """The data folder: inside the installed package, else at the source checkout's root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "locales.json").is_file():
            return candidate
    msg = f"persona_kit data folder not found next to {here}; reinstall the package"
    raise FileNotFoundError(msg)


def read_json(relative: str) -> Any:
    """Parse one JSON file under the data folder."""
    with (data_dir() / relative).open(encoding="utf-8") as fh:
        return json.load(fh)


class DataModel(BaseModel):
    """Base of every model that validates a data file: frozen, unknown keys ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


# --- locales -----------------------------------------------------------------


class PhonePlan(DataModel):
    plan: str
    source: str
    formats: list[str] = Field(min_length=1)
    areas: list[str]


ADDRESS_FIELDS = frozenset({"street", "city", "region", "postcode"})


class LocaleSpec(DataModel):
    country: str
    currency: str
    currency_symbol: str
    decimals: int = Field(ge=0, le=3)
    price_factor: float = Field(gt=0)
    name_format: str
    doctor_format: str
    address_format: str = "{street}, {city}, {region} {postcode}"  # fields of models.identity.Address
    phone: PhonePlan

    @model_validator(mode="after")
    def _address_fields(self) -> LocaleSpec:
        used = set(re.findall(r"\{(\w*)\}", self.address_format))
        if not used or not used <= ADDRESS_FIELDS:
            msg = f"address_format {self.address_format!r} may use only {sorted(ADDRESS_FIELDS)}"
            raise ValueError(msg)
        return self


class _LocalesFile(DataModel):
    locales: dict[str, LocaleSpec]


@cache
def locales() -> Mapping[str, LocaleSpec]:
    """Every supported locale, by code (e.g. ``en_US``); read-only."""
    return MappingProxyType(_LocalesFile.model_validate(read_json("locales.json")).locales)


def supported_locales() -> list[str]:
    """Locales persona_kit can generate, e.g. ``["de_DE", "en_GB", ...]``."""
    return sorted(locales())


def locale_spec(locale: object) -> LocaleSpec:
    """One locale's formats; an unknown locale lists the supported ones."""
    known = locales()
    if not isinstance(locale, str) or locale not in known:
        raise UnknownLocaleError(locale, known)
    return known[locale]


class NamePool(DataModel):
    names: list[str] = Field(min_length=1)
    ascii: list[str]
    weights: list[float]

    @model_validator(mode="after")
    def _parallel(self) -> NamePool:
        if not len(self.names) == len(self.ascii) == len(self.weights):
            msg = "names, ascii and weights must have the same length"
            raise ValueError(msg)
        return self


class Vocabulary(DataModel):
    locale: str
    source: str
    first_names_female: NamePool
    first_names_male: NamePool
    last_names: NamePool
    addresses: list[tuple[str, str, str, str]] = Field(min_length=1)


@cache
def vocabulary(locale: str) -> Vocabulary:
    """The Faker-derived vocabulary snapshot for ``locale``."""
    locale_spec(locale)
    return Vocabulary.model_validate(read_json(f"vocab/{locale}.json"))


# --- tab icons -----------------------------------------------------------------


class IconTable(DataModel):
    fallback: str
    icons: dict[str, str]


@cache
def icon_table() -> IconTable:
    """Tab icon names and the emoji the dashboards print for them (data/icons.json)."""
    return IconTable.model_validate(read_json("icons.json"))


def icon_glyph(icon: str) -> str:
    """What a dashboard should print for a tab icon: the emoji for a known name, a symbol as is, else the fallback.

    The dashboards print the icon as text, so a name such as ``wallet`` would show as a word.
    """
    table = icon_table()
    key = icon.strip().casefold()
    if key in table.icons:
        return table.icons[key]
    if icon.strip() and not any(ch.isascii() and ch.isalnum() for ch in icon):
        return icon.strip()
    return table.fallback


# --- calibration -------------------------------------------------------------


class Bands(DataModel):
    edges: list[float]
    shares: list[float]

    @model_validator(mode="after")
    def _shape(self) -> Bands:
        if len(self.edges) != len(self.shares) + 1 or abs(sum(self.shares) - 1) > 1e-6:
            msg = "bands need len(edges) == len(shares) + 1 and shares summing to 1"
            raise ValueError(msg)
        return self


class EmailPatterns(DataModel):
    formats: list[str]
    weights: list[float]
    domains: list[str]


class PopulationStats(DataModel):
    age: Bands
    female_share: dict[str, Any]
    email_patterns: EmailPatterns


@cache
def population_stats() -> PopulationStats:
    """Age distribution, sex ratio and email patterns shared by every industry."""
    return PopulationStats.model_validate(read_json("stats/population.json"))


def industry_stats(name: str) -> dict[str, Any]:
    """Raw calibration for one industry (validated by that industry's generator); a fresh copy per call."""
    data: dict[str, Any] = read_json(f"stats/{name}.json")
    return data
