"""Health plans: cost sharing, upcoming appointments and active prescriptions."""

from __future__ import annotations

from collections.abc import Iterator

from persona_kit.industries.healthcare.facts import healthcare_sections
from persona_kit.industries.healthcare.generator import generate_healthcare, healthcare_stats
from persona_kit.industries.healthcare.model import Appointment, HealthcarePersona, Prescription
from persona_kit.industries.healthcare.one import one_healthcare
from persona_kit.industries.registry import CURRENCY, CardLayout, ChartDef, Industry, MetricDef


def _medications() -> Iterator[str]:
    """Medication names a reply may mention: the grounding check reads them as named items."""
    return (med.name for med in healthcare_stats().medications)


SYNONYMS = (
    "health", "healthcare", "health care", "health plan", "clinic",
    "hospital", "doctor", "doctor's office", "doctor's surgery", "medical", "medical practice", "medical center",
    "medical centre", "physician", "gp", "gp surgery", "surgery", "dentist", "dental", "dental practice",
    "orthodontist", "urgent care", "hmo", "ppo", "primary care", "health system", "health provider",
    "healthcare provider", "health service", "nhs", "pharmacy", "optician", "optometrist", "physiotherapist",
    "physio", "pediatrician", "paediatrician", "pediatrics",
    "paediatrics", "dermatology", "dermatologist", "physiotherapy", "physical therapy", "telehealth", "telemedicine",
    "cardiology", "cardiologist", "chiropractor", "chiropractic", "podiatrist", "podiatry", "ophthalmologist",
    "audiologist", "radiology", "oncology", "psychiatrist", "psychiatry", "mental health", "walk-in clinic",
    "medical group", "nurse line", "nurse advice line", "eye clinic", "eye doctor", "health clinic", "midwife",
    "maternity", "ob-gyn", "obgyn", "gynaecologist", "gynecologist", "orthopaedics", "orthopedics", "ent",
    "family practice",
    "family medicine", "general practice", "gp practice",
)  # fmt: skip
"""Words that name the industry in a mode request ("Presto-Change-O, you're a clinic", "be a GP surgery")."""

BRAND_WORDS = (
    "medicine", "medical", "health", "clinic", "clinics", "hospital", "hospitals", "dental", "dentistry",
    "pharmacy", "surgery", "physicians", "pediatrics", "paediatrics", "orthopaedics", "orthopedics",
    "dermatology", "cardiology", "oncology", "radiology", "physiotherapy", "healthcare", "medicentre",
    "infirmary", "hospice", "optometry", "opticians", "chiropractic", "telehealth",
)  # fmt: skip
"""Words that tell healthcare inside a company's name ("Northwind Family Medicine"), not alone."""

KNOWN_BRANDS = (
    "kaiser permanente", "kaiser", "mayo clinic", "cleveland clinic", "aetna", "cigna", "unitedhealthcare",
    "humana", "bupa", "walgreens", "cvs", "cvs pharmacy", "boots pharmacy", "superdrug", "specsavers",
    "one medical", "teladoc", "babylon health",
)  # fmt: skip
"""Well-known healthcare providers and plans a presenter may name ("be Kaiser's nurse line")."""

INDUSTRY = Industry(
    kind="healthcare",
    model=HealthcarePersona,
    generate=generate_healthcare,
    generate_one=one_healthcare,
    stats=healthcare_stats,
    facts=healthcare_sections,
    metrics=(
        MetricDef(
            "Deductible met",
            CURRENCY,
            lambda p, f: p.deductible_met,
            tile=lambda p, f: f"{f.money(p.deductible_met)} of {f.money(p.deductible)}",
        ),
        MetricDef(
            "Out-of-pocket spent",
            CURRENCY,
            lambda p, f: p.out_of_pocket_spent,
            tile=lambda p, f: f"{f.money(p.out_of_pocket_spent)} of {f.money(p.out_of_pocket_max)}",
        ),
        MetricDef("Upcoming appointments", "visits", lambda p, f: len(p.upcoming_appointments)),
        MetricDef("Deductible", CURRENCY, lambda p, f: p.deductible),
        MetricDef("Plan", "plan", lambda p, f: p.plan_name),
        MetricDef("Active prescriptions", "prescriptions", lambda p, f: len(p.active_prescriptions)),
    ),
    card_metrics=("Deductible met", "Out-of-pocket spent", "Upcoming appointments", "Plan", "Active prescriptions"),
    tool_metrics=(
        "Deductible met",
        "Out-of-pocket spent",
        "Upcoming appointments",
        "Deductible",
        "Active prescriptions",
    ),
    charts=(
        ChartDef("Deductible progress", "deductible", "amount ({currency})"),
        ChartDef("Out-of-pocket spending", "out-of-pocket maximum", "amount ({currency})"),
        ChartDef("Out-of-pocket spending this plan year", "month", "amount ({currency})"),
        ChartDef("Refills remaining", "medication", "refills left"),
    ),
    synonyms=SYNONYMS,
    brand_words=BRAND_WORDS,
    known_brands=KNOWN_BRANDS,
    simulator="persona_kit.industries.healthcare.answers",
    card=CardLayout(header_facts=lambda p: (f"member ID {p.member_id}",)),
    claim_terms=_medications,
    count_nouns=(
        (r"appointments?|visits?", r"^derived\.appointment_count$"),
        (r"prescriptions?|medications?", r"^derived\.prescription_count$"),
        (r"refills?", r"\.refills_remaining$"),
    ),
)

__all__ = ["INDUSTRY", "Appointment", "HealthcarePersona", "Prescription"]
