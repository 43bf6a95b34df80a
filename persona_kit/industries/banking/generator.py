"""Banking personas, column-wise: balances, credit and the last 30 days of transactions."""

from __future__ import annotations

from functools import cache
from typing import cast

import numpy as np
from pydantic import Field, model_validator

from persona_kit.data import DataModel, industry_stats
from persona_kit.engine.batch import Batch, ChildRows, Column, Context, coded, digit_table, pick_within, step_lookup
from persona_kit.engine.dates import shift
from persona_kit.engine.draws import cumulative
from persona_kit.industries.banking.credit import CreditScore, credit_scores
from persona_kit.industries.banking.model import TRANSACTION_WINDOW_DAYS
from persona_kit.industries.identity import IdentityColumns, tenure_start

INCOME = "Income"


class AgeMedians(DataModel):
    age_edges: list[float]
    median_usd: list[float]


class Split(DataModel):
    share_of_median: float = Field(gt=0)
    sigma: float = Field(ge=0)


class ByScore(DataModel):
    score_edges: list[float]
    median_usd: list[float] = Field(default_factory=list)
    mean: list[float] = Field(default_factory=list)
    sigma: float = 0.0
    round_to: float = 1.0


class Category(DataModel):
    name: str
    weight: float = Field(ge=0)
    median_usd: float = Field(gt=0)
    sigma: float = Field(ge=0)
    mcc: str


class Transactions(DataModel):
    window_days: int
    count_mean: float
    count_min: int
    count_max: int
    categories: list[Category]


class Tenure(DataModel):
    mean_years_by_age_share: float


class BankingStats(DataModel):
    transaction_accounts: AgeMedians
    checking: Split
    savings: Split
    credit_score: CreditScore
    credit_limit: ByScore
    utilization: ByScore
    tenure: Tenure
    transactions: Transactions
    merchants: dict[str, list[str] | str]  # category -> names; "note" holds prose

    @model_validator(mode="after")
    def _merchants_for_every_category(self) -> BankingStats:
        missing = [c.name for c in self.transactions.categories if not isinstance(self.merchants.get(c.name), list)]
        if missing:
            msg = f"banking.json merchants needs a list of names for categories: {', '.join(missing)}"
            raise ValueError(msg)
        return self

    def merchant_pools(self) -> list[list[str]]:
        """Merchant names per transaction category, in category order."""
        return [cast(list[str], self.merchants[c.name]) for c in self.transactions.categories]


@cache
def banking_stats() -> BankingStats:
    """data/stats/banking.json, validated."""
    stats = BankingStats.model_validate(industry_stats("banking"))
    if stats.transactions.window_days != TRANSACTION_WINDOW_DAYS:
        msg = "banking.json transactions.window_days must match the model's window"
        raise ValueError(msg)
    return stats


def generate_banking(ctx: Context, ident: IdentityColumns) -> Batch:
    """Banking personas for every index in ``ctx``."""
    s = banking_stats()
    d = ctx.draws()
    age = ident.age_years
    base = step_lookup(s.transaction_accounts.age_edges, s.transaction_accounts.median_usd, age)
    checking = ctx.money(d.lognormal("checking", base * s.checking.share_of_median, s.checking.sigma))
    savings = ctx.money(d.lognormal("savings", base * s.savings.share_of_median, s.savings.sigma))

    score = credit_scores(d.normal("credit_score"), age, s.credit_score)
    lim = s.credit_limit
    limit_usd = d.lognormal("credit_limit", step_lookup(lim.score_edges, lim.median_usd, score), lim.sigma)
    unit = float(ctx.nice_money(lim.round_to))
    limit = np.maximum(np.round(limit_usd * ctx.spec.price_factor / unit) * unit, unit)
    mean_util = step_lookup(s.utilization.score_edges, s.utilization.mean, score)
    # Logit-normal utilisation around the tier's mean.
    logit = np.log(mean_util / (1 - mean_util)) + 0.9 * d.normal("utilization")
    used = np.minimum(np.round(limit / (1 + np.exp(-logit)), ctx.spec.decimals), limit)

    columns: dict[str, Column] = {
        **ident.columns,
        "member_since": tenure_start(ctx, d, ident.adult_date, s.tenure.mean_years_by_age_share, "member_since"),
        "checking_balance": checking,
        "savings_balance": savings,
        "account_number_last4": digit_table(4)[d.integers("account_last4", 0, 9999)],
        "credit_score": score.astype(np.int64),
        "credit_limit": limit,
        "credit_used": used,
    }
    batch = Batch("banking", ctx.n, columns)
    _transactions(ctx, batch, s)
    return batch


def _transactions(ctx: Context, batch: Batch, s: BankingStats) -> None:
    t = s.transactions
    d = ctx.draws()
    counts = np.clip(d.poisson("transactions.count", t.count_mean, t.count_max), t.count_min, t.count_max)
    rows = ChildRows.from_counts(ctx.keys, "transactions", counts)
    rd = rows.draws()
    frac = rows.sorted_spacings(rd, "date", -np.log1p(-d.uniform("transactions.tail")))
    days_ago = np.minimum(np.floor(frac * t.window_days).astype(np.int64), t.window_days - 1)

    cats = t.categories
    cat = rd.weighted("category", cumulative([c.weight for c in cats]))
    median = np.asarray([c.median_usd for c in cats])[cat]
    sigma = np.asarray([c.sigma for c in cats])[cat]
    sign = np.where(np.asarray([c.name == INCOME for c in cats])[cat], 1.0, -1.0)
    amount = sign * np.maximum(ctx.money(rd.lognormal("amount", median, sigma)), 10.0**-ctx.spec.decimals)

    description = pick_within(s.merchant_pools(), cat, rd.uniform("merchant"))

    batch.add_child(
        "recent_transactions",
        rows,
        {
            "date": shift(ctx.as_of, -days_ago),
            "description": description,
            "amount": amount,
            "category": coded([c.name for c in cats], cat),
            "merchant_category": coded([c.mcc for c in cats], cat),
        },
    )
