"""A naive baseline shaped like the reference implementation (phase-05 persona module).

One new Faker per persona, ``seed_instance``, uniform random ranges, one
Pydantic model per persona: what persona_kit replaced. It exists only to be
measured beside the engine in the same run.
"""

from __future__ import annotations

import hashlib

from faker import Faker
from pydantic import BaseModel


class NaiveTransaction(BaseModel):
    date: str
    description: str
    amount: float
    category: str


class NaiveBankingPersona(BaseModel):
    name: str
    member_since: str
    checking_balance: float
    savings_balance: float
    account_number_last4: str
    credit_score: int
    credit_limit: float
    recent_transactions: list[NaiveTransaction]


CATEGORIES = ["Groceries", "Dining", "Gas", "Shopping", "Utilities", "Entertainment"]


def naive_banking_persona(seed: str, index: int, *, transactions: tuple[int, int] = (5, 10)) -> NaiveBankingPersona:
    """The reference's recipe: seed a fresh Faker from an MD5 of the seed, draw uniform ranges."""
    fake = Faker("en_US")
    fake.seed_instance(int(hashlib.md5(f"{seed}:{index}".encode()).hexdigest()[:8], 16))
    transactions = [
        NaiveTransaction(
            date=fake.date_between(start_date="-30d", end_date="today").isoformat(),
            description=fake.company(),
            amount=round(fake.pyfloat(min_value=-500, max_value=500), 2),
            category=fake.random_element(CATEGORIES),
        )
        for _ in range(fake.random_int(*transactions))
    ]
    return NaiveBankingPersona(
        name=fake.name(),
        member_since=str(fake.random_int(2005, 2024)),
        checking_balance=round(fake.pyfloat(min_value=500, max_value=25000), 2),
        savings_balance=round(fake.pyfloat(min_value=1000, max_value=100000), 2),
        account_number_last4=fake.numerify("####"),
        credit_score=fake.random_int(580, 850),
        credit_limit=float(fake.random_int(1000, 50000)),
        recent_transactions=transactions,
    )
