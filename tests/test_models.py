"""Cross-field rules: an inconsistent persona cannot be constructed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from persona_kit import BankingPersona, GenericPersona, HealthcarePersona, InsurancePersona, generate_persona
from persona_kit.models.base import adult_from, age_at


def _find(mode: str, want: Any) -> dict[str, Any]:
    """The first persona of seed 1 for which ``want(dump)`` holds."""
    for i in range(500):
        dump = generate_persona(mode, 1, index=i).model_dump()
        if want(dump):
            return dump
    raise AssertionError("no suitable persona in 500")


def _broken(model: type, dump: dict[str, Any], field_fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(dump)
    assert field_fragment in str(info.value)


def test_banking_rules() -> None:
    d = _find(
        "banking",
        lambda d: (
            len(d["recent_transactions"]) >= 2
            and d["recent_transactions"][0]["date"] != d["recent_transactions"][1]["date"]
        ),
    )
    BankingPersona.model_validate(d)
    _broken(BankingPersona, {**d, "credit_used": d["credit_limit"] + 1}, "credit_used")
    rows = d["recent_transactions"]
    _broken(BankingPersona, {**d, "recent_transactions": [rows[1], rows[0], *rows[2:]]}, "newest first")
    old = {**rows[0], "date": d["as_of"] - dt.timedelta(days=40)}
    _broken(BankingPersona, {**d, "recent_transactions": [old]}, "outside the 30 days")
    dob = d["identity"]["date_of_birth"]
    _broken(BankingPersona, {**d, "member_since": adult_from(dob) - dt.timedelta(days=1)}, "member_since")
    ident = {**d["identity"], "age": d["identity"]["age"] + 1}
    _broken(BankingPersona, {**d, "identity": ident}, "identity")
    _broken(BankingPersona, {**d, "name": "Somebody Else"}, "name")
    bad_mail = {**d["identity"], "email": "jane@gmail.com"}
    _broken(BankingPersona, {**d, "identity": bad_mail}, "reserved domain")


def test_insurance_rules() -> None:
    d = _find("insurance", lambda d: len(d["claims_history"]) >= 1 and len(d["active_policies"]) >= 2)
    InsurancePersona.model_validate(d)
    _broken(InsurancePersona, {**d, "total_coverage": d["total_coverage"] + 1}, "total_coverage")
    _broken(InsurancePersona, {**d, "monthly_premium": d["monthly_premium"] - 1}, "monthly_premium")
    pol = d["active_policies"]
    _broken(
        InsurancePersona, {**d, "active_policies": [{**pol[0], "renewal_date": d["as_of"]}, *pol[1:]]}, "renewal_date"
    )
    claim = d["claims_history"][0]
    future = {**claim, "date": d["as_of"] + dt.timedelta(days=3)}
    _broken(InsurancePersona, {**d, "claims_history": [future, *d["claims_history"][1:]]}, "claims_history")
    policy = next(p for p in pol if p["policy_number"] == claim["policy_number"])
    early = {**claim, "date": policy["start_date"] - dt.timedelta(days=1)}
    _broken(InsurancePersona, {**d, "claims_history": [early]}, "claims_history")
    overpaid = {**claim, "paid_amount": claim["amount"] + 1, "status": "paid"}
    _broken(InsurancePersona, {**d, "claims_history": [overpaid]}, "paid_amount")


def test_risk_score_must_agree_with_claims() -> None:
    d = _find("insurance", lambda d: len(d["claims_history"]) == 0)
    _broken(InsurancePersona, {**d, "risk_score": 95}, "risk_score")
    d2 = _find(
        "insurance",
        lambda d: sum((d["as_of"] - c["date"]).days <= 3 * 365 for c in d["claims_history"]) >= 2,
    )
    _broken(InsurancePersona, {**d2, "risk_score": 5}, "risk_score")


def test_healthcare_rules() -> None:
    d = _find("healthcare", lambda d: len(d["upcoming_appointments"]) >= 1)
    HealthcarePersona.model_validate(d)
    _broken(HealthcarePersona, {**d, "deductible_met": d["deductible"] + 1}, "deductible_met")
    _broken(HealthcarePersona, {**d, "out_of_pocket_spent": d["out_of_pocket_max"] + 1}, "out_of_pocket_spent")
    past = {**d["upcoming_appointments"][0], "date": d["as_of"]}
    _broken(HealthcarePersona, {**d, "upcoming_appointments": [past]}, "upcoming_appointments")
    _broken(HealthcarePersona, {**d, "date_of_birth": d["date_of_birth"] - dt.timedelta(days=1)}, "date_of_birth")


def test_generic_rules() -> None:
    from persona_kit import ModeCatalogue, builtin_modes, mode_from_dict

    gym = mode_from_dict({**builtin_modes()["banking"].model_dump(), "id": "gym", "persona_kind": "generic"})
    d = generate_persona("gym", 1, modes=ModeCatalogue([gym])).model_dump()
    GenericPersona.model_validate(d)
    wrong_tier = "Platinum" if d["status"] != "Platinum" else "Bronze"
    _broken(GenericPersona, {**d, "status": wrong_tier}, "status")
    _broken(GenericPersona, {**d, "last_activity_date": d["as_of"] + dt.timedelta(days=1)}, "last_activity_date")


def test_personas_are_frozen() -> None:
    p = generate_persona("banking", 1)
    with pytest.raises(ValidationError):
        p.credit_score = 800  # type: ignore[misc]


@pytest.mark.parametrize(
    ("born", "when", "age"),
    [
        (dt.date(2000, 2, 29), dt.date(2018, 2, 28), 17),
        (dt.date(2000, 2, 29), dt.date(2018, 3, 1), 18),
        (dt.date(1990, 7, 1), dt.date(2026, 7, 1), 36),
        (dt.date(1990, 7, 2), dt.date(2026, 7, 1), 35),
    ],
)
def test_age_at(born: dt.date, when: dt.date, age: int) -> None:
    assert age_at(born, when) == age


def test_leap_day_adult_date() -> None:
    assert adult_from(dt.date(2004, 2, 29)) == dt.date(2022, 3, 1)
