"""The peers persona_kit is measured against: the same banking-persona shape, built the ways people build it.

Every peer makes, for ``n`` personas from one seed: identity (first, last and full
name, date of birth, age, email, phone, street, city, region, postcode), balances
(checking, savings), credit (score, limit, used, member since, account last four)
and as many transactions each as persona_kit makes on average (``Span``; date,
description, amount, category, merchant category code). What each returns is its natural output: DataFrames for the
column-wise generators, Python records or Pydantic models for the looped ones.

- ``naive``: the reference design persona_kit replaced (``baseline.py``): a new Faker per persona.
- ``faker_reused``: one Faker, seeded once, looped; numeric draws from its ``random.Random``.
- ``mimesis``: one ``Generic`` seeded once, looped; numeric draws from its ``Random``.
- ``polyfactory``: a Pydantic model factory with field constraints and Faker for the names.
- ``vectorised``: Faker pools drawn once, then every column and transaction drawn with
  numpy (PCG64) in whole-array operations; no random access (persona i is not a function
  of i alone) and simple distributions: what a strong engineer writes in an afternoon.
  ``vectorised_chunked`` is the same in blocks of 100k, one spawned PCG64 stream each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from baseline import naive_banking_persona
from faker import Faker
from pydantic import BaseModel, Field

AS_OF = dt.date(2026, 7, 1)
EPOCH_DAY = (AS_OF - dt.date(1970, 1, 1)).days

# (description, category, merchant category code, median amount USD): the same small pool for every peer.
MERCHANTS = [
    ("Fresh Market", "Groceries", "5411", 62.0),
    ("Corner Grocer", "Groceries", "5411", 38.0),
    ("Harvest Foods", "Groceries", "5411", 85.0),
    ("Bean There Cafe", "Dining", "5814", 9.0),
    ("Luigi's Trattoria", "Dining", "5812", 48.0),
    ("Noodle House", "Dining", "5812", 26.0),
    ("QuickFuel", "Gas", "5541", 45.0),
    ("Highway Petrol", "Gas", "5541", 52.0),
    ("Parcelpoint Online", "Shopping", "5311", 55.0),
    ("Northside Outfitters", "Shopping", "5651", 72.0),
    ("Clearwater Utilities", "Utilities", "4900", 110.0),
    ("Metro Power", "Utilities", "4900", 95.0),
    ("StreamBox", "Entertainment", "4899", 15.0),
    ("Cineplex 8", "Entertainment", "7832", 24.0),
    ("Lakeside Dental", "Healthcare", "8021", 140.0),
    ("CityCare Pharmacy", "Healthcare", "5912", 22.0),
    ("Peer-to-Peer Payment", "Transfer", "4829", 120.0),
    ("RideNow", "Travel", "4121", 18.0),
]
CATEGORIES = sorted({m[1] for m in MERCHANTS})


def _age_and_dob(age: int, day_offset: int) -> dt.date:
    return AS_OF - dt.timedelta(days=age * 365 + day_offset)


# --- looped peers ---------------------------------------------------------------------------


Span = tuple[int, int]
"""Transactions per persona, inclusive bounds: ``compare_peers`` matches persona_kit's mean."""


def _looped_persona(
    first: str, last: str, street: str, city: str, region: str, postcode: str, phone: str, rnd: Any, span: Span
) -> dict[str, Any]:
    """The columns a looped generator fills once it has its names and places; ``rnd`` is a ``random.Random``."""
    age = rnd.randint(18, 85)
    member_years = rnd.randint(0, min(age - 18, 25))
    score = min(850, max(300, int(rnd.gauss(700, 70))))
    limit = round(rnd.lognormvariate(9.2, 0.6) / 100) * 100
    transactions = []
    for position in range(rnd.randint(*span)):
        desc, category, mcc, median = MERCHANTS[rnd.randrange(len(MERCHANTS))]
        transactions.append(
            {
                "position": position,
                "date": AS_OF - dt.timedelta(days=rnd.randrange(30)),
                "description": desc,
                "amount": -round(median * rnd.lognormvariate(0, 0.6), 2),
                "category": category,
                "merchant_category": mcc,
            }
        )
    return {
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "date_of_birth": _age_and_dob(age, rnd.randrange(365)),
        "age": age,
        "email": f"{first}.{last}@example.com".lower(),
        "phone": phone,
        "street": street,
        "city": city,
        "region": region,
        "postcode": postcode,
        "member_since": AS_OF - dt.timedelta(days=member_years * 365 + rnd.randrange(365)),
        "checking_balance": round(rnd.lognormvariate(8.0, 1.1), 2),
        "savings_balance": round(rnd.lognormvariate(8.6, 1.5), 2),
        "account_number_last4": f"{rnd.randrange(10000):04d}",
        "credit_score": score,
        "credit_limit": float(limit),
        "credit_used": round(limit * rnd.betavariate(2, 5), 2),
        "recent_transactions": transactions,
    }


def faker_reused(n: int, seed: int, span: Span = (5, 11)) -> list[dict[str, Any]]:
    """One Faker instance, seeded once, looped over ``n`` personas."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rnd = fake.random
    return [
        _looped_persona(
            fake.first_name(),
            fake.last_name(),
            fake.street_address(),
            fake.city(),
            fake.state_abbr(),
            fake.zipcode(),
            fake.numerify("(%##) 555-01##"),
            rnd,
            span,
        )
        for _ in range(n)
    ]


def mimesis_generic(n: int, seed: int, span: Span = (5, 11)) -> list[dict[str, Any]]:
    """One mimesis ``Generic``, seeded once, looped over ``n`` personas."""
    from mimesis import Generic, Locale

    gen = Generic(locale=Locale.EN, seed=seed)
    person, address, rnd = gen.person, gen.address, gen.random
    return [
        _looped_persona(
            person.first_name(),
            person.last_name(),
            f"{address.street_number()} {address.street_name()} {address.street_suffix()}",
            address.city(),
            address.state(abbr=True),
            address.postal_code(),
            person.phone_number(mask="(###) 555-01##"),
            rnd,
            span,
        )
        for _ in range(n)
    ]


def naive(n: int, seed: int, span: Span = (5, 10)) -> list[Any]:
    """The reference design: a new Faker per persona (``baseline.py``)."""
    return [naive_banking_persona(str(seed), i, transactions=span) for i in range(n)]


# --- polyfactory ----------------------------------------------------------------------------


class FactoryTransaction(BaseModel):
    date: dt.date = Field(ge=AS_OF - dt.timedelta(days=29), le=AS_OF)
    description: str
    amount: float = Field(ge=-2000, le=0)
    category: Literal[
        "Dining", "Entertainment", "Gas", "Groceries", "Healthcare", "Shopping", "Transfer", "Travel", "Utilities"
    ]
    merchant_category: str = Field(pattern=r"^[0-9]{4}$")


class FactoryPersona(BaseModel):
    name: str
    first_name: str
    last_name: str
    date_of_birth: dt.date = Field(ge=dt.date(1941, 1, 1), le=dt.date(2008, 7, 1))
    age: int = Field(ge=18, le=85)
    email: str
    phone: str
    street: str
    city: str
    region: str
    postcode: str
    member_since: dt.date = Field(ge=dt.date(2000, 1, 1), le=AS_OF)
    checking_balance: float = Field(ge=0, le=250_000)
    savings_balance: float = Field(ge=0, le=1_000_000)
    account_number_last4: str = Field(pattern=r"^[0-9]{4}$")
    credit_score: int = Field(ge=300, le=850)
    credit_limit: float = Field(ge=500, le=100_000)
    credit_used: float = Field(ge=0, le=100_000)
    recent_transactions: list[FactoryTransaction] = Field(min_length=1, max_length=60)


@cache
def _factories() -> tuple[type, type]:
    from polyfactory import Use
    from polyfactory.factories.pydantic_factory import ModelFactory

    class TransactionFactory(ModelFactory[FactoryTransaction]):
        description = Use(lambda: TransactionFactory.__random__.choice(MERCHANTS)[0])

    fake = Faker("en_US")  # the factory's own Faker, seeded by seed_random

    class PersonaFactory(ModelFactory[FactoryPersona]):
        __faker__ = fake
        name = Use(fake.name)
        first_name = Use(fake.first_name)
        last_name = Use(fake.last_name)
        email = Use(fake.free_email)
        phone = Use(fake.numerify, "(%##) 555-01##")
        street = Use(fake.street_address)
        city = Use(fake.city)
        region = Use(fake.state_abbr)
        postcode = Use(fake.zipcode)
        recent_transactions = Use(lambda: TransactionFactory.batch(PersonaFactory.__random__.randint(*_SPAN[0])))

    return PersonaFactory, TransactionFactory


_SPAN: list[Span] = [(5, 11)]  # the factory's field reads it; polyfactory_models sets it per call


def polyfactory_models(n: int, seed: int, span: Span = (5, 11)) -> list[Any]:
    """A polyfactory ``ModelFactory`` for a constrained Pydantic model, seeded once, ``batch(n)``."""
    _SPAN[0] = span
    persona_factory, transaction_factory = _factories()
    persona_factory.seed_random(seed)
    transaction_factory.seed_random(seed + 1)
    return list(persona_factory.batch(n))


# --- the hand-vectorised generator ----------------------------------------------------------


@dataclass(frozen=True)
class Pools:
    """Faker draws made once; the vectorised generator only indexes into them."""

    first: np.ndarray
    last: np.ndarray
    first_lower: np.ndarray
    last_lower: np.ndarray
    street_names: np.ndarray
    cities: np.ndarray
    regions: np.ndarray
    postcodes: np.ndarray
    area_codes: np.ndarray
    digits4: np.ndarray
    digits2: np.ndarray


@cache
def pools(size: int = 2000) -> Pools:
    """Draw the string pools from one seeded Faker (done once per process, not timed per run)."""
    fake = Faker("en_US")
    fake.seed_instance(0)
    first = np.array([fake.first_name() for _ in range(size)], dtype=object)
    last = np.array([fake.last_name() for _ in range(size)], dtype=object)
    places = [(fake.city(), fake.state_abbr(), fake.zipcode()) for _ in range(size)]
    return Pools(
        first=first,
        last=last,
        first_lower=np.array([s.lower() for s in first], dtype=object),
        last_lower=np.array([s.lower() for s in last], dtype=object),
        street_names=np.array([fake.street_name() for _ in range(size)], dtype=object),
        cities=np.array([p[0] for p in places], dtype=object),
        regions=np.array([p[1] for p in places], dtype=object),
        postcodes=np.array([p[2] for p in places], dtype=object),
        area_codes=np.array([f"({fake.numerify('2##')}) 555-01" for _ in range(200)], dtype=object),
        digits4=np.array([f"{i:04d}" for i in range(10_000)], dtype=object),
        digits2=np.array([f"{i:02d}" for i in range(100)], dtype=object),
    )


def vectorised(n: int, seed: int, span: Span = (5, 11)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Faker pools plus numpy PCG64 whole-array draws: personas and transactions as DataFrames."""
    return _vectorised_block(np.random.Generator(np.random.PCG64(seed)), n, span)


def vectorised_chunked(
    n: int, seed: int, span: Span = (5, 11), chunk: int = 100_000
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """The same in blocks of ``chunk`` (one spawned PCG64 stream each), which keeps temporaries cache-sized."""
    streams = np.random.SeedSequence(seed).spawn(max(1, -(-n // chunk)))
    return [
        _vectorised_block(np.random.Generator(np.random.PCG64(s)), min(chunk, n - lo), span)
        for s, lo in zip(streams, range(0, n, chunk), strict=False)
    ]


def _vectorised_block(rng: np.random.Generator, n: int, span: Span) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = pools()
    size = len(p.first)
    fi, li, pi = rng.integers(0, size, n), rng.integers(0, size, n), rng.integers(0, size, n)
    first, last = p.first[fi], p.last[li]
    age = rng.integers(18, 86, n)
    dob = EPOCH_DAY - age * 365 - rng.integers(0, 365, n)
    tenure = (rng.random(n) * np.minimum(age - 18, 25) * 365).astype(np.int64)
    score = np.clip(rng.normal(700, 70, n), 300, 850).astype(np.int64)
    limit = np.round(rng.lognormal(9.2, 0.6, n) / 100) * 100
    suffix = p.digits4[rng.integers(0, 10_000, n)]
    personas = pd.DataFrame(
        {
            "persona_index": np.arange(n),
            "name": first + " " + last,
            "first_name": first,
            "last_name": last,
            "date_of_birth": dob.astype("datetime64[D]"),
            "age": age,
            "email": p.first_lower[fi] + "." + p.last_lower[li] + "@example.com",
            "phone": p.area_codes[rng.integers(0, len(p.area_codes), n)] + p.digits2[rng.integers(0, 100, n)],
            "street": rng.integers(1, 9999, n).astype(str).astype(object) + " " + p.street_names[pi],
            "city": p.cities[pi],
            "region": p.regions[pi],
            "postcode": p.postcodes[pi],
            "member_since": (EPOCH_DAY - tenure - rng.integers(0, 365, n)).astype("datetime64[D]"),
            "checking_balance": np.round(rng.lognormal(8.0, 1.1, n), 2),
            "savings_balance": np.round(rng.lognormal(8.6, 1.5, n), 2),
            "account_number_last4": suffix,
            "credit_score": score,
            "credit_limit": limit,
            "credit_used": np.round(limit * rng.beta(2, 5, n), 2),
        }
    )
    counts = rng.integers(span[0], span[1] + 1, n)
    parent = np.repeat(np.arange(n), counts)
    total = parent.shape[0]
    starts = np.cumsum(counts) - counts
    merchant = rng.integers(0, len(MERCHANTS), total)
    medians = np.array([m[3] for m in MERCHANTS])
    names = pd.Index([m[0] for m in MERCHANTS])
    cats = pd.Index(CATEGORIES)
    cat_code = np.array([CATEGORIES.index(m[1]) for m in MERCHANTS])
    mcc = pd.Index(sorted({m[2] for m in MERCHANTS}))
    mcc_code = np.array([mcc.get_loc(m[2]) for m in MERCHANTS])
    transactions = pd.DataFrame(
        {
            "persona_index": parent,
            "position": np.arange(total) - starts[parent],
            "date": (EPOCH_DAY - rng.integers(0, 30, total)).astype("datetime64[D]"),
            "description": pd.Categorical.from_codes(merchant, categories=names),
            "amount": -np.round(medians[merchant] * rng.lognormal(0, 0.6, total), 2),
            "category": pd.Categorical.from_codes(cat_code[merchant], categories=cats),
            "merchant_category": pd.Categorical.from_codes(mcc_code[merchant], categories=mcc),
        }
    )
    return personas, transactions


# --- the registry the runner measures --------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """One way to build ``n`` banking personas; ``sizes`` are (full, quick) run sizes giving ~1 s each."""

    key: str
    label: str
    build: Callable[[int, int, Span], object]
    sizes: tuple[int, int]
    prepare: Callable[[], object] = lambda: None


PEERS = (
    Peer("naive", "naive (new Faker per persona + Pydantic)", naive, (400, 100)),
    Peer("faker_reused", "Faker reused (one instance, seeded once)", faker_reused, (4000, 1000)),
    Peer("mimesis", "Mimesis (one Generic, seeded once)", mimesis_generic, (20_000, 4000)),
    Peer("polyfactory", "polyfactory (Pydantic ModelFactory)", polyfactory_models, (1000, 300), _factories),
    Peer("vectorised", "hand-vectorised Faker pools + numpy PCG64, one batch", vectorised, (1_000_000, 100_000), pools),
    Peer(
        "vectorised_chunked",
        "hand-vectorised, blocks of 100,000",
        vectorised_chunked,
        (1_000_000, 100_000),
        pools,
    ),
)
