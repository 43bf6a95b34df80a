"""Healthcare personas, column-wise: plan and cost sharing, appointments, prescriptions."""

from __future__ import annotations

from functools import cache
from math import gcd

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from persona_kit.data import DataModel, industry_stats
from persona_kit.engine.batch import (
    Batch,
    ChildRows,
    Column,
    Context,
    as_objects,
    base32_codes,
    coded,
    objects,
    pick_within,
    render,
    step_lookup,
)
from persona_kit.engine.dates import days_between, shift, ymd
from persona_kit.engine.draws import cumulative
from persona_kit.engine.ids import unique_ids
from persona_kit.industries.identity import IdentityColumns, doctor_names


class PlanTypes(DataModel):
    names: list[str]
    shares: list[float]


class Deductible(DataModel):
    options_usd: list[float]
    weights_by_plan: dict[str, list[float]]


class OutOfPocket(DataModel):
    extra_over_deductible_median_usd: float
    sigma: float
    cap_usd_by_plan_year: dict[int, float] = Field(min_length=1)
    round_to: float

    def cap_usd(self, plan_year: int) -> float:
        """The ACA self-only limit for a plan year: the latest published year at or before it (else the first)."""
        years = sorted(self.cap_usd_by_plan_year)
        known = [y for y in years if y <= plan_year]
        return self.cap_usd_by_plan_year[known[-1] if known else years[0]]


class AgeCurve(DataModel):
    edges: list[float]
    median: list[float] = Field(default_factory=list)
    mean: list[float] = Field(default_factory=list)


class Utilization(DataModel):
    annual_spend_median_usd_by_age: AgeCurve
    sigma: float
    coinsurance: float = Field(ge=0, le=1)


class Prescriptions(DataModel):
    mean_by_age: AgeCurve
    max: int


class Medication(DataModel):
    name: str
    dosages: list[str] = Field(min_length=1)
    frequency: str
    weight: float
    drug_classes: list[str] = Field(default_factory=list)
    """The everyday groups members call it by ("statin", "asthma"), named in the rules file; read by questions,
    never drawn."""


class Specialty(DataModel):
    name: str
    weight: float
    reasons: list[str] = Field(min_length=1)


class Appointments(DataModel):
    mean: float
    max: int
    horizon_days: int
    first_slot: str
    last_slot: str
    slot_minutes: int


class PlanTiers(DataModel):
    deductible_edges: list[float]
    names: list[str]


class HealthcareStats(DataModel):
    plan_types: PlanTypes
    deductible: Deductible
    out_of_pocket_max: OutOfPocket
    utilization: Utilization
    prescriptions: Prescriptions
    medications: list[Medication]
    specialties: list[Specialty]
    locations: list[str]
    appointments: Appointments
    plan_tiers: PlanTiers


@cache
def healthcare_stats() -> HealthcareStats:
    """data/stats/healthcare.json, validated."""
    return HealthcareStats.model_validate(industry_stats("healthcare"))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@cache
def _times() -> tuple[NDArray[np.object_], int]:
    a = healthcare_stats().appointments
    slots = range(_minutes(a.first_slot), _minutes(a.last_slot) + 1, a.slot_minutes)
    return objects([f"{m // 60:02d}:{m % 60:02d}" for m in slots]), len(slots)


def generate_healthcare(ctx: Context, ident: IdentityColumns) -> Batch:
    """Healthcare personas for every index in ``ctx``."""
    s = healthcare_stats()
    d = ctx.draws()
    dec = ctx.spec.decimals
    plan = d.weighted("plan_type", cumulative(s.plan_types.shares))
    plan_names = objects(s.plan_types.names)
    ded_usd = np.empty(ctx.n)
    for k, name in enumerate(s.plan_types.names):
        m = plan == k
        pick = d.weighted(f"deductible.{name}", cumulative(s.deductible.weights_by_plan[name]))
        ded_usd[m] = np.asarray(s.deductible.options_usd)[pick[m]]
    oop = s.out_of_pocket_max
    cap_usd = oop.cap_usd(int(ctx.as_of.astype("datetime64[Y]").astype(int)) + 1970)
    oop_usd = np.minimum(
        np.round((ded_usd + d.lognormal("oop_max", oop.extra_over_deductible_median_usd, oop.sigma)) / oop.round_to)
        * oop.round_to,
        cap_usd,
    )
    deductible = ctx.nice_money(ded_usd)
    # A maximum at the legal cap is the cap itself; rounding to a nice local amount must not lift one
    # above it ($10,600 would round to $11,000).
    cap_local = round(cap_usd * ctx.spec.price_factor, dec)
    oop_max = np.where(oop_usd >= cap_usd, cap_local, np.minimum(ctx.nice_money(oop_usd), cap_local))
    oop_max = np.maximum(oop_max, deductible)

    # Spend accrues through the plan year (1 January reset), so progress depends on as_of.
    y, _, _ = ymd(np.asarray([ctx.as_of]))
    jan1 = np.datetime64(f"{int(y[0]):04d}-01-01", "D")
    year_frac = (days_between(ctx.as_of, jan1) + 1) / 365.0
    curve = s.utilization.annual_spend_median_usd_by_age
    spend = ctx.money(
        d.lognormal("spend", step_lookup(curve.edges, curve.median, ident.age_years), s.utilization.sigma) * year_frac
    )
    met = np.minimum(spend, deductible)
    oop_spent = np.minimum(np.round(met + s.utilization.coinsurance * np.maximum(spend - deductible, 0), dec), oop_max)

    tiers = s.plan_tiers
    tier = objects(tiers.names)[
        np.clip(np.searchsorted(tiers.deductible_edges, ded_usd, side="right") - 1, 0, len(tiers.names) - 1)
    ]
    # The number in a plan name is its deductible, in the member's own currency.
    levels, which = np.unique(deductible, return_inverse=True)
    plan_name = tier + " " + plan_names[plan] + " " + objects([f"{v:.0f}" for v in levels.tolist()])[which]
    pcp = doctor_names(ctx, d, "pcp")
    member_id = "MBR-" + base32_codes(unique_ids(ctx.index, 0, 1, ctx.seed_key, "member")).astype(object)

    columns: dict[str, Column] = {
        **ident.columns,
        "member_id": member_id,
        "primary_care_provider": pcp,
        "plan_name": plan_name,
        "plan_type": coded(plan_names, plan),
        "deductible": deductible,
        "deductible_met": met,
        "out_of_pocket_max": oop_max,
        "out_of_pocket_spent": oop_spent,
    }
    batch = Batch("healthcare", ctx.n, columns)
    _appointments(ctx, batch, s, pcp, ident)
    _prescriptions(ctx, batch, s, pcp, ident)
    return batch


def _appointments(
    ctx: Context, batch: Batch, s: HealthcareStats, pcp: NDArray[np.object_], ident: IdentityColumns
) -> None:
    a = s.appointments
    d = ctx.draws()
    counts = d.poisson("appointments.count", a.mean, a.max)
    rows = ChildRows.from_counts(ctx.keys, "appointments", counts)
    rd = rows.draws()
    frac = rows.sorted_spacings(rd, "date", -np.log1p(-d.uniform("appointments.tail")))
    days_ahead = 1 + np.minimum(np.floor(frac * a.horizon_days).astype(np.int64), a.horizon_days - 1)
    times, n_slots = _times()
    slot = rd.integers("time", 0, n_slots - 1)
    # Same-day visits keep time order: sort within a persona by (day, slot).
    order = np.lexsort((slot, days_ahead, rows.parent))
    rd_keys = rows.keys[order]
    slot, days_ahead = slot[order], days_ahead[order]
    rows = ChildRows(rows.parent, rows.position, rd_keys, rows.offsets)
    rd = rows.draws()

    spec = rd.weighted("specialty", cumulative([x.weight for x in s.specialties]))
    reason = pick_within([x.reasons for x in s.specialties], spec, rd.uniform("reason"))
    primary = np.asarray([x.name == "Primary Care" for x in s.specialties])[spec]
    other_doctor = doctor_names(ctx, rd, "provider")
    provider = np.where(primary, rows.spread(pcp), other_doctor)
    loc_choice = rd.integers("location", 0, len(s.locations) - 1)
    city = as_objects(rows.spread(ident.columns["city"]))
    location = np.empty(len(rows), dtype=object)
    for k, template in enumerate(s.locations):
        m = loc_choice == k
        if m.any():
            location[m] = render(template, {"city": city[m]}, int(m.sum()))
    batch.add_child(
        "upcoming_appointments",
        rows,
        {
            "date": shift(ctx.as_of, days_ahead),
            "time": coded(times, slot),
            "provider": provider,
            "specialty": coded([x.name for x in s.specialties], spec),
            "location": location,
            "reason": reason,
        },
    )


def _prescriptions(
    ctx: Context, batch: Batch, s: HealthcareStats, pcp: NDArray[np.object_], ident: IdentityColumns
) -> None:
    d = ctx.draws()
    curve = s.prescriptions.mean_by_age
    counts = d.poisson(
        "prescriptions.count", step_lookup(curve.edges, curve.mean, ident.age_years), s.prescriptions.max
    )
    rows = ChildRows.from_counts(ctx.keys, "prescriptions", counts)
    rd = rows.draws()
    meds = s.medications
    n_meds = len(meds)
    # Distinct medications within a persona: a weighted first pick, then a stride coprime with the list length.
    first = d.weighted("prescriptions.first", cumulative([m.weight for m in meds]))
    strides = np.asarray([k for k in range(1, n_meds) if gcd(k, n_meds) == 1])
    stride = strides[d.integers("prescriptions.stride", 0, len(strides) - 1)]
    med = (rows.spread(first) + rows.position * rows.spread(stride)) % n_meds

    dosage = pick_within([m.dosages for m in meds], med, rd.uniform("dosage"))
    refills = rd.weighted("refills", cumulative([0.18, 0.2, 0.2, 0.17, 0.12, 0.13]))
    by_pcp = rd.uniform("prescriber") < 0.7
    prescriber = np.where(by_pcp, rows.spread(pcp), doctor_names(ctx, rd, "prescriber"))
    batch.add_child(
        "active_prescriptions",
        rows,
        {
            "medication": coded([m.name for m in meds], med),
            "dosage": dosage,
            "frequency": coded([m.frequency for m in meds], med),
            "refills_remaining": refills,
            "prescriber": prescriber,
        },
    )
