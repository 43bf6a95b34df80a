"""What the system prompt states about a policyholder: the coverage summary, policies and claims."""

from __future__ import annotations

from persona_kit.facts import Section, fact, table
from persona_kit.formatting import Formatter
from persona_kit.industries.insurance.model import OPEN_STATUSES, InsurancePersona, status_label


def insurance_sections(p: InsurancePersona, f: Formatter) -> list[Section]:
    open_claims = [c for c in p.claims_history if c.status in OPEN_STATUSES]
    next_renewal = min(p.active_policies, key=lambda pol: (pol.renewal_date, pol.policy_number))
    summary = Section(
        "Coverage summary",
        lines=(
            fact("member_since", "Member since", f.day(p.member_since)),
            fact("derived.policy_count", "Active policies", f.number(len(p.active_policies))),
            fact("total_coverage", "Total coverage", f.money(p.total_coverage)),
            fact("monthly_premium", "Monthly premium (all policies)", f.money(p.monthly_premium)),
            fact("derived.annual_premium", "Annual premium (12 months)", f.money(p.monthly_premium * 12)),
            fact("risk_score", "Risk level", p.risk_score),
            fact("risk_points", "Risk points (1-99, higher is riskier)", f.number(p.risk_points)),
            fact(
                "derived.next_renewal",
                "Next renewal",
                f"{f.day(next_renewal.renewal_date)} ({next_renewal.type}, {next_renewal.policy_number})",
            ),
            fact("derived.claim_count", "Claims on file", f.number(len(p.claims_history))),
            fact("derived.open_claim_count", "Open claims", f.number(len(open_claims))),
            fact("derived.total_claimed", "Total claimed", f.money(sum(c.amount for c in p.claims_history))),
            fact("derived.total_paid", "Total paid out", f.money(sum(c.paid_amount for c in p.claims_history))),
        ),
    )
    policies = table(
        "Active policies (premiums are monthly)",
        "active_policies",
        [
            [
                ("type", "Type", pol.type),
                ("policy_number", "Policy number", pol.policy_number),
                ("coverage", "Coverage", f.money(pol.coverage)),
                ("premium", "Premium", f.money(pol.premium)),
                ("deductible", "Deductible", f.money(pol.deductible)),
                ("start_date", "Start date", f.day(pol.start_date)),
                ("renewal_date", "Renewal date", f.day(pol.renewal_date)),
            ]
            for pol in p.active_policies
        ],
        "No active policies.",
    )
    claims = table(
        "Claims history (newest first)",
        "claims_history",
        [
            [
                ("claim_id", "Claim ID", c.claim_id),
                ("date", "Date", f.day(c.date)),
                ("type", "Type", c.type),
                ("amount", "Claimed", f.money(c.amount)),
                ("paid_amount", "Paid", f.money(c.paid_amount)),
                ("status", "Status", status_label(c.status)),
                ("policy_number", "Policy number", c.policy_number),
            ]
            for c in p.claims_history
        ],
        "No claims on file.",
    )
    return [summary, policies, claims]
