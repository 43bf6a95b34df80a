"""Insurance: policies, premiums, deductibles, renewals, claims and a risk score."""

from __future__ import annotations

from persona_kit.industries.insurance.facts import insurance_sections
from persona_kit.industries.insurance.generator import generate_insurance, insurance_stats
from persona_kit.industries.insurance.model import OPEN_STATUSES, Claim, InsurancePersona, Policy
from persona_kit.industries.insurance.one import one_insurance
from persona_kit.industries.registry import CURRENCY, CardLayout, ChartDef, Industry, MetricDef

SYNONYMS = (
    "health insurance", "health insurer", "health insurers", "health insurance company", "medical insurance",
    "insurer", "insurance", "insurance company", "claims", "claims department", "underwriter", "reinsurer",
    "reinsurance", "assurer",
    "assurance", "insurance agency", "insurance broker", "insurance provider", "insurance carrier", "cover provider",
    "travel cover", "travel insurance", "insurance cover",
)  # fmt: skip
"""Words that name the industry in a mode request ("act as an underwriter", "become an auto insurer")."""

BRAND_WORDS = (
    "mutual", "assurance", "life", "annuity", "annuities", "indemnity", "casualty", "underwriters", "insure",
    "cover", "protect", "protection",
)  # fmt: skip
"""Words that tell insurance inside a company's name ("Fabrikam Mutual", "Bluebird Life & Annuity"), not alone."""

KNOWN_BRANDS = (
    "allstate", "geico", "state farm", "progressive", "aviva", "allianz", "axa", "direct line", "admiral",
    "liberty mutual", "prudential", "metlife", "aflac", "zurich insurance", "churchill", "hastings direct",
    "travelers", "nationwide insurance", "usaa", "farmers insurance", "the hartford", "chubb", "legal & general",
)  # fmt: skip
"""Well-known insurers a presenter may name ("pretend you're Allstate")."""

INDUSTRY = Industry(
    kind="insurance",
    model=InsurancePersona,
    generate=generate_insurance,
    generate_one=one_insurance,
    stats=insurance_stats,
    facts=insurance_sections,
    metrics=(
        MetricDef("Total coverage", CURRENCY, lambda p, f: p.total_coverage),
        MetricDef("Monthly premium", CURRENCY, lambda p, f: p.monthly_premium),
        MetricDef("Risk score", "level", lambda p, f: p.risk_score.capitalize()),
        MetricDef("Risk points", "points", lambda p, f: p.risk_points, tile=lambda p, f: f"{p.risk_points} / 99"),
        MetricDef("Active policies", "policies", lambda p, f: len(p.active_policies)),
        MetricDef("Claims on file", "claims", lambda p, f: len(p.claims_history)),
        MetricDef("Open claims", "claims", lambda p, f: sum(c.status in OPEN_STATUSES for c in p.claims_history)),
    ),
    card_metrics=(
        "Total coverage",
        "Monthly premium",
        "Risk score",
        "Active policies",
        "Claims on file",
        "Open claims",
    ),
    tool_metrics=("Total coverage", "Monthly premium", "Risk score", "Active policies", "Open claims"),
    charts=(
        ChartDef("Claims by amount", "month - claim id", "amount ({currency})"),
        ChartDef("Coverage by policy", "policy", "amount ({currency})"),
        ChartDef("Monthly premium by policy", "policy", "amount ({currency})"),
        ChartDef("Monthly premium by month", "month", "amount ({currency})"),
        ChartDef("Risk score by month", "month", "score (points)"),
    ),
    synonyms=SYNONYMS,
    brand_words=BRAND_WORDS,
    known_brands=KNOWN_BRANDS,
    simulator="persona_kit.industries.insurance.answers",
    card=CardLayout(since=lambda p: ("member since", p.member_since)),
    count_nouns=(
        (r"polic(?:y|ies)", r"^derived\.policy_count$"),
        (r"claims?", r"^derived\.(?:open_)?claim_count$"),
        (r"score", r"^risk_points$"),
    ),
)

__all__ = ["INDUSTRY", "Claim", "InsurancePersona", "Policy"]
