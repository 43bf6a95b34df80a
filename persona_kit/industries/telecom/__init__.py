"""Telecom: a mobile and home broadband provider's customer (plan, usage, devices, bills, tickets)."""

from __future__ import annotations

from persona_kit.formatting import Formatter
from persona_kit.industries.registry import CURRENCY, CardLayout, ChartDef, Industry, MetricDef
from persona_kit.industries.telecom.facts import UNLIMITED, gigabytes, telecom_sections
from persona_kit.industries.telecom.generator import generate_telecom, telecom_stats
from persona_kit.industries.telecom.model import Bill, Device, TelecomPersona, Ticket
from persona_kit.industries.telecom.one import one_telecom


def _remaining(p: TelecomPersona, f: Formatter) -> float | str:
    """Data left this cycle in GB, or "Unlimited"."""
    if p.data_allowance_gb is None:
        return UNLIMITED
    return round(max(p.data_allowance_gb - p.data_used_gb, 0.0), 1)


def _remaining_tile(p: TelecomPersona, f: Formatter) -> str:
    left = _remaining(p, f)
    return left if isinstance(left, str) else gigabytes(left, f)


SYNONYMS = (
    "telecom", "telco", "telecoms", "telecommunications", "phone", "phone company", "mobile", "mobile phone",
    "mobile carrier", "carrier", "mobile provider", "mobile operator", "mobile network", "wireless",
    "wireless carrier", "wireless provider", "cell phone", "cellphone", "cell", "network operator", "broadband",
    "broadband provider", "internet", "internet provider", "isp", "cable", "cable company",
    "internet service provider", "telecom operator", "telecommunications company", "phone provider",
    "telephone company", "telephone", "cellular provider", "fibre provider", "fiber provider",
    "mobile network operator", "mvno", "cable tv", "landline", "landline provider", "satellite tv",
    "tv provider", "pay tv", "satellite tv provider", "tv company", "mobile virtual network operator",
    "virtual network operator", "5g provider", "5g network", "4g provider", "fibre broadband", "fiber broadband",
    "cell carrier", "cell network", "cell provider", "phone carrier", "mobile phone carrier", "telecom company", "nbn",
    "nbn provider",
)  # fmt: skip
"""Words that name the industry in a mode request ("Presto-Change-O, you're a telco")."""

BRAND_WORDS = (
    "fiber", "fibre", "telecom", "telecoms", "broadband", "cellular", "comms", "communications", "networks",
    "wireless", "mobile", "telco", "5g", "4g", "telephone", "cable",
)  # fmt: skip
"""Words that tell telecom inside a company's name ("Nimbus Fiber", "Skylink Fibre"), not alone."""

KNOWN_BRANDS = (
    "verizon", "vodafone", "bt", "at&t", "t-mobile", "comcast", "xfinity", "sprint", "ee", "o2", "virgin media",
    "sky broadband", "talktalk", "orange", "telstra", "optus", "rogers", "bell canada", "telus", "deutsche telekom",
    "telefonica", "movistar", "jio", "airtel", "spectrum", "cox", "giffgaff", "three mobile", "mint mobile",
)  # fmt: skip
"""Well-known carriers a presenter may name ("Pretend to be Vodafone customer care")."""

INDUSTRY = Industry(
    kind="telecom",
    model=TelecomPersona,
    generate=generate_telecom,
    generate_one=one_telecom,
    stats=telecom_stats,
    facts=telecom_sections,
    metrics=(
        MetricDef("Data remaining", "GB", _remaining, tile=_remaining_tile),
        MetricDef("Data used", "GB", lambda p, f: p.data_used_gb, tile=lambda p, f: gigabytes(p.data_used_gb, f)),
        MetricDef("Next bill", CURRENCY, lambda p, f: p.next_bill_estimate),
        MetricDef("Plan", "plan", lambda p, f: p.plan_name),
        MetricDef("Monthly price", CURRENCY, lambda p, f: p.monthly_price),
        MetricDef("Devices", "devices", lambda p, f: len(p.devices)),
        MetricDef("Open tickets", "tickets", lambda p, f: sum(t.status == "Open" for t in p.support_tickets)),
    ),
    card_metrics=("Data remaining", "Next bill", "Plan", "Data used", "Devices", "Open tickets"),
    tool_metrics=("Data used", "Data remaining", "Next bill", "Monthly price", "Open tickets"),
    charts=(
        ChartDef("Data used this cycle", "data", "GB"),
        ChartDef("Bills by month", "month", "amount ({currency})"),
        ChartDef("Device balances", "device", "amount ({currency})"),
        ChartDef("Support tickets by category", "category", "tickets"),
    ),
    synonyms=SYNONYMS,
    brand_words=BRAND_WORDS,
    known_brands=KNOWN_BRANDS,
    simulator="persona_kit.industries.telecom.answers",
    card=CardLayout(
        since=lambda p: ("customer since", p.member_since),
        header_facts=lambda p: (f"account {p.account_number}",),
    ),
    count_nouns=(
        (r"devices?", r"^derived\.device_count$"),
        (r"(?:support )?tickets?", r"^derived\.(?:open_)?ticket_count$"),
        (r"months?", r"\.months_remaining$|\.instalment_months$"),
        (r"gb", r"_gb$"),
    ),
)

__all__ = ["INDUSTRY", "Bill", "Device", "TelecomPersona", "Ticket"]
