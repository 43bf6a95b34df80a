"""Answers for a mobile and broadband customer: bill, data usage, plan, contract, devices and support tickets."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

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
from persona_kit.ai.charts import chart_result, money_value
from persona_kit.ai.intents import Grammar, Intent, SubjectRule, TopicRules, subject_rule
from persona_kit.ai.rules import industry_rules
from persona_kit.industries.telecom.generator import telecom_stats
from persona_kit.industries.telecom.model import TelecomPersona

TOPICS = (
    "your bill, data usage and allowance, your plan, contract end date, devices and instalments, and support tickets"
)

_RULES = industry_rules("telecom")
"""Topic rules (ordered: the first that matches wins), facets, subject words and the handlers' patterns, from
``data/intents/en/rules/telecom.json``."""
TOPIC_RULES: TopicRules = _RULES.topics
FACETS: TopicRules = _RULES.facets
GRAMMAR = Grammar(
    TOPIC_RULES,
    facets=FACETS,
    subject_topics={
        "device": frozenset({"devices"}),
        "device_type": frozenset({"devices"}),
        "device_family": frozenset({"devices"}),
        "ticket": frozenset({"tickets"}),
        "ticket_category": frozenset({"tickets"}),
    },
    subject_default={
        "device": "devices",
        "device_type": "devices",
        "device_family": "devices",
        "ticket": "tickets",
        "ticket_category": "tickets",
    },
    yields=_RULES.yields,
)

_TYPE_WORDS = _RULES.subject_words("device_type")
_FAMILY_WORDS = _RULES.subject_words("device_family")
_CATEGORY_WORDS = _RULES.subject_words("ticket_category")
"""What customers call the problem a support ticket was about ("the bad signal": Network coverage)."""
"""A maker's line of models ("iPhone", "Galaxy") by the start of the model names, and what customers call it."""


def subject_rules(persona: TelecomPersona) -> list[SubjectRule]:
    """Device models (the whole catalogue, so one not on the account is recognised) and this persona's tickets."""
    devices, problems = _catalogue_rules()
    return [*devices, *(subject_rule("ticket", t.ticket_id) for t in persona.support_tickets), *problems]


@cache
def _catalogue_rules() -> tuple[tuple[SubjectRule, ...], tuple[SubjectRule, ...]]:
    """The rules every customer shares, built once: devices (models, types, lines) and what a ticket was about."""
    names = sorted({m.name for m in telecom_stats().devices.models}, key=len, reverse=True)
    devices = [subject_rule("device", name, name.split(" (")[0]) for name in names]
    devices += [subject_rule("device_type", kind, *words) for kind, words in _TYPE_WORDS.items()]
    devices += [subject_rule("device_family", family, *words) for family, words in _FAMILY_WORDS.items()]
    # only by what customers call the problem: "roaming" alone is a roaming question, not a ticket
    problems = [subject_rule("ticket_category", name, *words, named=False) for name, words in _CATEGORY_WORDS.items()]
    return tuple(devices), tuple(problems)


def _model_type(name: str) -> str | None:
    """The device type ("Tablet") of a catalogue model, or None for a name not in the catalogue."""
    return next((m.type for m in telecom_stats().devices.models if m.name == name), None)


def _devices(ask: Ask[TelecomPersona]) -> list[int]:
    """The devices a question is about: the named model, else all."""
    subject, devices = ask.intent.subject, ask.persona.devices
    if subject is not None and subject.kind == "device":
        return [i for i, d in enumerate(devices) if d.name == subject.value]
    if subject is not None and subject.kind == "device_type":
        return [i for i, d in enumerate(devices) if d.type == subject.value]
    if subject is not None and subject.kind == "device_family":
        return [i for i, d in enumerate(devices) if d.name.startswith(subject.value)]
    return list(range(len(devices)))


def _usage(ask: Ask[TelecomPersona]) -> Reply:
    q, p = ask.q, ask.persona
    if p.data_allowance_gb is None:
        text = (
            f"You've used {q('data_used_gb')} of data this cycle on your {q('plan_name')} plan, which has "
            f"unlimited data, so you can't run out and there are no overage charges. The cycle ends on "
            f"{q('cycle_end')}."
        )
    else:
        text = (
            f"You've used {q('data_used_gb')} of your {q('data_allowance_gb')} allowance this cycle "
            f"({q('derived.data_used_share')}), so you have {q('derived.data_remaining_gb')} left until "
            f"{q('cycle_end')}."
        )
        if p.overage_charge > 0:
            text += f" You've gone over your allowance: {q('overage_charge')} of overage charges go on your next bill."
        elif ask.says(_RULES.pattern("overage")):
            text += " You have no overage charges this cycle; going over your allowance would add them to your bill."
    if not ask.intent.chart:
        return Reply(text)
    if p.data_allowance_gb is None:
        return Reply(text)  # unlimited: no allowance to chart against
    left = max(p.data_allowance_gb - p.data_used_gb, 0.0)
    points = [("Used", round(p.data_used_gb, 1)), ("Remaining", round(left, 1))]
    chart = chart_result(ask.chart_type("pie"), "Data used this cycle", points)
    return Reply(text + " The split is on your dashboard.", (chart,) if chart else ())


def _bill_line(ask: Ask[TelecomPersona], i: int) -> str:
    q = ask.q
    return (
        f"{q(f'recent_bills[{i}].date')}: {q(f'recent_bills[{i}].amount')}, due "
        f"{q(f'recent_bills[{i}].due_date')} ({q(f'recent_bills[{i}].status')})"
    )


def _bill(ask: Ask[TelecomPersona]) -> Reply:  # noqa: PLR0911 - one early return per shape of answer
    q, p = ask.q, ask.persona
    bills = p.recent_bills
    if ask.intent.chart and bills:
        points = [(b.date.strftime("%Y-%m"), money_value(b.amount, ask.currency)) for b in reversed(bills)]
        chart = chart_result(ask.chart_type("bar"), "Bills by month", points)
        text = "Here are your recent bills:\n" + bullets([_bill_line(ask, i) for i in range(len(bills))])
        return Reply(text + "\n\nThe chart is on your dashboard.", (chart,) if chart else ())
    index = pick(bills, newest_first(ask.intent.ordinal)) if ask.intent.ordinal is not None else None
    if index is not None and index > 0:
        return Reply(f"That bill: {_bill_line(ask, index)}.")
    if index is not None and ask.intent.refers and ask.intent.facets & {"overdue", "unpaid"}:
        return Reply(f"That bill: {_bill_line(ask, index)}.")  # "is it overdue?" after the last bill: that one's status
    every = bullets([_bill_line(ask, i) for i in range(len(bills))])
    if "overdue" in ask.intent.facets:
        late = [i for i, b in enumerate(bills) if b.status == "Overdue"]
        if late:
            return Reply("These bills are overdue:\n" + bullets([_bill_line(ask, i) for i in late]))
        return Reply(f"None of your recent bills is overdue. Here they are with their status:\n{every}")
    if "unpaid" in ask.intent.facets:
        open_bills = [i for i, b in enumerate(bills) if b.status != "Paid"]
        if open_bills:
            return Reply("These bills are still to pay:\n" + bullets([_bill_line(ask, i) for i in open_bills]))
        return Reply("You have no bills due or overdue: your recent bills are all paid.")
    if "largest" in ask.intent.facets and bills:
        top = max(range(len(bills)), key=lambda i: (bills[i].amount, -i))
        return Reply(f"Your largest recent bill was {_bill_line(ask, top)}.")
    if "list" in ask.intent.facets and bills:
        return Reply(f"Here are your recent bills, newest first:\n{every}")
    parts = [f"Your next bill, after this cycle ends on {q('cycle_end')}, is estimated at {q('next_bill_estimate')}."]
    if "monthly" in ask.intent.facets:
        parts.insert(0, f"Your {q('plan_name')} plan costs {q('monthly_price')} a month.")
    if bills:
        parts.append(f"Your latest bill was {_bill_line(ask, 0)}.")
    if p.overage_charge > 0:
        parts.append(f"The estimate includes {q('overage_charge')} of overage charges.")
    return Reply(" ".join(parts))


def _plan(ask: Ask[TelecomPersona]) -> Reply:
    q, p = ask.q, ask.persona
    allowance = "unlimited data" if p.data_allowance_gb is None else f"{q('data_allowance_gb')} of data per cycle"
    text = f"You're on the {q('plan_name')} plan ({q('plan_type')}) at {q('monthly_price')} a month, with {allowance}."
    if p.broadband_speed_mbps is not None:
        text += f" Your home broadband runs at {q('broadband_speed_mbps')} for {q('broadband_price')} a month."
    return Reply(text)


def _broadband(ask: Ask[TelecomPersona]) -> Reply:
    q, p = ask.q, ask.persona
    if p.broadband_speed_mbps is None:
        return Reply(
            f"You don't have home broadband with {ask.mode.company_name}; your plan is {q('plan_name')} "
            f"({q('plan_type')})."
        )
    return Reply(
        f"Yes: your {q('plan_name')} plan ({q('plan_type')}) includes home broadband, running at "
        f"{q('broadband_speed_mbps')} for {q('broadband_price')} a month."
    )


def _contract(ask: Ask[TelecomPersona]) -> Reply:
    q, p = ask.q, ask.persona
    if p.contract_end_date is None:
        return Reply(
            f"Your {q('plan_name')} plan has no minimum term: it rolls monthly, so there's no contract end date."
        )
    return Reply(f"Your contract on the {q('plan_name')} plan ends on {q('contract_end_date')}.")


def _device_line(ask: Ask[TelecomPersona], i: int) -> str:
    q, d = ask.q, ask.persona.devices[i]
    if not d.financed:
        return f"{d.name} ({d.type}): {q(f'devices[{i}].price')}, paid off"
    return (
        f"{d.name} ({d.type}): {q(f'devices[{i}].price')}, {q(f'devices[{i}].monthly_instalment')} a month for "
        f"{plural(q(f'devices[{i}].instalment_months'), 'instalment', 'instalments')}, "
        f"{plural(q(f'devices[{i}].months_remaining'), 'month', 'months')} left, "
        f"{q(f'devices[{i}].instalment_balance')} to pay"
    )


def _devices_reply(ask: Ask[TelecomPersona]) -> Reply:
    p = ask.persona
    rows = _devices(ask)
    subject = ask.intent.subject
    ordinal = ask.intent.ordinal
    if ordinal is not None and (len(rows) > 1 or ordinal > 0):  # one device by position
        index = pick(rows, ordinal)
        if index is None:
            return Reply(f"There are no more: you have {plural(ask.q('derived.device_count'), 'device', 'devices')}.")
        rows = [rows[index]]
    if not rows and subject is not None:
        kind = subject.value if subject.kind == "device_type" else _model_type(subject.value)
        if subject.kind == "device_family":
            kind = None  # "There's no Galaxy on your account"
        # a model the customer lacks, when they have no device of its type either: "no tablet", not the model
        held = subject.kind == "device" and any(d.type == kind for d in p.devices)
        item = subject.value if held or kind is None else kind.lower()
        return Reply(f"There's no {item} on your account. Your devices are the " + ", ".join(
            d.name for d in p.devices
        ) + ".")  # fmt: skip
    if not rows:
        return Reply("There are no devices on your account.")
    text = bullets([_device_line(ask, i) for i in rows])
    count = plural(ask.q("derived.device_count"), "device", "devices")
    head = "Your device:" if len(rows) == 1 else f"Your {count}:"
    if len(p.devices) == 1:
        head = f"You have {count}:"
    if 1 < len(rows) < len(p.devices):
        head = f"Of your {plural(ask.q('derived.device_count'), 'device', 'devices')}, these match:"
    if len(rows) == len(p.devices) and any(d.financed for d in p.devices):
        text += (
            f"\n\nIn all you pay {ask.q('derived.monthly_instalments')} a month in instalments, with "
            f"{ask.q('derived.instalment_balance')} left to pay."
        )
    if not ask.intent.chart:
        return Reply(f"{head}\n{text}")
    points = [(p.devices[i].name, money_value(p.devices[i].instalment_balance, ask.currency)) for i in rows]
    chart = chart_result(ask.chart_type("bar"), "Device balances", points)
    if chart is None:
        return Reply(f"{head}\n{text}\n\nThere is nothing to chart: no device has a balance left.")
    return Reply(f"{head}\n{text}", (chart,))


def _ticket_line(ask: Ask[TelecomPersona], i: int) -> str:
    q, t = ask.q, ask.persona.support_tickets[i]
    resolved = f", resolved {q(f'support_tickets[{i}].resolved')}" if t.resolved else ""
    return (
        f"{q(f'support_tickets[{i}].ticket_id')} ({q(f'support_tickets[{i}].category')}), opened "
        f"{q(f'support_tickets[{i}].opened')}: {q(f'support_tickets[{i}].status')}{resolved}"
    )


def _tickets(ask: Ask[TelecomPersona]) -> Reply:  # noqa: PLR0911 - one early return per shape of answer
    p, q = ask.persona, ask.q
    tickets = p.support_tickets
    subject = ask.intent.subject
    if subject is not None and subject.kind == "ticket":
        rows = [i for i, t in enumerate(tickets) if t.ticket_id == subject.value]
    elif subject is not None and subject.kind == "ticket_category":  # "the signal problem I reported"
        rows = [i for i, t in enumerate(tickets) if t.category == subject.value]
        if not rows:
            return Reply(f"You have no {subject.value} tickets on file.")
        return Reply(f"Your latest {subject.value} ticket: {_ticket_line(ask, rows[0])}.")
    elif (ask.says(_RULES.pattern("open")) and not ask.says(_RULES.pattern("opened"))) or "open" in ask.intent.facets:
        rows = [i for i, t in enumerate(tickets) if t.status == "Open"]
        if not rows and tickets:
            return Reply(f"You have no open support tickets. Your latest: {_ticket_line(ask, 0)}.")
        if not rows:
            return Reply("You have no open support tickets.")
    else:
        rows = list(range(len(tickets)))
    if not tickets:
        return Reply("You have no support tickets on file.")
    if ask.intent.chart:
        counts: dict[str, int] = {}
        for t in tickets:
            counts[t.category] = counts.get(t.category, 0) + 1
        chart = chart_result(ask.chart_type("bar"), "Support tickets by category", sorted(counts.items()))
        text = bullets([_ticket_line(ask, i) for i in rows])
        return Reply(f"Your support tickets:\n{text}", (chart,) if chart else ())
    ordinal = ask.intent.ordinal
    one = ask.says(_RULES.pattern("one_ticket"))
    if ordinal is None and len(rows) == len(tickets) and one:
        ordinal = 0  # "my ticket", "the complaint": the latest one
    index = pick(tickets, newest_first(ordinal))
    if index is not None:
        return Reply(f"That ticket: {_ticket_line(ask, index)}.")
    head = f"You have {plural(q('derived.ticket_count'), 'support ticket', 'support tickets')} on file"
    head += f" ({q('derived.open_ticket_count')} open):"
    return Reply(f"{head}\n{bullets([_ticket_line(ask, i) for i in rows])}")


def _overview(ask: Ask[TelecomPersona]) -> Reply:
    q = ask.q
    lines = [
        f"Plan: {q('plan_name')} at {q('monthly_price')} a month",
        f"Data used this cycle: {q('data_used_gb')}",
        f"Next bill (estimate): {q('next_bill_estimate')}",
        f"Devices: {q('derived.device_count')}",
        f"Open tickets: {q('derived.open_ticket_count')}",
    ]
    return Reply(f"Here's your snapshot, {ask.first_name}:\n{bullets(lines)}", (key_metrics(ask),))


def _security(ask: Ask[TelecomPersona]) -> Reply:
    return Reply(
        "For your security I can't share or ask for PINs, passwords or full card numbers in this chat. "
        f"I can help with {TOPICS}."
    )


def _account_number(ask: Ask[TelecomPersona]) -> Reply:
    return Reply(f"Your account number is {ask.q('account_number')}.")


def _member_since(ask: Ask[TelecomPersona]) -> Reply:
    return Reply(f"You've been a {ask.mode.company_name} customer since {ask.q('member_since')}.")


def _key_numbers(ask: Ask[TelecomPersona]) -> Reply:
    q = ask.q
    return Reply(
        f"Here are your key numbers, {ask.first_name}: {q('data_used_gb')} of data used this cycle and a next bill "
        f"of about {q('next_bill_estimate')}.",
        (key_metrics(ask),),
    )


_HANDLERS: dict[str, Callable[[Ask[TelecomPersona]], Reply]] = {
    "usage": _usage,
    "bill": _bill,
    "plan": _plan,
    "broadband": _broadband,
    "contract": _contract,
    "devices": _devices_reply,
    "tickets": _tickets,
    "overview": _overview,
    "security": _security,
    "account_number": _account_number,
    "member_since": _member_since,
}


# --- what the records do not hold ----------------------------------------------

_BILLED = frozenset({"bill", "usage"})


_NOT_ON_FILE = _RULES.pattern("not_on_file")


def _focus(intent: Intent, text: str) -> str | None:
    """A rate, roaming or coverage question with no topic of its own is answered from the plan."""
    if intent.topic is None and ("rate" in intent.gaps or re.search(_NOT_ON_FILE, text)):
        return "plan"
    return intent.topic


def _period_note(ask: Ask[TelecomPersona], topic: str) -> str | Defer | None:
    gaps = ask.intent.gaps
    if topic == "usage" and gaps & {"window", "today", "this_year", "per_year"}:
        return "I don't have usage for other periods, only this billing cycle's."
    if topic == "bill" and gaps & {"window", "this_year", "per_year"}:
        return "I don't have bills for other periods, only your last few monthly bills, listed here."
    if topic in _BILLED:
        return None
    return DEFER


def _detail_note(ask: Ask[TelecomPersona], topic: str) -> str | None:
    if ask.says(_RULES.pattern("roaming")):
        return "I don't have roaming or international rates in your records."
    if ask.says(_RULES.pattern("coverage")) and topic != "tickets":
        return "I don't have network coverage or outage information in your records."
    return None


SIMULATOR: Simulator[TelecomPersona] = Simulator(
    grammar=GRAMMAR,
    help_topics=TOPICS,
    subject_rules=subject_rules,
    handlers=_HANDLERS,
    key_numbers=_key_numbers,
    chart_topic="usage",  # a chart request with no topic
    focus=_focus,
    detail_note=_detail_note,
    period_note=_period_note,
    chartless=frozenset({"plan", "contract", "broadband", "account_number", "security"}),
    no_note=frozenset({"security"}),
    dated=frozenset({"contract", "account_number", "tickets", "devices"}),
)
