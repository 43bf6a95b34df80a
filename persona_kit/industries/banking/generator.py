"""Banking personas, column-wise: balances, credit and the last 30 days of transactions."""

from __future__ import annotations

from functools import cache
from typing import cast

import numpy as np
from pydantic import Field, model_validator

from persona_kit.data import DataModel, industry_stats
from persona_kit.engine.batch import Batch, Column, Context, digit_table, step_lookup
from persona_kit.engine.text import gather_text
from persona_kit.industries.banking.cashflow import Bill, Housing, Income, Payroll, Spending, Subscriptions
from persona_kit.industries.banking.credit import CreditScore, credit_scores
from persona_kit.industries.banking.model import TRANSACTION_WINDOW_DAYS
from persona_kit.industries.banking.transactions import add_transactions
from persona_kit.industries.identity import IdentityColumns, tenure_start


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
    count_mean: float = Field(gt=0)
    count_cap: int = Field(ge=1)
    count_elasticity: float = Field(ge=0, le=1)
    categories: list[Category]


class Tenure(DataModel):
    mean_years_by_age_share: float


#: Categories of the recurring streams, after the everyday ones.
HOUSING, INCOME = "Housing", "Income"


class BankingStats(DataModel):
    transaction_accounts: AgeMedians
    checking: Split
    savings: Split
    credit_score: CreditScore
    credit_limit: ByScore
    utilization: ByScore
    tenure: Tenure
    transactions: Transactions
    income: Income
    spending: Spending
    housing: Housing
    bills: list[Bill]
    subscriptions: Subscriptions
    payroll: Payroll
    merchants: dict[str, dict[str, list[str]] | str]  # locale -> pool -> names; "note" holds prose

    @model_validator(mode="after")
    def _merchants_for_every_pool(self) -> BankingStats:
        needed = set(self.pool_names())
        for locale, pools in self.merchants.items():
            if isinstance(pools, str):
                continue
            missing = sorted(needed - {k for k, v in pools.items() if v})
            if missing:
                msg = f"banking.json merchants[{locale!r}] needs a list of names for: {', '.join(missing)}"
                raise ValueError(msg)
        return self

    def pool_names(self) -> list[str]:
        """Merchant pools: the everyday categories, then one per recurring stream."""
        fixed = ["Housing.rent", "Housing.mortgage", "Subscriptions", "Income.payroll", "Income.benefits"]
        return [c.name for c in self.transactions.categories] + [b.pool for b in self.bills] + fixed

    def category_names(self) -> list[str]:
        """Every category a transaction can carry."""
        names = [c.name for c in self.transactions.categories]
        extra = [HOUSING, *(b.category for b in self.bills), self.subscriptions.category, INCOME]
        return list(dict.fromkeys(names + extra))

    def merchant_pools(self, locale: str) -> dict[str, list[str]]:
        """The locale's merchant names per pool (en_US where a locale has none)."""
        pools = self.merchants.get(locale)
        if not isinstance(pools, dict):
            pools = self.merchants["en_US"]
        return cast(dict[str, list[str]], pools)


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
        "account_number_last4": gather_text(digit_table(4), d.integers("account_last4", 0, 9999)),
        "credit_score": score.astype(np.int64),
        "credit_limit": limit,
        "credit_used": used,
    }
    batch = Batch("banking", ctx.n, columns)
    add_transactions(ctx, batch, s, ident)
    return batch
