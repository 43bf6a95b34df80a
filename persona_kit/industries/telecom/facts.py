"""What the system prompt states about a telecom customer: plan and usage, charges, devices, bills, tickets."""

from __future__ import annotations

from persona_kit.facts import Fact, Section, fact, table
from persona_kit.formatting import Formatter
from persona_kit.industries.telecom.model import TelecomPersona

UNLIMITED = "Unlimited"


def gigabytes(value: float, f: Formatter) -> str:
    """``12.3 GB`` in the locale's decimal style (``12,3 GB``)."""
    return f"{f.number(value)} GB"


def _plan(p: TelecomPersona, f: Formatter) -> Section:
    allowance = p.data_allowance_gb
    lines: list[Fact] = [
        fact("member_since", "Customer since", f.day(p.member_since)),
        fact("account_number", "Account number", p.account_number),
        fact("plan_name", "Plan", p.plan_name),
        fact("plan_type", "Plan type", p.plan_type),
        fact("monthly_price", "Plan price (monthly)", f.money(p.monthly_price)),
        fact(
            "data_allowance_gb",
            "Data allowance (per cycle)",
            UNLIMITED if allowance is None else gigabytes(allowance, f),
        ),
        fact("data_used_gb", "Data used this cycle", gigabytes(p.data_used_gb, f)),
    ]
    if allowance is not None:
        left = max(allowance - p.data_used_gb, 0.0)
        lines += [
            fact("derived.data_remaining_gb", "Data remaining this cycle", gigabytes(round(left, 1), f)),
            fact("derived.data_used_share", "Share of allowance used", f.share(p.data_used_gb / allowance)),
        ]
    lines += [
        fact("cycle_start", "Billing cycle started", f.day(p.cycle_start)),
        fact("cycle_end", "Billing cycle ends", f.day(p.cycle_end)),
        fact("overage_charge", "Overage charge this cycle", f.money(p.overage_charge)),
    ]
    if p.broadband_speed_mbps is not None and p.broadband_price is not None:
        lines += [
            fact("broadband_speed_mbps", "Home broadband speed", f"{f.number(p.broadband_speed_mbps)} Mbps"),
            fact("broadband_price", "Home broadband price (monthly)", f.money(p.broadband_price)),
        ]
    end = p.contract_end_date
    lines += [
        fact("contract_end_date", "Contract ends", "no minimum term (rolling monthly)" if end is None else f.day(end)),
        fact("derived.monthly_instalments", "Device instalments (monthly)", f.money(_instalments(p))),
        fact("next_bill_estimate", "Next bill (estimate)", f.money(p.next_bill_estimate)),
    ]
    return Section("Plan, usage and charges", lines=tuple(lines))


def _instalments(p: TelecomPersona) -> float:
    return sum(d.monthly_instalment for d in p.devices)


def telecom_sections(p: TelecomPersona, f: Formatter) -> list[Section]:
    """The plan, usage and charges; then devices, recent bills and support tickets, one row each."""
    open_tickets = sum(t.status == "Open" for t in p.support_tickets)
    summary = Section(
        "Account summary",
        lines=(
            fact("derived.device_count", "Devices", f.number(len(p.devices))),
            fact("derived.instalment_balance", "Device balance left to pay", f.money(
                sum(d.instalment_balance for d in p.devices)
            )),
            fact("derived.latest_bill", "Latest bill", f.money(p.recent_bills[0].amount) if p.recent_bills else "none"),
            fact("derived.ticket_count", "Support tickets (last 2 years)", f.number(len(p.support_tickets))),
            fact("derived.open_ticket_count", "Open tickets", f.number(open_tickets)),
        ),
    )  # fmt: skip
    devices = table(
        "Devices",
        "devices",
        [
            [
                ("name", "Device", d.name),
                ("type", "Type", d.type),
                ("price", "Price", f.money(d.price)),
                ("financed", "Financed", "yes" if d.financed else "no"),
                ("instalment_months", "Instalments", f.number(d.instalment_months)),
                ("monthly_instalment", "Monthly instalment", f.money(d.monthly_instalment) if d.financed else "paid"),
                ("months_remaining", "Months remaining", f.number(d.months_remaining)),
                ("instalment_balance", "Balance left", f.money(d.instalment_balance)),
            ]
            for d in p.devices
        ],
        "No devices on the account.",
    )
    bills = table(
        "Recent bills (newest first)",
        "recent_bills",
        [
            [
                ("date", "Date", f.day(b.date)),
                ("amount", "Amount", f.money(b.amount)),
                ("due_date", "Due", f.day(b.due_date)),
                ("status", "Status", b.status),
            ]
            for b in p.recent_bills
        ],
        "No bills yet.",
    )
    tickets = table(
        "Support tickets (newest first)",
        "support_tickets",
        [
            [
                ("ticket_id", "Ticket", t.ticket_id),
                ("opened", "Opened", f.day(t.opened)),
                ("category", "Category", t.category),
                ("status", "Status", t.status),
                ("resolved", "Resolved", f.day(t.resolved) if t.resolved else "-"),
            ]
            for t in p.support_tickets
        ],
        "No support tickets.",
    )
    return [_plan(p, f), summary, devices, bills, tickets]
