"""Answers for a retail-banking customer: balances, transactions, spending, income and credit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from persona_kit.ai.answers.common import (
    DEFER,
    Ask,
    Defer,
    Reply,
    Simulator,
    bullets,
    key_metrics,
    newest_first,
    pick,
    plural,
)
from persona_kit.ai.charts import Trend, chart_result, money_value, month_labels, series_points, trend
from persona_kit.ai.intents import Grammar, Intent, SubjectRule, TopicRules, subject_rule
from persona_kit.ai.rules import industry_rules
from persona_kit.industries.banking.generator import banking_stats
from persona_kit.industries.banking.merchants import merchant_words
from persona_kit.industries.banking.model import BankingPersona, Transaction
from persona_kit.protocol import ToolResultMessage

TOPICS = "your balances, recent transactions, spending by category, deposits, your credit score and credit limit"

_RULES = industry_rules("banking")
"""Topic rules (ordered: the first that matches wins), facets, subject words and the handlers' patterns, from
``data/intents/en/rules/banking.json``."""
TOPIC_RULES: TopicRules = _RULES.topics
# How a question narrows the transaction list; a follow-up on the same topic keeps them.
FACETS: TopicRules = _RULES.facets
GRAMMAR = Grammar(
    TOPIC_RULES,
    facets=FACETS,
    subject_topics={
        "account": frozenset({"balance"}),
        "category": frozenset({"spending", "transactions"}),
        "merchant": frozenset({"spending", "transactions"}),
    },
    subject_default={"account": "balance", "category": "spending", "merchant": "transactions"},
    yields=_RULES.yields,
    facet_topics=_RULES.facet_topics,
)

_ACCOUNT_WORDS = _RULES.subject_words("account")
_CATEGORY_WORDS = _RULES.subject_words("category")
_SCORE_BANDS = ((800, "Exceptional"), (740, "Very Good"), (670, "Good"), (580, "Fair"), (300, "Poor"))


def subject_rules(persona: BankingPersona) -> list[SubjectRule]:
    """Accounts, spending categories (all of them, so an absent one is recognised) and this persona's merchants."""
    rules = [subject_rule("account", name, *words) for name, words in _ACCOUNT_WORDS.items()]
    names = banking_stats().category_names()
    rules += [subject_rule("category", name, *_CATEGORY_WORDS.get(name, ())) for name in names]
    own = [t.description for t in persona.recent_transactions]
    pool = [name for names in banking_stats().merchant_pools(persona.identity.locale).values() for name in names]
    merchants = list(dict.fromkeys([*own, *pool]))  # the pool too: "at Wellspring" when none was there
    rules += [subject_rule("merchant", name, *words) for name, words in merchant_words(merchants).items()]
    return rules


def _row(ask: Ask[BankingPersona], i: int) -> str:
    t = ask.persona.recent_transactions[i]
    q = ask.q
    return (
        f"{q(f'recent_transactions[{i}].date')}: {t.description}, {q(f'recent_transactions[{i}].amount')} "
        f"({t.category})"
    )


def _rows(ask: Ask[BankingPersona], keep: list[int]) -> str:
    return bullets([_row(ask, i) for i in keep])


def _balance(ask: Ask[BankingPersona]) -> Reply:
    q, subject = ask.q, ask.intent.subject
    tools: tuple[ToolResultMessage, ...] = ()
    which = subject.value if subject is not None and subject.kind == "account" and not ask.intent.total else None
    if ask.intent.chart:
        tools = _balance_chart(ask, which)
    if which == "Checking":
        text = f"Your checking balance is {q('checking_balance')}."
    elif which == "Savings":
        text = f"Your savings balance is {q('savings_balance')}."
    else:
        text = (
            f"Your checking balance is {q('checking_balance')} and your savings balance is "
            f"{q('savings_balance')}, {q('derived.total_balance')} together."
        )
    if tools:
        text += " I've put the monthly trend on your dashboard."
    return Reply(text, tools)


def _balance_chart(ask: Ask[BankingPersona], which: str | None) -> tuple[ToolResultMessage, ...]:
    p = ask.persona
    labels = month_labels(p.as_of)
    accounts = [("Checking", p.checking_balance), ("Savings", p.savings_balance)]
    chosen = [(name, value) for name, value in accounts if which in (None, name) and value != 0]
    series = [(name, trend(ask.key, name, value, Trend())) for name, value in chosen]
    if not series:
        return ()
    title = f"{which or 'Checking and savings'} balance by month"
    chart = chart_result(ask.chart_type("line"), title, series_points(labels, series))
    return (chart,) if chart else ()


def _score_band(score: int) -> str:
    return next(name for floor, name in _SCORE_BANDS if score >= floor)


def _credit_score(ask: Ask[BankingPersona]) -> Reply:
    p = ask.persona
    text = f"Your credit score is {ask.q('credit_score')}, which is in the {_score_band(p.credit_score)} range."
    if not ask.intent.chart:
        return Reply(text)
    shape = Trend(spread=0.06, jitter=0.01, low=300, high=850, integer=True)
    history = trend(ask.key, "credit_score", p.credit_score, shape)
    chart = chart_result(
        ask.chart_type("line"), "Credit score by month", list(zip(month_labels(p.as_of), history, strict=True))
    )
    return Reply(text + " Here is how it has moved recently.", (chart,) if chart else ())


def _credit(ask: Ask[BankingPersona]) -> Reply:
    q, topic = ask.q, ask.intent.topic
    if topic == "utilization":
        text = (
            f"You're using {q('credit_used')} of your {q('credit_limit')} credit limit, a utilization of "
            f"{q('derived.credit_utilization')}."
        )
    elif topic in {"available_credit", "credit_used"}:
        text = (
            f"You've used {q('credit_used')} of your {q('credit_limit')} credit limit, so you have "
            f"{q('derived.available_credit')} of available credit."
        )
    else:
        text = (
            f"Your credit limit is {q('credit_limit')}. You've used {q('credit_used')}, leaving "
            f"{q('derived.available_credit')} available ({q('derived.credit_utilization')} utilization)."
        )
    if not ask.intent.chart:
        return Reply(text)
    p = ask.persona
    points = [
        ("Used", money_value(p.credit_used, ask.currency)),
        ("Available", money_value(p.credit_limit - p.credit_used, ask.currency)),
    ]
    chart = chart_result(ask.chart_type("pie"), "Credit used and available", points)
    return Reply(text + " The split is on your dashboard.", (chart,) if chart else ())


def _spending_by_category(ask: Ask[BankingPersona]) -> list[str]:
    """Categories with debits, largest first, as the prompt ranks them."""
    prefix = "derived.spending["
    return [
        field[len(prefix) : -len("].category")]
        for field in ask.facts
        if field.startswith(prefix) and field.endswith("].category")
    ]


def _spending(ask: Ask[BankingPersona]) -> Reply:  # noqa: PLR0911 - one early return per shape of answer
    q, subject = ask.q, ask.intent.subject
    categories = _spending_by_category(ask)
    if subject is not None and subject.kind == "merchant":
        return _transactions(ask)
    if subject is not None and subject.kind == "category":
        name = subject.value
        if name == "Income":
            return _income(ask)
        if name not in categories:
            return Reply(f"I don't see any {name} spending among your recent transactions.")
        keep = [i for i, t in enumerate(ask.persona.recent_transactions) if t.category == name and t.amount < 0]
        count = q(f"derived.spending[{name}].count")
        text = (
            f"You spent {q(f'derived.spending[{name}].total')} on {name} across "
            f"{plural(count, 'transaction', 'transactions')}:\n{_rows(ask, keep)}"
        )
        return Reply(_housing_kind(ask, keep) + text if name == "Housing" else text)
    if not categories:
        return Reply("You haven't spent anything in your recent transactions.")
    extreme = ask.intent.facets & {"largest", "smallest"}
    one_item = ask.says(_RULES.pattern("one_item"))  # "biggest expense and its category": a transaction
    by_category = (ask.says(_RULES.pattern("category_word")) or ask.intent.follow_up) and not one_item
    if extreme and by_category and not ask.intent.chart:
        name = categories[-1] if "smallest" in extreme else categories[0]
        which = "smallest" if "smallest" in extreme else "largest"
        total = q(f"derived.spending[{name}].total")
        return Reply(f"Your {which} spending category is {name}, at {total}.")
    if (extreme and not by_category) or ask.intent.ordinal is not None:  # "the biggest expense", "most recently"
        return _transactions(replace(ask, intent=replace(ask.intent, facets=ask.intent.facets | {"debit"})))
    lines = [
        f"{name}: {q(f'derived.spending[{name}].total')} "
        f"({plural(q(f'derived.spending[{name}].count'), 'transaction', 'transactions')})"
        for name in categories
    ]
    text = f"Your recent spending comes to {q('derived.total_spent')}. By category, largest first:\n{bullets(lines)}"
    if ask.says(_RULES.pattern("income_words")):
        text = f"In the same period you received {q('derived.total_received')}. {text}"
    if not ask.intent.chart:
        return Reply(text)
    totals: dict[str, float] = {}
    for t in ask.persona.recent_transactions:
        if t.amount < 0:
            totals[t.category] = totals.get(t.category, 0.0) - t.amount
    points = [(name, money_value(totals[name], ask.currency)) for name in categories]
    chart = chart_result(ask.chart_type("pie"), "Spending by category", points)
    return Reply(text + "\n\nThe breakdown is on your dashboard.", (chart,) if chart else ())


def _housing_kind(ask: Ask[BankingPersona], keep: list[int]) -> str:
    """Asked about rent but paying a mortgage (or the other way round): say so before the housing payments."""
    kinds = {ask.persona.recent_transactions[i].description.split(" - ")[0] for i in keep}
    if kinds == {"Mortgage"} and ask.says(_RULES.pattern("rent_word")):
        return "I don't see any rent payments; your housing payment is a mortgage. "
    if kinds == {"Rent"} and ask.says(_RULES.pattern("mortgage_word")):
        return "I don't see any mortgage payments; your housing payment is rent. "
    return ""


def _income(ask: Ask[BankingPersona]) -> Reply:
    keep = [i for i, t in enumerate(ask.persona.recent_transactions) if t.amount > 0]
    if not keep:
        return Reply(
            f"I don't see any deposits among your recent transactions: {ask.q('derived.total_received')} came in."
        )
    intent = ask.intent
    if intent.ordinal is not None or intent.facets & {"largest", "smallest"}:  # one deposit: the list narrowed
        return _transactions(replace(ask, intent=replace(intent, facets=intent.facets | {"credit"})))
    return Reply(f"You received {ask.q('derived.total_received')} in recent deposits:\n{_rows(ask, keep)}")


def _largest(rows: list[tuple[int, Transaction]], smallest: bool) -> int:
    debits = [(i, t) for i, t in rows if t.amount < 0] or rows
    ordered = sorted(debits, key=lambda item: (abs(item[1].amount), -item[0]), reverse=not smallest)
    return ordered[0][0]


_FLOW_NAMES = {"debit": ("purchase or payment", "purchases or payments"), "credit": ("deposit", "deposits")}


def _flow(intent: Intent) -> str | None:
    """Money out ("debit") or in ("credit") when the question asks for only one of them, else None."""
    flows = intent.facets & {"debit", "credit"}
    if intent.topic == "income":
        return "credit"
    return next(iter(flows)) if len(flows) == 1 else None


def _narrowed(ask: Ask[BankingPersona]) -> list[tuple[int, Transaction]] | Reply:
    """The transactions a question is about (a category, a merchant, money in or out), or a reply saying none."""
    intent = ask.intent
    rows = list(enumerate(ask.persona.recent_transactions))
    if intent.subject is not None and intent.subject.kind in {"category", "merchant"}:
        field = "category" if intent.subject.kind == "category" else "description"
        rows = [(i, t) for i, t in rows if getattr(t, field) == intent.subject.value]
        if not rows:
            return Reply(f"I don't see any {intent.subject.value} transactions in your recent activity.")
    flow = _flow(intent)
    if flow is not None:
        rows = [(i, t) for i, t in rows if (t.amount > 0) == (flow == "credit")]
        if not rows:
            return Reply(f"I don't see any {_FLOW_NAMES[flow][1]} in your recent activity.")
    return rows if rows else Reply("You have no transactions in your recent activity.")


def _transactions(ask: Ask[BankingPersona]) -> Reply:  # noqa: PLR0911 - one early return per shape of answer
    p, q, intent = ask.persona, ask.q, ask.intent
    one = intent.ordinal is not None or intent.facets & {"largest", "smallest"}
    category = intent.subject is not None and intent.subject.kind == "category" and intent.subject.value != "Income"
    if category and not one:
        return _spending(ask)  # a category's transactions come with their total and count
    if not one and intent.subject is None and ask.says(_RULES.pattern("total_words")):
        return Reply(
            f"Across your {plural(q('derived.transaction_count'), 'recent transaction', 'recent transactions')} you "
            f"spent {q('derived.total_spent')} and received {q('derived.total_received')}."
        )
    rows = _narrowed(ask)
    if isinstance(rows, Reply):
        return rows
    flow = _flow(intent)
    noun = _FLOW_NAMES[flow][0] if flow is not None else "transaction"
    tools = _transactions_chart(ask, [i for i, _ in rows]) if intent.chart else ()
    if intent.facets & {"largest", "smallest"}:
        smallest = "largest" not in intent.facets
        which = "smallest" if smallest else "largest"
        return Reply(f"Your {which} recent {noun} was {_row(ask, _largest(rows, smallest=smallest))}.", tools)
    ordinal = newest_first(intent.ordinal)
    if ordinal == 0 and not intent.follow_up and ask.says(_RULES.pattern("list_words")):
        ordinal = None  # "my latest purchases": the list, newest first
    index = pick(rows, ordinal)
    if ordinal is not None and index is None:
        many = _FLOW_NAMES[flow][1] if flow is not None else "transactions"
        return Reply(
            f"There are no more: you have {plural(str(len(rows)), noun, many)} in your recent activity.",
            tools,
        )
    if index == 0:
        return Reply(f"Your most recent {noun} was {_row(ask, rows[0][0])}.", tools)
    if index is not None:
        forward = intent.went_back and ask.says(_RULES.pattern("forward"))  # walking back up towards today
        lead = "After that" if forward else "Before that"
        return Reply(f"{lead}: {_row(ask, rows[index][0])}.", tools)
    if len(rows) < len(p.recent_transactions):
        text = f"Here are those transactions, newest first:\n{_rows(ask, [i for i, _ in rows])}"
    else:
        count = plural(q("derived.transaction_count"), "recent transaction", "recent transactions")
        text = f"Here are your {count}, newest first:\n{_rows(ask, [i for i, _ in rows])}"
    return Reply(text, tools)


def _transactions_chart(ask: Ask[BankingPersona], keep: list[int]) -> tuple[ToolResultMessage, ...]:
    rows = [ask.persona.recent_transactions[i] for i in reversed(keep)]
    points = [(f"{t.date.isoformat()} - {t.description}", money_value(t.amount, ask.currency)) for t in rows]
    chart = chart_result(ask.chart_type("bar"), "Recent transactions", points)
    return (chart,) if chart else ()


def _overview(ask: Ask[BankingPersona]) -> Reply:
    q = ask.q
    lines = [
        f"Checking: {q('checking_balance')}",
        f"Savings: {q('savings_balance')}",
        f"Credit score: {q('credit_score')}",
        f"Available credit: {q('derived.available_credit')} of {q('credit_limit')}",
        f"Recent spending: {q('derived.total_spent')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (key_metrics(ask),))


def _security(ask: Ask[BankingPersona]) -> Reply:
    return Reply(
        "I'll never ask for your password, PIN or full account number, and I can't show them here. "
        f"If you need to identify your account, it ends in {ask.q('account_number_last4')}."
    )


def _account_number(ask: Ask[BankingPersona]) -> Reply:
    last4 = ask.q("account_number_last4")
    return Reply(
        f"For your security I can't show the full number here, only the last four: your account ends in {last4}."
    )


def _member_since(ask: Ask[BankingPersona]) -> Reply:
    return Reply(f"You've been a {ask.mode.company_name} member since {ask.q('member_since')}.")


def _key_numbers(ask: Ask[BankingPersona]) -> Reply:
    q = ask.q
    return Reply(
        f"Here are your key numbers, {ask.first_name}: checking {q('checking_balance')}, savings "
        f"{q('savings_balance')} and a credit score of {q('credit_score')}.",
        (key_metrics(ask),),
    )


_HANDLERS: dict[str, Callable[[Ask[BankingPersona]], Reply]] = {
    "balance": _balance,
    "credit_score": _credit_score,
    "utilization": _credit,
    "available_credit": _credit,
    "credit_used": _credit,
    "credit_limit": _credit,
    "spending": _spending,
    "income": _income,
    "transactions": _transactions,
    "overview": _overview,
    "security": _security,
    "account_number": _account_number,
    "member_since": _member_since,
}


# --- what the records do not hold ----------------------------------------------

_ACTIVITY = frozenset({"spending", "transactions", "income"})  # the recent-transactions window
_RATE_NOUNS = _RULES.lists["rate_nouns"]


def _focus(intent: Intent, text: str) -> str | None:
    """A rate or an action on money with no topic: the credit line or the balance it is about."""
    topic, gaps = intent.topic, intent.gaps
    if topic is None and ("rate" in gaps or intent.action):
        credit = re.search(_RULES.pattern("credit_words"), text)
        if credit or "rate" in gaps or re.search(_RULES.pattern("money_words"), text):
            topic = ("credit_limit" if "rate" in gaps else "credit_used") if credit else "balance"
    return topic


def _activity_window(ask: Ask[BankingPersona], *, narrow: bool = True) -> str | None:
    """The recent-transactions window by its dates; ``narrow``: the question asked for another period."""
    count = sum(1 for field in ask.facts if re.fullmatch(r"recent_transactions\[\d+\]\.date", field))
    if not count:
        return "I can't narrow your activity to that period; I only have your recent transactions." if narrow else None
    span = f"from {ask.q(f'recent_transactions[{count - 1}].date')} to {ask.q('recent_transactions[0].date')}"
    if narrow:
        return f"I can't narrow your activity to that period: I can only see your recent transactions, {span}."
    return f"I can see your recent transactions, {span}."


def _period_note(ask: Ask[BankingPersona], topic: str) -> str | Defer | None:
    if topic not in _ACTIVITY:
        return DEFER
    gaps = ask.intent.gaps
    if gaps & {"window", "today", "this_year", "per_year"}:
        return _activity_window(ask)
    return _activity_window(ask, narrow=False) if "this_month" in gaps else None


def _detail_note(ask: Ask[BankingPersona], topic: str) -> str | None:
    if "rate" in ask.intent.gaps and topic != "utilization":  # a utilization rate is in the records
        noun = next((noun for noun, pattern in _RATE_NOUNS if ask.says(pattern)), "interest rates")
        return f"I don't have {noun} in your records."
    return None


SIMULATOR: Simulator[BankingPersona] = Simulator(
    grammar=GRAMMAR,
    help_topics=TOPICS,
    subject_rules=subject_rules,
    handlers=_HANDLERS,
    key_numbers=_key_numbers,
    chart_topic="spending",  # a chart request with no topic
    focus=_focus,
    detail_note=_detail_note,
    period_note=_period_note,
    chartless=frozenset({"account_number", "security", "income"}),
    no_note=frozenset({"security"}),
    dated=frozenset({"account_number"}),
)
