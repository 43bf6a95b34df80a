"""System prompts: every quotable value, spelled as the formatter spells it, byte-for-byte stable."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from persona_kit import BankingPersona, ModeCatalogue, generate_persona, get_mode, supported_locales
from persona_kit.facts import persona_facts, persona_sections
from persona_kit.formatting import formatter_for
from persona_kit.models.modes import Mode
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.prompt import (
    CONTEXT_HEADING,
    build_system_prompt,
    estimate_tokens,
    prompt_size,
)

CUSTOM = Mode.model_validate(
    {
        **get_mode("banking").model_dump(exclude={"id", "name", "company_name", "persona_kind", "system_prompt"}),
        "id": "airline",
        "name": "Airline",
        "company_name": "Skyway Air",
        "persona_kind": "generic",
        "system_prompt": "You are the virtual assistant of Skyway Air.",
    }
)
CATALOGUE = ModeCatalogue([CUSTOM])
MODE_IDS = [*BUILTIN_MODE_IDS, "airline"]

# A persona written out by hand, so this snapshot changes only when the prompt's format does.
FIXED = BankingPersona.model_validate(
    {
        "as_of": "2026-07-01",
        "identity": {
            "first_name": "Ada",
            "last_name": "Quinn",
            "date_of_birth": "1990-03-14",
            "age": 36,
            "email": "ada.quinn@example.com",
            "phone": "(212) 555-0142",
            "address": {"street": "12 Elm St", "city": "Springfield", "region": "IL", "postcode": "62701",
                        "country": "US"},
            "locale": "en_US",
            "currency": "USD",
        },
        "name": "Ada Quinn",
        "member_since": "2015-05-02",
        "checking_balance": 1234.5,
        "savings_balance": 20000.0,
        "account_number_last4": "0042",
        "credit_score": 742,
        "credit_limit": 8000.0,
        "credit_used": 2000.0,
        "recent_transactions": [
            {"date": "2026-06-30", "description": "Payroll", "amount": 2500.0, "category": "Income",
             "merchant_category": "6011"},
            {"date": "2026-06-20", "description": "Corner Pantry", "amount": -43.36, "category": "Groceries",
             "merchant_category": "5411"},
            {"date": "2026-06-12", "description": "Fresh Fields", "amount": -10.0, "category": "Groceries",
             "merchant_category": "5411"},
        ],
    }
)  # fmt: skip

FIXED_CONTEXT_TAIL = """\
## Accounts and credit
- Member since: May 2, 2015
- Checking balance: $1,234.50
- Savings balance: $20,000.00
- Checking plus savings: $21,234.50
- Account number ends in: 0042
- Credit score: 742
- Credit limit: $8,000.00
- Credit used: $2,000.00
- Available credit: $6,000.00
- Credit utilization: 25%

## Activity in the last 30 days
- Transactions: 3
- Total spent: $53.36
- Total received: $2,500.00

## Spending by category (debits, largest first)
| Category | Spent | Transactions |
|---|---|---|
| Groceries | $53.36 | 2 |

## Recent transactions (last 30 days, newest first)
| Date | Description | Amount | Category | MCC |
|---|---|---|---|---|
| Jun 30, 2026 | Payroll | $2,500.00 | Income | 6011 |
| Jun 20, 2026 | Corner Pantry | -$43.36 | Groceries | 5411 |
| Jun 12, 2026 | Fresh Fields | -$10.00 | Groceries | 5411 |
"""


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}[{i}]")
    else:
        yield path, value


def quotable_values(persona: Any) -> Iterator[tuple[str, str]]:
    """Every leaf of the persona spelled independently of prompt.py: the grounding contract."""
    f = formatter_for(persona)
    for path, leaf in _leaves(persona.model_dump()):
        value = leaf
        if path == "kind":  # the model's type tag, not a fact about the customer
            continue
        if value is None:  # not applicable (unlimited data, no broadband): each fact spells it in words
            continue
        if path.startswith("claims_history[") and path.endswith(".status"):  # "in_review" reads "In review"
            value = str(value).replace("_", " ").capitalize()
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, float | int) and path.endswith(("_gb", "_mbps")):  # a quantity with its unit
            text = f"{f.number(value)} {'GB' if path.endswith('_gb') else 'Mbps'}"
        elif isinstance(value, float):
            text = f.money(value)  # every other float in a persona is an amount of money
        elif isinstance(value, int):
            text = f.number(value)
        elif isinstance(value, dt.date):
            text = f.day(value)
        else:
            text = ", ".join(line.strip() for line in str(value).splitlines() if line.strip())
        yield path, text


def _prompt(mode_id: str, seed: int | str, **kw: Any) -> tuple[str, Any]:
    mode = CATALOGUE.get(mode_id)
    persona = generate_persona(mode, seed, modes=CATALOGUE, **kw)
    return build_system_prompt(mode, persona), persona


@given(
    mode_id=st.sampled_from(MODE_IDS),
    seed=st.integers(0, 2**64 - 1) | st.text(min_size=1, max_size=20),
    index=st.integers(0, 10**6),
    locale=st.sampled_from(supported_locales()),
)
def test_every_quotable_value_appears_exactly_as_formatted(
    mode_id: str, seed: int | str, index: int, locale: str
) -> None:
    prompt, persona = _prompt(mode_id, seed, index=index, locale=locale)
    missing = [(path, text) for path, text in quotable_values(persona) if text not in prompt]
    assert not missing, f"values absent from the prompt as formatted: {missing}"
    for fact in persona_facts(persona):
        assert fact.text in prompt, fact


@pytest.mark.parametrize("mode_id", MODE_IDS)
def test_prompt_is_the_mode_prompt_then_the_context(mode_id: str) -> None:
    prompt, _ = _prompt(mode_id, 42)
    mode = CATALOGUE.get(mode_id)
    assert prompt.startswith(mode.system_prompt + "\n\n" + CONTEXT_HEADING + "\n")
    assert mode.company_name in prompt.split(CONTEXT_HEADING)[1]
    assert prompt.endswith("\n")
    assert not prompt.endswith("\n\n")


def test_fixed_persona_snapshot() -> None:
    prompt = build_system_prompt(get_mode("banking"), FIXED)
    assert prompt.endswith(FIXED_CONTEXT_TAIL)
    assert "- Name: Ada Quinn\n- First name: Ada\n- Date of birth: Mar 14, 1990\n- Age: 36\n" in prompt
    assert "- Address: 12 Elm St, Springfield, IL 62701, US\n" in prompt
    assert "Facts are as of Jul 1, 2026. Amounts are in USD." in prompt


def test_prompt_is_deterministic_across_processes() -> None:
    here, _ = _prompt("insurance", "session-7", locale="ja_JP")
    code = (
        "import sys; from persona_kit import generate_persona, get_mode;"
        "from persona_kit.prompt import build_system_prompt;"
        "sys.stdout.buffer.write(build_system_prompt(get_mode('insurance'),"
        " generate_persona('insurance', 'session-7', locale='ja_JP')).encode())"
    )
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
        assert out == here.encode()
    again, _ = _prompt("insurance", "session-7", locale="ja_JP")
    assert again == here


@pytest.mark.parametrize(
    ("mode_id", "field", "stated"),
    [
        ("banking", "recent_transactions", "No transactions in this window."),
        ("banking", "recent_transactions", "No spending in this window."),
        ("insurance", "claims_history", "No claims on file."),
        ("healthcare", "upcoming_appointments", "No upcoming appointments."),
        ("healthcare", "active_prescriptions", "No active prescriptions."),
    ],
)
def test_empty_lists_are_stated_not_omitted(mode_id: str, field: str, stated: str) -> None:
    persona = generate_persona(mode_id, 1).model_copy(update={field: []})
    assert f"\n{stated}\n" in build_system_prompt(get_mode(mode_id), persona)


def test_lists_are_summarised_row_by_row() -> None:
    prompt, persona = _prompt("insurance", 3)
    rows = [line for line in prompt.splitlines() if line.startswith("| ")]
    f = formatter_for(persona)
    for policy in persona.active_policies:
        (row,) = [line for line in rows if policy.policy_number in line and policy.type in line.split(" | ")[0]]
        assert f.money(policy.premium) in row
        assert f.day(policy.renewal_date) in row
    prompt, persona = _prompt("healthcare", 5)
    rows = [line for line in prompt.splitlines() if line.startswith("| ")]
    for appt in persona.upcoming_appointments:
        assert any(formatter_for(persona).day(appt.date) in r and appt.provider in r for r in rows)


def test_derived_figures_are_computed_from_the_fields() -> None:
    prompt, p = _prompt("banking", 11)
    f = formatter_for(p)
    assert f"- Available credit: {f.money(p.credit_limit - p.credit_used)}\n" in prompt
    assert f"- Transactions: {f.number(len(p.recent_transactions))}\n" in prompt
    prompt, h = _prompt("healthcare", 11)
    f = formatter_for(h)
    assert f"- Deductible remaining: {f.money(h.deductible - h.deductible_met)}\n" in prompt
    assert f"- Out-of-pocket remaining: {f.money(h.out_of_pocket_max - h.out_of_pocket_spent)}\n" in prompt


def test_custom_mode_gets_a_generic_context_block() -> None:
    prompt, persona = _prompt("airline", 9)
    assert persona.kind == "generic"
    for label in ("Customer since", "Account value", "Loyalty points", "Status tier", "Next tier"):
        assert f"- {label}: " in prompt
    assert "on behalf of Skyway Air (Airline)" in prompt


def test_mode_and_persona_of_different_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match=r"mode 'banking' uses banking personas, got a healthcare persona"):
        build_system_prompt(get_mode("banking"), generate_persona("healthcare", 1))


def test_not_a_persona_is_refused() -> None:
    with pytest.raises(TypeError, match="persona model"):
        persona_sections(get_mode("banking"))  # type: ignore[arg-type]


def test_facts_name_their_field_paths() -> None:
    _, persona = _prompt("banking", 1)
    fields = {fact.field for fact in persona_facts(persona)}
    assert {"checking_balance", "credit_score", "identity.email", "derived.available_credit"} <= fields
    assert all(f"recent_transactions[{i}].amount" in fields for i in range(len(persona.recent_transactions)))


def test_size_is_reported_with_an_estimate() -> None:
    prompt, _ = _prompt("banking", 42)
    size = prompt_size(prompt)
    assert size.chars == len(prompt)
    assert size.chars / 5 < size.tokens_estimate < size.chars / 2
    assert "(estimate)" in str(size)
    assert estimate_tokens("") == 0
    assert estimate_tokens("hello world") == 2
    assert estimate_tokens("$1,234.50\n") == 7
    assert estimate_tokens("鈴木") == 2
