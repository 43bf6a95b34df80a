"""Retail banking: balances, credit and the last 30 days of transactions."""

from __future__ import annotations

from persona_kit.formatting import Formatter
from persona_kit.industries.banking.facts import banking_sections
from persona_kit.industries.banking.generator import banking_stats, generate_banking
from persona_kit.industries.banking.model import BankingPersona, Transaction
from persona_kit.industries.banking.one import one_banking
from persona_kit.industries.registry import CURRENCY, CardLayout, ChartDef, Industry, MetricDef


def _utilization(p: BankingPersona, f: Formatter) -> int:
    """The utilization as a whole percent, as the prompt states it."""
    text = f.share(p.credit_used / p.credit_limit) if p.credit_limit else f.share(0)
    return int("".join(ch for ch in text if ch.isdigit()))


SYNONYMS = (
    "bank", "banking", "banker", "credit union", "savings and loan", "savings & loan", "building society",
    "lender", "lending",
    "mortgage lender", "s&l", "neobank", "savings bank", "credit card company", "card issuer", "thrift",
    "financial institution", "financial services", "financial services company", "financial services firm",
)  # fmt: skip
"""Words that name the industry in a mode request ("be a credit union", "Presto! building society")."""

BRAND_WORDS = (
    "savings", "bancorp", "bancshares", "bankcorp", "fcu", "lending", "loans", "mortgage", "mortgages",
)  # fmt: skip
"""Words that tell banking inside a company's name ("Blue Ridge Savings"), not alone."""

KNOWN_BRANDS = (
    "monzo", "revolut", "barclays", "hsbc", "natwest", "santander", "citibank", "citi", "wells fargo", "chase",
    "jpmorgan chase", "capital one", "lloyds bank", "starling", "chime", "ally bank", "bank of america",
    "td bank", "rbc", "scotiabank", "commonwealth bank", "westpac", "anz", "n26", "ing",
)  # fmt: skip
"""Well-known banks a presenter may name ("become Monzo's in-app helper")."""

INDUSTRY = Industry(
    kind="banking",
    model=BankingPersona,
    generate=generate_banking,
    generate_one=one_banking,
    stats=banking_stats,
    facts=banking_sections,
    metrics=(
        MetricDef("Checking", CURRENCY, lambda p, f: p.checking_balance),
        MetricDef("Savings", CURRENCY, lambda p, f: p.savings_balance),
        MetricDef("Credit score", "points", lambda p, f: p.credit_score),
        MetricDef("Available credit", CURRENCY, lambda p, f: p.credit_limit - p.credit_used),
        MetricDef("Credit limit", CURRENCY, lambda p, f: p.credit_limit),
        MetricDef("Credit utilization", "%", _utilization),
        MetricDef("Transactions (30 days)", "transactions", lambda p, f: len(p.recent_transactions)),
    ),
    card_metrics=("Checking", "Savings", "Credit score", "Available credit", "Credit limit", "Transactions (30 days)"),
    tool_metrics=("Checking", "Savings", "Credit score", "Available credit", "Credit utilization"),
    charts=(
        ChartDef("{account} balance by month", "month", "amount ({currency})"),
        ChartDef("Credit score by month", "month", "score (points)"),
        ChartDef("Credit used and available", "credit limit", "amount ({currency})"),
        ChartDef("Spending by category", "category", "amount ({currency})"),
        ChartDef("Recent transactions", "transaction", "amount ({currency})"),
    ),
    synonyms=SYNONYMS,
    brand_words=BRAND_WORDS,
    known_brands=KNOWN_BRANDS,
    simulator="persona_kit.industries.banking.answers",
    card=CardLayout(since=lambda p: ("member since", p.member_since)),
    count_nouns=(
        (r"transactions?|purchases?|payments?", r"^derived\.transaction_count$|^derived\.spending\[.*\]\.count$"),
        (r"score", r"^credit_score$"),
    ),
)

__all__ = ["INDUSTRY", "BankingPersona", "Transaction"]
