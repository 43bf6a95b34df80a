"""Resolving an evaluation item's ``fields`` (README, "Field naming convention") to a persona's values.

Written from the persona models alone, not from the simulator: ``resolve(field, persona)`` gives an
:class:`Entry`, the parts a correct reply must state (each part: any one of its values), or, for a
named item or filter with nothing on file (an Umbrella policy the persona lacks, no open claims),
``absent`` with the figures of the other items, which such a reply must not quote.

Grammar: ``base[sel][sel].sub``; ``base.Name.sub`` names one item (policy type, medication);
``base.count`` counts a list. Selectors: an index (``0``, ``-1``), ``*`` (every item), ``key=value``, ``key!=value``,
``key~text`` (contains), ``max_x`` / ``min_x``, and per-list filters (``debit``, ``income``, ``open``,
``statin``, ``next_renewal``). A bare row (no ``.sub``) needs the row's key sub-fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from simeval_figures import Clock, Day, Money, Number, Text, Value

from persona_kit.formatting import Formatter
from persona_kit.industries.insurance.model import OPEN_STATUSES, status_label

Part = tuple[Value, ...]
"""Any one of these values states the part."""


class FieldError(ValueError):
    """A field name the convention does not define (or not for this industry)."""


@dataclass(frozen=True)
class Entry:
    """What a reply must state for one field: every part, or (``absent``) that there is none."""

    field: str
    parts: tuple[Part, ...]
    shown: str
    """The expected value(s) as the prompt spells them, for failure listings."""
    absent: bool = False
    siblings: tuple[Value, ...] = ()
    """When absent: the other items' figures, which a reply must not quote instead."""
    about: tuple[str, ...] = ()
    """When absent: words naming what is missing; a reply says so in a sentence that names one."""
    others: tuple[tuple[Value, ...], ...] = ()
    """When one item of a list is asked for: every value of each other item. A reply that quotes
    two or more other items lists the records instead of answering (``unfocused``)."""


# --- sub-fields of each list -------------------------------------------------------------

Sub = Callable[[Any, Any, Formatter], tuple[Part, str]]


def _money(get: Callable[[Any], float], *, signed: bool = True, paid_word: bool = False) -> Sub:
    """An amount; ``paid_word``: a zero may also be put in words ("paid off")."""

    def sub(item: Any, _p: Any, f: Formatter) -> tuple[Part, str]:
        amount = get(item)
        values: list[Value] = [Money(amount, signed=signed)]
        if paid_word and amount == 0:
            values.append(Text(("paid off", "paid in full", "bought outright", "no instalment", "no monthly")))
        return tuple(values), f.money(amount)

    return sub


def _paid_off(spelled: tuple[Part, str]) -> tuple[Part, str]:
    """No months left: "paid off" says it too."""
    part, shown = spelled
    if any(isinstance(v, Number) and v.value == 0 for v in part):
        part = (*part, Text(("paid off", "paid in full", "bought outright")))
    return part, shown


def _text(get: Callable[[Any], str], *more: Callable[[Any], str]) -> Sub:
    def sub(item: Any, _p: Any, _f: Formatter) -> tuple[Part, str]:
        options = tuple(dict.fromkeys(o for o in (get(item), *(g(item) for g in more)) if o))
        return (Text(options),), options[0]

    return sub


def _person(get: Callable[[Any], str]) -> Sub:
    """A doctor's name: with or without the title."""
    return _text(get, lambda x: re.sub(r"^(?:dr|mr|mrs|ms)\.?\s+", "", get(x), flags=re.IGNORECASE))


def _day(get: Callable[[Any], dt.date]) -> Sub:
    def sub(item: Any, _p: Any, f: Formatter) -> tuple[Part, str]:
        return (Day(get(item)),), f.day(get(item))

    return sub


def _count(get: Callable[[Any], int]) -> Sub:
    def sub(item: Any, _p: Any, f: Formatter) -> tuple[Part, str]:
        return (Number(get(item)),), f.number(get(item))

    return sub


def _clock(item: Any, _p: Any, _f: Formatter) -> tuple[Part, str]:
    hour, minute = (int(x) for x in item.time.split(":"))
    return (Clock(hour, minute),), item.time


def _claim_status(item: Any, _p: Any, _f: Formatter) -> tuple[Part, str]:
    label = status_label(item.status)
    return (Text((label, item.status, item.status.replace("_", "-"))),), label


@dataclass(frozen=True)
class Listing:
    """One list of a persona: how to get its items and read each sub-field."""

    items: Callable[[Any], Sequence[Any]]
    subs: dict[str, Sub]
    keys: tuple[tuple[str, ...], ...]
    """A bare row's parts: each a tuple of sub-fields, any one of which states the part."""
    name: Callable[[Any], str] | None = None
    """How ``base.Name`` finds an item (policy type, medication)."""
    filters: dict[str, Callable[[Any, Sequence[Any]], list[Any]]] | None = None


def _largest_outflow(_p: Any, rows: Sequence[Any]) -> list[Any]:
    debits = [r for r in rows if r.amount < 0]
    return [min(debits, key=lambda r: r.amount)] if debits else []


def _extreme(attr: str, pick: Callable[..., Any]) -> Callable[[Any, Sequence[Any]], list[Any]]:
    def select(_p: Any, rows: Sequence[Any]) -> list[Any]:
        if not rows:
            return []
        best = pick(getattr(r, attr) for r in rows)
        return [r for r in rows if getattr(r, attr) == best]

    return select


LISTINGS: dict[str, dict[str, Listing]] = {
    "banking": {
        "transactions": Listing(
            lambda p: p.recent_transactions,
            {
                "amount": lambda t, p, f: _money(lambda r: r.amount, signed=t.amount >= 0)(t, p, f),  # "spent $12.50"
                "description": _text(lambda t: t.description),
                "date": _day(lambda t: t.date),
                "category": _text(lambda t: t.category),
                "mcc": _text(lambda t: t.merchant_category),
            },
            (("description",), ("amount",)),
            filters={
                "debit": lambda _p, rows: [r for r in rows if r.amount < 0],
                "income": lambda _p, rows: [r for r in rows if r.amount > 0],
                "max_debit": _largest_outflow,
            },
        ),
    },
    "insurance": {
        "policies": Listing(
            lambda p: p.active_policies,
            {
                "type": _text(lambda x: x.type),
                "policy_number": _text(lambda x: x.policy_number),
                "coverage": _money(lambda x: x.coverage),
                "monthly_premium": _money(lambda x: x.premium),
                "deductible": _money(lambda x: x.deductible),
                "start_date": _day(lambda x: x.start_date),
                "renewal_date": _day(lambda x: x.renewal_date),
            },
            (("type", "policy_number"),),
            name=lambda x: x.type,
            filters={
                "max_premium": _extreme("premium", max),
                "next_renewal": lambda _p, rows: sorted(rows, key=lambda x: (x.renewal_date, x.policy_number))[:1],
            },
        ),
        "claims": Listing(
            lambda p: p.claims_history,
            {
                "id": _text(lambda c: c.claim_id),
                "date": _day(lambda c: c.date),
                "type": _text(lambda c: c.type),
                "amount_claimed": _money(lambda c: c.amount),
                "amount_paid": _money(lambda c: c.paid_amount),
                "status": _claim_status,
                "policy_number": _text(lambda c: c.policy_number),
            },
            (("id", "amount_claimed"),),
            filters={"open": lambda _p, rows: [c for c in rows if c.status in OPEN_STATUSES]},
        ),
    },
    "healthcare": {
        "appointments": Listing(
            lambda p: p.upcoming_appointments,
            {
                "date": _day(lambda a: a.date),
                "time": _clock,
                "provider": _person(lambda a: a.provider),
                "specialty": _text(lambda a: a.specialty),
                "location": _text(lambda a: a.location),
                "reason": _text(lambda a: a.reason),
            },
            (("date",),),
        ),
        "prescriptions": Listing(
            lambda p: p.active_prescriptions,
            {
                "medication": _text(lambda r: r.medication),
                "dosage": _text(lambda r: r.dosage, lambda r: r.dosage.replace(" ", "")),
                "frequency": _text(lambda r: r.frequency),
                "refills_remaining": _count(lambda r: r.refills_remaining),
                "prescriber": _person(lambda r: r.prescriber),
            },
            (("medication",),),
            name=lambda r: r.medication,
            filters={
                "statin": lambda _p, rows: [r for r in rows if "statin" in r.medication.casefold()],
                "min_refills": _extreme("refills_remaining", min),
            },
        ),
    },
    "telecom": {
        "devices": Listing(
            lambda p: p.devices,
            {
                "name": _text(lambda d: d.name),
                "type": _text(lambda d: d.type),
                "price": _money(lambda d: d.price),
                "monthly_instalment": _money(lambda d: d.monthly_instalment, paid_word=True),
                "instalment_balance": _money(lambda d: d.instalment_balance, paid_word=True),
                "months_remaining": lambda d, p, f: _paid_off(_count(lambda x: x.months_remaining)(d, p, f)),
            },
            (("name",),),
            name=lambda d: d.name,
        ),
        "bills": Listing(
            lambda p: p.recent_bills,
            {
                "amount": _money(lambda b: b.amount),
                "date": _day(lambda b: b.date),
                "status": _text(lambda b: b.status),
                "due_date": _day(lambda b: b.due_date),
            },
            (("amount",), ("date", "due_date", "status")),
            filters={"max_amount": _extreme("amount", max)},
        ),
        "tickets": Listing(
            lambda p: p.support_tickets,
            {
                "id": _text(lambda t: t.ticket_id),
                "opened": _day(lambda t: t.opened),
                "category": _text(lambda t: t.category),
                "status": _text(lambda t: t.status),
            },
            (("id", "category"),),
            filters={"open": lambda _p, rows: [t for t in rows if t.status == "Open"]},
        ),
    },
}

# --- selecting items -------------------------------------------------------------------------

_SELECTORS = re.compile(r"\[([^\]]*)\]")


def _select(listing: Listing, p: Any, rows: list[Any], selector: str, where: str) -> tuple[list[Any], bool]:
    """The rows a selector keeps, and whether the result is one item (index, max/min) or a set."""
    if selector == "*":
        return rows, False
    if re.fullmatch(r"-?\d+", selector):
        i = int(selector)
        return ([rows[i]] if -len(rows) <= i < len(rows) else []), True
    filters = listing.filters or {}
    if selector in filters:
        return filters[selector](p, rows), selector.startswith(("max_", "min_", "next_"))
    m = re.fullmatch(r"(\w+)\s*(!=|[=~])\s*(.+)", selector)
    if m:
        key, op, wanted = m.group(1), m.group(2), m.group(3).strip().casefold()
        if key == "provider" and wanted == "pcp":
            wanted = p.primary_care_provider.casefold()

        def value(row: Any) -> str:
            attr = (
                key
                if hasattr(row, key)
                else next((a for a in ("claim_id", "ticket_id") if key == "id" and hasattr(row, a)), key)
            )
            return str(getattr(row, attr, "")).casefold()

        if op == "=":
            return [r for r in rows if value(r) == wanted], False
        if op == "!=":
            return [r for r in rows if value(r) != wanted], False
        return [r for r in rows if wanted in value(r)], False
    msg = (
        f"{where}: unknown selector [{selector}]; use an index, *, key=value, key!=value, key~text or one of "
        f"{sorted(filters)}"
    )
    raise FieldError(msg)


SUB_ALIASES: dict[str, tuple[str, ...]] = {
    # other names for a sub-field, tried in order against the list's own
    "premium": ("monthly_premium",),
    "excess": ("deductible",),
    "amount": ("amount_claimed",),
    "claimed": ("amount_claimed",),
    "paid": ("amount_paid",),
    "paid_amount": ("amount_paid",),
    "number": ("policy_number", "id"),
    "claim_id": ("id",),
    "ticket_id": ("id",),
    "merchant": ("description",),
    "merchant_category": ("mcc",),
    "doctor": ("provider", "prescriber"),
    "dose": ("dosage",),
    "refills": ("refills_remaining",),
    "medication_name": ("medication",),
    "due": ("due_date",),
    "balance": ("instalment_balance",),
    "instalment": ("monthly_instalment",),
    "installment": ("monthly_instalment",),
    "monthly_installment": ("monthly_instalment",),
    "installment_balance": ("instalment_balance",),
    "date": ("opened",),
    "renewal": ("renewal_date",),
    "start": ("start_date",),
}
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    # a named item as customers call it (README: "Contents" insurance is Renters or Home)
    "contents": ("renters", "home"),
    "car": ("auto",),
    "motor": ("auto",),
    "homeowners": ("home",),
    "renter": ("renters",),
}


def _sub_part(listing: Listing, sub: str | None, row: Any, p: Any, f: Formatter, where: str) -> list[tuple[Part, str]]:
    if sub is None:
        out = []
        for alternatives in listing.keys:
            spelled = [listing.subs[s](row, p, f) for s in alternatives]
            out.append((tuple(v for part, _ in spelled for v in part), " / ".join(s for _, s in spelled)))
        return out
    sub = next((s for s in SUB_ALIASES.get(sub, ()) if s in listing.subs), sub)
    if sub not in listing.subs:
        msg = f"{where}: unknown sub-field .{sub}; known: {', '.join(listing.subs)}"
        raise FieldError(msg)
    return [listing.subs[sub](row, p, f)]


def resolve_listing(field: str, listing: Listing, rest: str, p: Any, f: Formatter) -> Entry:
    """A field on one of the persona's lists (``rest`` is what follows the list's name)."""
    rows = list(listing.items(p))
    named = re.match(r"\.([A-Za-z][\w ]*?)(?=\.|\[|$)", rest)
    single = False
    if named and listing.name is not None and named.group(1) not in listing.subs and named.group(1) != "count":
        wanted = named.group(1).casefold()
        names = (wanted, *NAME_ALIASES.get(wanted, ()))
        rows = [r for r in rows if listing.name(r).casefold().startswith(names)]
        rest, single = rest[named.end() :], True
    if rest == ".count":
        return Entry(field, ((Number(len(rows)),),), f.number(len(rows)))
    selectors = []
    while m := _SELECTORS.match(rest):
        selectors.append(m.group(1))
        rest = rest[m.end() :]
    by_name = single or any(re.match(r"(?:type|specialty|name|category|provider)\s*[=~]", s) for s in selectors)
    for selector in selectors:
        rows, one = _select(listing, p, rows, selector, field)
        single = single or one
    if rest and not rest.startswith("."):
        msg = f"{field}: cannot read {rest!r}; expected .<sub-field>"
        raise FieldError(msg)
    sub = rest[1:] or None
    if not rows:
        siblings: tuple[Value, ...] = ()
        if by_name:  # README: a named item not on file must not be answered with another item's figure
            all_rows = list(listing.items(p))
            siblings = tuple(v for r in all_rows for part, _ in _sub_part(listing, sub, r, p, f, field) for v in part)
        return Entry(field, (), "none on file", absent=True, siblings=siblings)
    spelled = [_sub_part(listing, sub, r, p, f, field) for r in rows]
    if single and len(rows) > 1:  # a named item or a tie: any one of them answers
        merged = [
            (tuple(v for s in spelled for v in s[k][0]), " or ".join(s[k][1] for s in spelled))
            for k in range(len(spelled[0]))
        ]
        spelled = [merged]
    parts = tuple(part for s in spelled for part, _ in s)
    others: tuple[tuple[Value, ...], ...] = ()
    if single:  # each other row by the values that tell it apart from the chosen one(s)

        def row_values(r: Any) -> tuple[Value, ...]:
            return tuple(v for read in listing.subs.values() for v in read(r, p, f)[0])

        chosen = {id(r) for r in rows}
        mine = {v for r in rows for v in row_values(r)}
        others = tuple(
            tuple(v for v in row_values(r) if v not in mine) for r in listing.items(p) if id(r) not in chosen
        )
    return Entry(field, parts, "; ".join(shown for s in spelled for _, shown in s), others=others)


__all__ = ["NAME_ALIASES", "SUB_ALIASES", "LISTINGS", "Entry", "FieldError", "Listing", "Part", "resolve_listing"]
