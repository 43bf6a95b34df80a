"""One healthcare persona on Python scalars: :mod:`.generator`, value for value (tests/test_scalar.py)."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from persona_kit.engine.draws import F64, cumulative
from persona_kit.engine.scalar import (
    One,
    OneDraws,
    Row,
    base32,
    child_key,
    log1p,
    month_start,
    rint,
    step,
    to_date,
    unique_id,
    ymd,
)  # fmt: skip
from persona_kit.industries.healthcare.generator import HealthcareStats, _times, healthcare_stats
from persona_kit.industries.identity_one import OneIdentity, doctor_name, fill

_REFILL_WEIGHTS = (0.18, 0.2, 0.2, 0.17, 0.12, 0.13)


@dataclass(frozen=True)
class _Tables:
    plan_cum: F64
    deductible_cums: list[F64]
    specialty_cum: F64
    primary: list[bool]
    medication_cum: F64
    strides: list[int]
    refill_cum: F64
    times: list[str]


@cache
def _tables() -> _Tables:
    s = healthcare_stats()
    n_meds = len(s.medications)
    return _Tables(
        plan_cum=cumulative(s.plan_types.shares),
        deductible_cums=[cumulative(s.deductible.weights_by_plan[name]) for name in s.plan_types.names],
        specialty_cum=cumulative([x.weight for x in s.specialties]),
        primary=[x.name == "Primary Care" for x in s.specialties],
        medication_cum=cumulative([m.weight for m in s.medications]),
        strides=[k for k in range(1, n_meds) if math.gcd(k, n_meds) == 1],
        refill_cum=cumulative(list(_REFILL_WEIGHTS)),
        times=_times()[0].tolist(),
    )


def _pick(pool: list[str], u: float) -> str:
    """:func:`persona_kit.engine.batch.pick_within` for one row."""
    return pool[math.floor(u * float(len(pool)))]


def _appointments(one: One, s: HealthcareStats, t: _Tables, pcp: str, city: str) -> list[Row]:
    a = s.appointments
    d = one.draws
    count = d.poisson("appointments.count", a.mean, a.max)
    if not count:
        return []
    keys = [child_key(one.key, "appointments", position) for position in range(count)]
    # sorted_spacings: exponential spacings summed in position order, over their total plus a tail.
    spacing = [-log1p(-OneDraws(key).uniform("date")) for key in keys]
    running: list[float] = []
    total = 0.0
    for e in spacing:
        total = e if not running else total + e
        running.append(total)
    total += -log1p(-d.uniform("appointments.tail"))
    slots = len(t.times)
    drawn = []
    for key, partial in zip(keys, running, strict=True):
        days_ahead = 1 + min(math.floor(partial / total * a.horizon_days), a.horizon_days - 1)
        drawn.append((days_ahead, OneDraws(key).integers("time", 0, slots - 1), key))
    drawn.sort(key=lambda row: (row[0], row[1]))  # same-day visits in time order (a stable sort)
    rows: list[Row] = []
    for days_ahead, slot, key in drawn:
        rd = OneDraws(key)
        spec = rd.weighted("specialty", t.specialty_cum)
        specialty = s.specialties[spec]
        rows.append({
            "date": to_date(one.as_of + days_ahead),
            "time": t.times[slot],
            "provider": pcp if t.primary[spec] else doctor_name(one, rd, "provider"),
            "specialty": specialty.name,
            "location": fill(s.locations[rd.integers("location", 0, len(s.locations) - 1)], {"city": city}),
            "reason": _pick(specialty.reasons, rd.uniform("reason")),
        })  # fmt: skip
    return rows


def _prescriptions(one: One, s: HealthcareStats, t: _Tables, pcp: str, age: float) -> list[Row]:
    d = one.draws
    curve = s.prescriptions.mean_by_age
    count = d.poisson_varying("prescriptions.count", step(curve.edges, curve.mean, age), s.prescriptions.max)
    if not count:
        return []
    meds = s.medications
    first = d.weighted("prescriptions.first", t.medication_cum)
    stride = t.strides[d.integers("prescriptions.stride", 0, len(t.strides) - 1)]
    rows: list[Row] = []
    for position in range(count):
        rd = OneDraws(child_key(one.key, "prescriptions", position))
        med = meds[(first + position * stride) % len(meds)]
        rows.append({
            "medication": med.name,
            "dosage": _pick(med.dosages, rd.uniform("dosage")),
            "frequency": med.frequency,
            "refills_remaining": rd.weighted("refills", t.refill_cum),
            "prescriber": pcp if rd.uniform("prescriber") < 0.7 else doctor_name(one, rd, "prescriber"),
        })  # fmt: skip
    return rows


def one_healthcare(one: One, ident: OneIdentity) -> tuple[Row, dict[str, list[Row]]]:
    """:func:`.generator.generate_healthcare` for one persona: its fields, appointments and prescriptions."""
    s = healthcare_stats()
    t = _tables()
    d = one.draws
    plan = d.weighted("plan_type", t.plan_cum)
    plan_type = s.plan_types.names[plan]
    ded_usd = s.deductible.options_usd[d.weighted(f"deductible.{plan_type}", t.deductible_cums[plan])]
    oop = s.out_of_pocket_max
    year = ymd(one.as_of)[0]
    cap_usd = oop.cap_usd(year)
    extra = d.lognormal("oop_max", oop.extra_over_deductible_median_usd, oop.sigma)
    oop_usd = min(rint((ded_usd + extra) / oop.round_to) * oop.round_to, cap_usd)
    deductible = one.nice_money(ded_usd)
    # A maximum at the legal cap is the cap itself (Python's round, as the batch path).
    cap_local = round(cap_usd * one.spec.price_factor, one.spec.decimals)
    oop_max = cap_local if oop_usd >= cap_usd else min(one.nice_money(oop_usd), cap_local)
    oop_max = max(oop_max, deductible)
    year_frac = (one.as_of - month_start(year, 1) + 1) / 365.0  # spend accrues from 1 January
    curve = s.utilization.annual_spend_median_usd_by_age
    spend_usd = d.lognormal("spend", step(curve.edges, curve.median, ident.age_years), s.utilization.sigma)
    spend = one.money(spend_usd * year_frac)
    met = min(spend, deductible)
    oop_spent = min(one.round(met + s.utilization.coinsurance * max(spend - deductible, 0)), oop_max)
    tiers = s.plan_tiers
    tier = tiers.names[min(max(bisect_right(tiers.deductible_edges, ded_usd) - 1, 0), len(tiers.names) - 1)]
    pcp = doctor_name(one, d, "pcp")
    fields: Row = {
        "member_id": "MBR-" + base32(unique_id(one.index, 0, 1, one.seed_key, "member")),
        "primary_care_provider": pcp,
        "plan_name": f"{tier} {plan_type} {deductible:.0f}",
        "plan_type": plan_type,
        "deductible": deductible,
        "deductible_met": met,
        "out_of_pocket_max": oop_max,
        "out_of_pocket_spent": oop_spent,
    }
    children = {
        "upcoming_appointments": _appointments(one, s, t, pcp, ident.fields["city"]),
        "active_prescriptions": _prescriptions(one, s, t, pcp, ident.age_years),
    }
    return fields, children


__all__ = ["one_healthcare"]
