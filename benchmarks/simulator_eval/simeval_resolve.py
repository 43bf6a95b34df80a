"""``resolve(field, persona)``: a field of the convention (README) to the :class:`Entry` a reply must state.

Account-level figures (balances, totals, counts, identity) are here; fields on a list
(``transactions[...]``, ``policies.Auto.x``, ``bills[0]``...) go to :mod:`simeval_fields`.
A ``{"any_of": [...]}`` entry is a :class:`Choice`: stating any one alternative is enough.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simeval_cues import about_words
from simeval_fields import LISTINGS, Entry, FieldError, Part, resolve_listing
from simeval_figures import Clock, Day, Listed, Money, Number, Percent, Phone, Text, Value

from persona_kit.facts import inline
from persona_kit.formatting import Formatter, formatter_for
from persona_kit.industries.generic.model import STATUS_TIERS, TIER_POINTS
from persona_kit.industries.insurance.model import OPEN_STATUSES

Scalar = Callable[[Any, Formatter], Entry]
Listable = Money | Number | Day | Clock | Text


@dataclass(frozen=True)
class Choice:
    """One expected ``fields`` entry: a plain field is a choice of one."""

    options: tuple[Entry, ...]

    @property
    def shown(self) -> str:
        return " | ".join(f"{e.field}={e.shown}" for e in self.options)


def _entry(field: str, shown: str, *values: Value) -> Entry:
    return Entry(field, (tuple(values),), shown)


def money(field: str, get: Callable[[Any], float]) -> Scalar:
    return lambda p, f: _entry(field, f.money(get(p)), Money(round(get(p), 2)))


def count(field: str, get: Callable[[Any], float]) -> Scalar:
    return lambda p, f: _entry(field, f.number(get(p)), Number(get(p)))


def listed_count(
    field: str,
    rows: Callable[[Any], list[Any]],
    key: Callable[[Any], Listable],
    every: Callable[[Any], list[Any]] | None = None,
) -> Scalar:
    """A count of ``rows``: the number, or a list naming exactly those rows (not the others of ``every``)."""

    def entry(p: Any, f: Formatter) -> Entry:
        chosen = rows(p)
        others = [r for r in (every(p) if every else []) if r not in chosen]
        listing = Listed(tuple(key(r) for r in chosen), tuple(key(r) for r in others))
        return _entry(field, f.number(len(chosen)), Number(len(chosen)), listing)

    return entry


def text(field: str, *gets: Callable[[Any], str]) -> Scalar:
    return lambda p, _f: _entry(field, gets[0](p), Text(tuple(g(p) for g in gets)))


def day(field: str, get: Callable[[Any], dt.date], *, loose: bool = False) -> Scalar:
    return lambda p, f: _entry(field, f.day(get(p)), Day(get(p), loose=loose, as_of=p.as_of))


def share(field: str, get: Callable[[Any], float]) -> Scalar:
    return lambda p, f: _entry(field, f.share(get(p)), Percent(100 * get(p)))


def gigabytes(field: str, get: Callable[[Any], float | None]) -> Scalar:
    def entry(p: Any, f: Formatter) -> Entry:
        value = get(p)
        if value is None:
            return _entry(field, "Unlimited", Text(("unlimited",)))
        return _entry(field, f"{f.number(value)} GB", Number(value, tol=0.05))

    return entry


def _spending(p: Any) -> list[tuple[str, float, int]]:
    totals: dict[str, tuple[float, int]] = {}
    for t in p.recent_transactions:
        if t.amount < 0:
            total, n = totals.get(t.category, (0.0, 0))
            totals[t.category] = (total - t.amount, n + 1)
    return sorted(((c, round(t, 2), n) for c, (t, n) in totals.items()), key=lambda r: (-r[1], r[0]))


def spending(field: str, p: Any, f: Formatter) -> Entry:
    rows = _spending(p)
    _, category, *rest = field.split(".")
    if rest not in ([], ["total"], ["count"], ["category"]):
        msg = f"{field}: expected spending.<Category>, spending.*, or spending.top_category, then .total or .count"
        raise FieldError(msg)
    if category == "*":
        if rest == ["count"]:
            counts = tuple((Number(n),) for _, _, n in rows)
            return Entry(field, counts, "; ".join(f"{c} {f.number(n)}" for c, _, n in rows), absent=not rows)
        if rest == ["category"]:
            names = tuple((Text((c,)),) for c, _, _ in rows)
            return Entry(field, names, ", ".join(c for c, _, _ in rows), absent=not rows)
        parts = tuple((Money(total),) for _, total, _ in rows)
        return Entry(field, parts, "; ".join(f"{c} {f.money(t)}" for c, t, _ in rows), absent=not rows)
    if category == "top_category":
        if not rows:
            return Entry(field, (), "no spending", absent=True)
        top = rows[0]
        if rest == ["total"]:
            return _entry(field, f.money(top[1]), Money(top[1]))
        if rest == ["count"]:
            return _entry(field, f.number(top[2]), Number(top[2]))
        return _entry(field, top[0], Text((top[0],)))
    found = {c.casefold(): (t, n) for c, t, n in rows}.get(category.casefold(), (0.0, 0))
    if rest == ["count"]:
        return listed_count(
            field,
            lambda q: [
                t for t in q.recent_transactions if t.amount < 0 and t.category.casefold() == category.casefold()
            ],
            lambda t: Money(t.amount, signed=False),
            lambda q: list(q.recent_transactions),
        )(p, f)
    return _entry(field, f.money(found[0]), Money(found[0]))  # .total, or the bare category


def _next_renewal(p: Any) -> Any:
    return min(p.active_policies, key=lambda x: (x.renewal_date, x.policy_number))


def _points_to_next(p: Any, f: Formatter) -> Entry:
    tier = STATUS_TIERS.index(p.status)
    if tier + 1 >= len(STATUS_TIERS):
        return _entry("points_to_next_tier", "top tier reached", Text(("top tier", "highest tier", "highest status")))
    left = TIER_POINTS[tier + 1] - p.loyalty_points
    return _entry("points_to_next_tier", f.number(left), Number(left))


def _contract_end(p: Any, f: Formatter) -> Entry:
    end = p.contract_end_date
    if end is None:
        return _entry("contract_end_date", "rolling monthly", Text(("rolling", "no minimum term", "no contract")))
    return _entry("contract_end_date", f.day(end), Day(end))


def _broadband(p: Any, f: Formatter) -> Entry:
    if p.broadband_speed_mbps is None:
        return Entry("broadband_speed", (), "no broadband on the plan", absent=True)
    return _entry("broadband_speed", f"{f.number(p.broadband_speed_mbps)} Mbps", Number(p.broadband_speed_mbps))


def _data_remaining(p: Any, f: Formatter) -> Entry:
    if p.data_allowance_gb is None:
        return _entry("data_remaining", "Unlimited", Text(("unlimited",)))
    left = round(max(p.data_allowance_gb - p.data_used_gb, 0.0), 1)
    return _entry("data_remaining", f"{f.number(left)} GB", Number(left, tol=0.05))


def _overage(p: Any, f: Formatter) -> Entry:
    """On unlimited data there is no overage: saying the data is unlimited answers "any extra charges?"."""
    entry = money("overage_charge", lambda q: q.overage_charge)(p, f)
    if p.data_allowance_gb is None and p.overage_charge == 0:
        return Entry(entry.field, ((*entry.parts[0], Text(("unlimited",))),), entry.shown)
    return entry


def _broadband_price(p: Any, f: Formatter) -> Entry:
    if p.broadband_price is None:
        return Entry("broadband_price", (), "no broadband on the plan", absent=True)
    return _entry("broadband_price", f.money(p.broadband_price), Money(p.broadband_price))


def _data_used_share(p: Any, f: Formatter) -> Entry:
    if p.data_allowance_gb is None:
        return _entry("data_used_share", "Unlimited", Text(("unlimited",)))
    return share("data_used_share", lambda q: q.data_used_gb / q.data_allowance_gb)(p, f)


def _next_renewal_entry(p: Any, f: Formatter) -> Entry:
    pol = _next_renewal(p)
    parts = ((Day(pol.renewal_date),), (Text((pol.type, pol.policy_number)),))
    return Entry("next_renewal", parts, f"{f.day(pol.renewal_date)} ({pol.type}, {pol.policy_number})")


def _address(p: Any, _f: Formatter) -> Entry:
    a = p.identity.address
    street = inline(a.street)  # a UK street may be two lines ("Flat 86B\nHenderson Gardens")
    return Entry("identity.address", ((Text((street,)),), (Text((a.city,)),)), f"{street}, {a.city}")


def _risk(p: Any, f: Formatter) -> Entry:
    return _entry(
        "risk_score", f"{p.risk_score} ({f.number(p.risk_points)} points)", Text((p.risk_score,)), Number(p.risk_points)
    )


CURRENCY_NAMES: dict[str, tuple[str, ...]] = {
    "USD": ("us dollar", "u.s. dollar", "dollars"),
    "GBP": ("pound sterling", "british pound", "pounds sterling", "pounds"),
    "EUR": ("euro",),
    "JPY": ("japanese yen", "yen"),
}

IDENTITY: dict[str, Scalar] = {
    "identity.name": text(
        "identity.name", lambda p: p.name, lambda p: f"{p.identity.first_name} {p.identity.last_name}"
    ),
    "identity.first_name": text("identity.first_name", lambda p: p.identity.first_name),
    "identity.last_name": text("identity.last_name", lambda p: p.identity.last_name),
    "identity.street": text("identity.street", lambda p: inline(p.identity.address.street)),
    "identity.city": text("identity.city", lambda p: p.identity.address.city),
    "identity.postcode": text("identity.postcode", lambda p: p.identity.address.postcode),
    "identity.country": text("identity.country", lambda p: p.identity.address.country),
    "identity.dob": day("identity.dob", lambda p: p.identity.date_of_birth),
    "identity.age": count("identity.age", lambda p: p.identity.age),
    "identity.email": text("identity.email", lambda p: p.identity.email),
    "identity.phone": lambda p, _f: _entry(
        "identity.phone", p.identity.phone, Phone("".join(c for c in p.identity.phone if c.isdigit()))
    ),
    "identity.address": _address,
    "identity.locale": text(
        "identity.locale", lambda p: p.identity.locale, lambda p: p.identity.locale.replace("_", "-")
    ),
    "identity.currency": lambda p, _f: _entry(
        "identity.currency",
        p.identity.currency,
        Text((p.identity.currency, *CURRENCY_NAMES.get(p.identity.currency, ()))),
    ),
}

SCALARS: dict[str, dict[str, Scalar]] = {
    "banking": {
        "member_since": day("member_since", lambda p: p.member_since, loose=True),
        "checking_balance": money("checking_balance", lambda p: p.checking_balance),
        "savings_balance": money("savings_balance", lambda p: p.savings_balance),
        "total_balance": money("total_balance", lambda p: p.checking_balance + p.savings_balance),
        "account_last4": text("account_last4", lambda p: p.account_number_last4),
        "credit_score": count("credit_score", lambda p: p.credit_score),
        "credit_limit": money("credit_limit", lambda p: p.credit_limit),
        "credit_used": money("credit_used", lambda p: p.credit_used),
        "available_credit": money("available_credit", lambda p: p.credit_limit - p.credit_used),
        "credit_utilization": share(
            "credit_utilization", lambda p: p.credit_used / p.credit_limit if p.credit_limit else 0
        ),
        "txn_30d.count": listed_count(
            "txn_30d.count", lambda p: list(p.recent_transactions), lambda t: Money(t.amount, signed=False)
        ),
        "txn_30d.total_spent": money(
            "txn_30d.total_spent", lambda p: -sum(t.amount for t in p.recent_transactions if t.amount < 0)
        ),
        "txn_30d.total_received": money(
            "txn_30d.total_received", lambda p: sum(t.amount for t in p.recent_transactions if t.amount > 0)
        ),
    },
    "insurance": {
        "member_since": day("member_since", lambda p: p.member_since, loose=True),
        "policies.count": listed_count(
            "policies.count", lambda p: list(p.active_policies), lambda x: Text((x.policy_number,))
        ),
        "total_coverage": money("total_coverage", lambda p: p.total_coverage),
        "monthly_premium": money("monthly_premium", lambda p: p.monthly_premium),
        "annual_premium": money("annual_premium", lambda p: p.monthly_premium * 12),
        "risk_score": _risk,
        "next_renewal.date": day("next_renewal.date", lambda p: _next_renewal(p).renewal_date),
        "next_renewal": _next_renewal_entry,
        "risk_points": count("risk_points", lambda p: p.risk_points),
        "next_renewal.policy": text(
            "next_renewal.policy", lambda p: _next_renewal(p).type, lambda p: _next_renewal(p).policy_number
        ),
        "claims.count": listed_count("claims.count", lambda p: list(p.claims_history), lambda c: Text((c.claim_id,))),
        "claims.open_count": listed_count(
            "claims.open_count",
            lambda p: [c for c in p.claims_history if c.status in OPEN_STATUSES],
            lambda c: Text((c.claim_id,)),
            lambda p: list(p.claims_history),
        ),
        "claims.total_claimed": money("claims.total_claimed", lambda p: sum(c.amount for c in p.claims_history)),
        "claims.total_paid": money("claims.total_paid", lambda p: sum(c.paid_amount for c in p.claims_history)),
    },
    "healthcare": {
        "member_id": text("member_id", lambda p: p.member_id),
        "plan_name": text("plan_name", lambda p: p.plan_name),
        "plan_type": text("plan_type", lambda p: p.plan_type),
        "pcp": text("pcp", lambda p: p.primary_care_provider, lambda p: p.primary_care_provider.removeprefix("Dr. ")),
        "deductible": money("deductible", lambda p: p.deductible),
        "deductible_met": money("deductible_met", lambda p: p.deductible_met),
        "deductible_remaining": money("deductible_remaining", lambda p: p.deductible - p.deductible_met),
        "deductible_share_met": share(
            "deductible_share_met", lambda p: p.deductible_met / p.deductible if p.deductible else 1
        ),
        "oop_max": money("oop_max", lambda p: p.out_of_pocket_max),
        "oop_spent": money("oop_spent", lambda p: p.out_of_pocket_spent),
        "oop_remaining": money("oop_remaining", lambda p: p.out_of_pocket_max - p.out_of_pocket_spent),
        "appointments.count": listed_count(
            "appointments.count", lambda p: list(p.upcoming_appointments), lambda a: Day(a.date)
        ),
        "prescriptions.count": listed_count(
            "prescriptions.count", lambda p: list(p.active_prescriptions), lambda r: Text((r.medication,))
        ),
    },
    "telecom": {
        "member_since": day("member_since", lambda p: p.member_since, loose=True),
        "account_number": text("account_number", lambda p: p.account_number),
        "plan_name": text("plan_name", lambda p: p.plan_name),
        "plan_type": text("plan_type", lambda p: p.plan_type),
        "monthly_price": money("monthly_price", lambda p: p.monthly_price),
        "data_allowance": gigabytes("data_allowance", lambda p: p.data_allowance_gb),
        "data_used": gigabytes("data_used", lambda p: p.data_used_gb),
        "data_remaining": _data_remaining,
        "cycle_end_date": day("cycle_end_date", lambda p: p.cycle_end),
        "overage_charge": _overage,
        "contract_end_date": _contract_end,
        "broadband_speed": _broadband,
        "next_bill": money("next_bill", lambda p: p.next_bill_estimate),
        "next_bill_estimate": money("next_bill_estimate", lambda p: p.next_bill_estimate),
        "broadband_price": _broadband_price,
        "cycle_start_date": day("cycle_start_date", lambda p: p.cycle_start),
        "data_used_share": _data_used_share,
        "devices.count": count("devices.count", lambda p: len(p.devices)),
        "tickets.count": count("tickets.count", lambda p: len(p.support_tickets)),
        "tickets.open_count": listed_count(
            "tickets.open_count",
            lambda p: [t for t in p.support_tickets if t.status == "Open"],
            lambda t: Text((t.ticket_id,)),
            lambda p: list(p.support_tickets),
        ),
    },
    "generic": {
        "customer_since": day("customer_since", lambda p: p.customer_since, loose=True),
        "account_value": money("account_value", lambda p: p.account_value),
        "activity_count": count("activity_count", lambda p: p.activity_count),
        "last_activity_date": day("last_activity_date", lambda p: p.last_activity_date),
        "loyalty_points": count("loyalty_points", lambda p: p.loyalty_points),
        "status_tier": text("status_tier", lambda p: p.status),
        "points_to_next_tier": _points_to_next,
    },
}


def _with_about(entry: Entry) -> Entry:
    """Zeros and absent items get the words a reply saying "none" must use."""
    about = about_words(entry.field)
    if entry.absent:
        return dataclasses.replace(entry, about=about)
    parts = tuple(
        tuple(
            dataclasses.replace(v, about=about)
            if isinstance(v, Money | Number | Percent) and abs(getattr(v, "amount", getattr(v, "value", 1.0))) < 0.005
            else v
            for v in part
        )
        for part in entry.parts
    )
    return dataclasses.replace(entry, parts=parts)


def resolve(field: str, persona: Any) -> Entry:
    """The entry for ``field`` on ``persona``; :class:`FieldError` names what is wrong with an unknown field."""
    return _with_about(_resolve(field, persona))


ALIASES: dict[str, dict[str, str]] = {
    # the same fact under the name another industry or the prompt gives it
    "generic": {"member_since": "customer_since", "status": "status_tier", "points": "loyalty_points"},
    "banking": {"customer_since": "member_since", "account_number_last4": "account_last4"},
    "insurance": {"customer_since": "member_since", "policy_count": "policies.count"},
    "telecom": {
        "customer_since": "member_since", "plan_price": "monthly_price", "cycle_end": "cycle_end_date",
        "data_allowance_gb": "data_allowance", "data_used_gb": "data_used", "broadband_speed_mbps": "broadband_speed",
    },
    "healthcare": {"primary_care_provider": "pcp", "out_of_pocket_max": "oop_max", "out_of_pocket_spent": "oop_spent"},
}  # fmt: skip
_SELECTOR_SPACES = re.compile(r"""\[\s*(\w+)\s*([=~])\s*["']?([^\]"']*?)["']?\s*\]""")


def _resolve(field: str, persona: Any) -> Entry:
    f = formatter_for(persona)
    kind = persona.kind
    field = _SELECTOR_SPACES.sub(r"[\1\2\3]", " ".join(field.split()))  # [type = "Tablet"] -> [type=Tablet]
    field = ALIASES.get(kind, {}).get(field, field)
    if field in IDENTITY:
        return IDENTITY[field](persona, f)
    scalars = SCALARS.get(kind, {})
    if field in scalars:
        return scalars[field](persona, f)
    if kind == "banking" and field.startswith("spending."):
        return spending(field, persona, f)
    for base, listing in LISTINGS.get(kind, {}).items():
        if field == base or field.startswith((f"{base}[", f"{base}.")):
            return resolve_listing(field, listing, field[len(base) :], persona, f)
    known = [*IDENTITY, *scalars, *(f"{b}[...]" for b in LISTINGS.get(kind, {}))]
    msg = f"unknown field {field!r} for a {kind} persona; known: {', '.join(known)}"
    raise FieldError(msg)


def resolve_choice(spec: object, persona: Any) -> Choice:
    """One ``fields`` entry (a name or ``{"any_of": [...]}``) as a :class:`Choice`."""
    if isinstance(spec, str):
        return Choice((resolve(spec, persona),))
    if isinstance(spec, dict) and set(spec) == {"any_of"} and isinstance(spec["any_of"], list) and spec["any_of"]:
        return Choice(tuple(resolve(str(s), persona) for s in spec["any_of"]))
    msg = f"a fields entry is a field name or {{'any_of': [names]}}, got {spec!r}"
    raise FieldError(msg)


__all__ = [
    "CURRENCY_NAMES",
    "IDENTITY",
    "SCALARS",
    "Choice",
    "Part",
    "about_words",
    "resolve",
    "resolve_choice",
]
