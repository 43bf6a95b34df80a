"""Snapshot Faker's locale vocabularies into data/vocab/<locale>.json.

persona_kit reads names, streets, cities, regions and postcodes from these
snapshots, not from Faker at run time, so a Faker upgrade cannot silently
change every persona. Re-run this script (and regenerate the golden fixtures)
to take a newer Faker's vocabulary on purpose:

    python scripts/build_vocab.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import faker
from faker import Faker

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"]
ADDRESSES = 2000
OUT = Path(__file__).resolve().parent.parent / "data" / "vocab"


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def weighted(values: Any) -> dict[str, list[Any]]:
    if isinstance(values, dict):
        names = list(values)
        weights = [float(w) for w in values.values()]
    else:
        names = list(dict.fromkeys(values))
        weights = [1.0] * len(names)
    return {"names": names, "ascii": [ascii_fold(n) for n in names], "weights": weights}


def provider(fake: Faker, kind: str) -> Any:
    return next(p for p in fake.providers if f".{kind}." in type(p).__module__ + ".")


def names_for(fake: Faker, locale: str) -> dict[str, Any]:
    person = type(provider(fake, "person"))
    if locale == "ja_JP":

        def pairs(seq: Any) -> dict[str, list[Any]]:
            items = list(seq.items()) if isinstance(seq, dict) else [(p, 1.0) for p in seq]
            return {
                "names": [p[0] for p, _ in items],
                "ascii": [p[2].lower() for p, _ in items],
                "weights": [float(w) for _, w in items],
            }

        return {
            "first_names_female": pairs(person.first_name_female_pairs),
            "first_names_male": pairs(person.first_name_male_pairs),
            "last_names": pairs(person.last_name_pairs),
        }
    return {
        "first_names_female": weighted(person.first_names_female),
        "first_names_male": weighted(person.first_names_male),
        "last_names": weighted(person.last_names),
    }


def address_for(fake: Faker, locale: str) -> list[str]:
    if locale == "en_US":
        state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
        return [fake.street_address(), fake.city(), state, fake.zipcode_in_state(state)]
    if locale == "en_GB":
        return [fake.street_address(), fake.city(), fake.county(), fake.postcode()]
    if locale == "de_DE":
        return [fake.street_address(), fake.city(), fake.state(), fake.postcode()]
    if locale == "fr_FR":
        while True:
            code, name = fake.department()
            if len(code) == 2:  # metropolitan departments only; their code starts the postcode
                break
        return [fake.street_address(), fake.city(), name, f"{code}{fake.numerify('###')}"]
    if locale == "ja_JP":
        street = f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}"
        return [street, fake.city(), fake.prefecture(), fake.zipcode()]
    raise ValueError(locale)


def build(locale: str) -> dict[str, Any]:
    fake = Faker(locale)
    fake.seed_instance(20260101)
    addresses = [address_for(fake, locale) for _ in range(ADDRESSES)]
    return {
        "locale": locale,
        "source": f"Faker {faker.VERSION} ({locale} person and address providers), snapshot by scripts/build_vocab.py",
        **names_for(fake, locale),
        "address_columns": ["street", "city", "region", "postcode"],
        "addresses": addresses,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        path = OUT / f"{locale}.json"
        path.write_text(json.dumps(build(locale), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(OUT.parent.parent)}")


if __name__ == "__main__":
    main()
