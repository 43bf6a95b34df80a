"""What the system prompt states about a plan member: cost sharing, appointments and prescriptions."""

from __future__ import annotations

from persona_kit.facts import Section, fact, table
from persona_kit.formatting import Formatter
from persona_kit.industries.healthcare.model import HealthcarePersona


def healthcare_sections(p: HealthcarePersona, f: Formatter) -> list[Section]:
    plan = Section(
        "Plan and cost sharing",
        lines=(
            fact("member_id", "Member ID", p.member_id),
            fact("plan_name", "Plan", p.plan_name),
            fact("plan_type", "Plan type", p.plan_type),
            fact("primary_care_provider", "Primary care provider", p.primary_care_provider),
            fact("deductible", "Deductible", f.money(p.deductible)),
            fact("deductible_met", "Deductible met so far", f.money(p.deductible_met)),
            fact("derived.deductible_remaining", "Deductible remaining", f.money(p.deductible - p.deductible_met)),
            fact(
                "derived.deductible_met_share",
                "Share of deductible met",
                f.share(p.deductible_met / p.deductible) if p.deductible else f.share(1),
            ),
            fact("out_of_pocket_max", "Out-of-pocket maximum", f.money(p.out_of_pocket_max)),
            fact("out_of_pocket_spent", "Out-of-pocket spent so far", f.money(p.out_of_pocket_spent)),
            fact(
                "derived.out_of_pocket_remaining",
                "Out-of-pocket remaining",
                f.money(p.out_of_pocket_max - p.out_of_pocket_spent),
            ),
            fact("derived.appointment_count", "Upcoming appointments", f.number(len(p.upcoming_appointments))),
            fact("derived.prescription_count", "Active prescriptions", f.number(len(p.active_prescriptions))),
        ),
    )
    appointments = table(
        "Upcoming appointments (soonest first, 24-hour times)",
        "upcoming_appointments",
        [
            [
                ("date", "Date", f.day(a.date)),
                ("time", "Time", a.time),
                ("provider", "Provider", a.provider),
                ("specialty", "Specialty", a.specialty),
                ("location", "Location", a.location),
                ("reason", "Reason", a.reason),
            ]
            for a in p.upcoming_appointments
        ],
        "No upcoming appointments.",
    )
    prescriptions = table(
        "Active prescriptions",
        "active_prescriptions",
        [
            [
                ("medication", "Medication", rx.medication),
                ("dosage", "Dosage", rx.dosage),
                ("frequency", "Frequency", rx.frequency),
                ("refills_remaining", "Refills remaining", f.number(rx.refills_remaining)),
                ("prescriber", "Prescriber", rx.prescriber),
            ]
            for rx in p.active_prescriptions
        ],
        "No active prescriptions.",
    )
    return [plan, appointments, prescriptions]
