"""What the system prompt states about a banking customer: accounts, credit, activity, spending, transactions."""

from __future__ import annotations

from persona_kit.facts import Section, fact, table
from persona_kit.formatting import Formatter
from persona_kit.industries.banking.model import TRANSACTION_WINDOW_DAYS, BankingPersona


def banking_sections(p: BankingPersona, f: Formatter) -> list[Section]:
    spent = -sum(t.amount for t in p.recent_transactions if t.amount < 0)
    received = sum(t.amount for t in p.recent_transactions if t.amount > 0)
    accounts = Section(
        "Accounts and credit",
        lines=(
            fact("member_since", "Member since", f.day(p.member_since)),
            fact("checking_balance", "Checking balance", f.money(p.checking_balance)),
            fact("savings_balance", "Savings balance", f.money(p.savings_balance)),
            fact(
                "derived.total_balance",
                "Checking plus savings",
                f.money(p.checking_balance + p.savings_balance),
            ),
            fact("account_number_last4", "Account number ends in", p.account_number_last4),
            fact("credit_score", "Credit score", f.number(p.credit_score)),
            fact("credit_limit", "Credit limit", f.money(p.credit_limit)),
            fact("credit_used", "Credit used", f.money(p.credit_used)),
            fact("derived.available_credit", "Available credit", f.money(p.credit_limit - p.credit_used)),
            fact(
                "derived.credit_utilization",
                "Credit utilization",
                f.share(p.credit_used / p.credit_limit) if p.credit_limit else f.share(0),
            ),
        ),
    )
    window = f"last {TRANSACTION_WINDOW_DAYS} days"
    activity = Section(
        f"Activity in the {window}",
        lines=(
            fact("derived.transaction_count", "Transactions", f.number(len(p.recent_transactions))),
            fact("derived.total_spent", "Total spent", f.money(spent)),
            fact("derived.total_received", "Total received", f.money(received)),
        ),
    )
    transactions = table(
        f"Recent transactions ({window}, newest first)",
        "recent_transactions",
        [
            [
                ("date", "Date", f.day(t.date)),
                ("description", "Description", t.description),
                ("amount", "Amount", f.money(t.amount)),
                ("category", "Category", t.category),
                ("merchant_category", "MCC", t.merchant_category),
            ]
            for t in p.recent_transactions
        ],
        "No transactions in this window.",
    )
    return [accounts, activity, _spending(p, f), transactions]


def _spending(p: BankingPersona, f: Formatter) -> Section:
    totals: dict[str, tuple[float, int]] = {}
    for t in p.recent_transactions:
        if t.amount < 0:
            total, count = totals.get(t.category, (0.0, 0))
            totals[t.category] = (total - t.amount, count + 1)
    ranked = sorted(totals.items(), key=lambda item: (-round(item[1][0], 2), item[0]))
    return Section(
        "Spending by category (debits, largest first)",
        rows=tuple(
            (
                fact(f"derived.spending[{category}].category", "Category", category),
                fact(f"derived.spending[{category}].total", "Spent", f.money(total)),
                fact(f"derived.spending[{category}].count", "Transactions", f.number(count)),
            )
            for category, (total, count) in ranked
        ),
        empty="No spending in this window.",
    )
