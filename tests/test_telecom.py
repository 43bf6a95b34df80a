"""Telecom, the fourth built-in industry: its persona rules, calibration, prompt, payload, simulator and chat."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import jsonschema
import numpy as np
import pytest
from pydantic import ValidationError

from persona_kit import generate_persona, generate_population, get_mode, protocol_json_schema, supported_locales
from persona_kit.ai import check_reply, simulate_reply
from persona_kit.cli import main
from persona_kit.data import locale_spec, read_json
from persona_kit.industries.telecom import TelecomPersona
from persona_kit.industries.telecom.generator import telecom_stats
from persona_kit.protocol import mode_switch_message
from persona_kit.session import Session
from persona_kit.triggers import detect_mode_request

POP = generate_population("telecom", 20_000, seed=7)


def _persona(seed: int = 7, **kw: Any) -> TelecomPersona:
    persona = generate_persona("telecom", seed, **kw)
    assert isinstance(persona, TelecomPersona)
    return persona


def _altered(persona: TelecomPersona, **changes: Any) -> dict[str, Any]:
    data = persona.model_dump()
    data.update(changes)
    return data


# --- the persona and its rules ------------------------------------------------------


def test_generate_persona_telecom_7_is_a_telecom_customer() -> None:
    p = _persona()
    assert p.kind == "telecom"
    assert p.recent_bills and p.devices
    assert p.devices[0].type == "Phone"
    assert p.cycle_start <= p.as_of <= p.cycle_end


def _capped(min_used: float = 0.0) -> TelecomPersona:
    for seed in range(500):
        p = _persona(seed)
        if p.data_allowance_gb is not None and p.data_used_gb > min_used:
            return p
    raise AssertionError("no capped plan in 500 seeds")


def test_usage_above_the_allowance_must_be_billed_as_overage() -> None:
    p = _capped()
    assert p.data_allowance_gb is not None
    over = _altered(p, data_used_gb=p.data_allowance_gb + 2.5, overage_charge=0.0)
    with pytest.raises(ValidationError, match="overage"):
        TelecomPersona.model_validate(over)
    under = _altered(p, data_used_gb=0.0, overage_charge=5.0)
    with pytest.raises(ValidationError, match="overage"):
        TelecomPersona.model_validate(under)


def test_the_next_bill_is_the_sum_of_this_cycles_charges() -> None:
    p = _persona()
    with pytest.raises(ValidationError, match="next_bill_estimate"):
        TelecomPersona.model_validate(_altered(p, next_bill_estimate=p.next_bill_estimate + 1))


def test_instalments_must_pay_the_device_price() -> None:
    p = next(q for q in map(_persona, range(200)) if any(d.financed for d in q.devices))
    data = p.model_dump()
    i = next(i for i, d in enumerate(p.devices) if d.financed)
    data["devices"][i]["instalment_balance"] += 50
    with pytest.raises(ValidationError, match="instalment_balance"):
        TelecomPersona.model_validate(data)
    data["devices"][i] = {**p.devices[i].model_dump(), "financed": False}
    with pytest.raises(ValidationError, match="bought outright"):
        TelecomPersona.model_validate(data)


def test_bill_statuses_agree_with_due_dates() -> None:
    p = _persona()
    data = p.model_dump()
    oldest = data["recent_bills"][-1]
    oldest["status"] = "Due"  # its due date passed months ago
    with pytest.raises(ValidationError, match="Due"):
        TelecomPersona.model_validate(data)


def test_a_contract_cannot_have_ended_and_broadband_fields_go_together() -> None:
    p = _persona()
    with pytest.raises(ValidationError, match="contract_end_date"):
        TelecomPersona.model_validate(_altered(p, contract_end_date=p.as_of - dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match="broadband"):
        TelecomPersona.model_validate(_altered(p, broadband_speed_mbps=500, broadband_price=None))


@pytest.mark.parametrize("locale", supported_locales())
def test_every_locale_has_local_currency_and_its_own_price_ladder(locale: str) -> None:
    pop = generate_population("telecom", 2_000, seed=3, locale=locale)
    ladder = {(r.name, r.price) for r in telecom_stats().ladder(locale)}
    plans = set(zip(pop.personas["plan_name"], pop.personas["monthly_price"], strict=True))
    assert plans <= ladder
    assert set(pop.personas["currency"]) == {locale_spec(locale).currency}
    if locale_spec(locale).decimals == 0:
        assert (pop.personas["next_bill_estimate"] % 1 == 0).all()


def test_population_rows_are_the_personas() -> None:
    for i in (0, 1, 977, 19_999):
        p = _persona(index=i)
        row = POP.personas.iloc[i]
        assert row["account_number"] == p.account_number
        assert row["plan_name"] == p.plan_name
        assert row["next_bill_estimate"] == p.next_bill_estimate
        devices = POP.tables["devices"]
        assert list(devices[devices["persona_index"] == i]["name"]) == [d.name for d in p.devices]


def test_the_population_follows_its_calibration() -> None:
    s = telecom_stats()
    people = POP.personas
    broadband = (people["plan_type"] == "Mobile + Home Broadband").mean()
    assert abs(broadband - s.broadband["en_US"].share) < 0.02
    devices = POP.tables["devices"]
    assert abs(devices["financed"].mean() - s.devices.financed("en_US")) < 0.02
    assert (devices.groupby("persona_index").size().value_counts(normalize=True).sort_index().round(2) > 0).all()
    # The monthly need is drawn first and the plan holds at least 60% of it, so overruns stay rare.
    over = (people["overage_charge"] > 0).mean()
    assert 0 < over < 0.05
    # Younger customers use more data (the age effect), at the same locale median overall.
    young = people[people["age"] < 30]["data_used_gb"].median()
    old = people[people["age"] >= 60]["data_used_gb"].median()
    assert young > 2 * old
    # Instalments are consistent with the price in every row.
    fin = devices[devices["financed"]]
    paid = fin["monthly_instalment"] * (fin["instalment_months"] - fin["months_remaining"])
    assert np.allclose(fin["price"] - paid, fin["instalment_balance"], atol=0.51)


def test_every_calibration_section_cites_its_source() -> None:
    raw = read_json("stats/telecom.json")
    for section in ("plans", "usage", "overage", "broadband", "contracts", "devices", "bills", "tickets", "tenure"):
        text = json.dumps(raw[section])
        assert '"source"' in text, f"{section} has no source"
    assert "assumption" in json.dumps(raw).casefold(), "assumptions are marked as such"


# --- prompt, payload, CLI -------------------------------------------------------------


def test_the_prompt_states_plan_usage_devices_bills_and_tickets() -> None:
    from persona_kit import build_system_prompt

    p = _persona()
    prompt = build_system_prompt(get_mode("telecom"), p)
    for heading in ("## Plan, usage and charges", "## Devices", "## Recent bills", "## Support tickets"):
        assert heading in prompt
    assert p.account_number in prompt


@pytest.mark.parametrize("locale", supported_locales())
def test_the_mode_switch_payload_validates_against_the_schema(locale: str) -> None:
    message = mode_switch_message(get_mode("telecom"), _persona(locale=locale))
    jsonschema.validate(message.model_dump(mode="json"), protocol_json_schema())
    assert message.payload.persona.kind == "telecom"


@pytest.mark.parametrize("command", ["show", "payload", "prompt"])
def test_cli_commands_work_for_telecom(command: str) -> None:
    out = io.StringIO()
    assert main([command, "telecom", "--seed", "7"], stdout=out) == 0
    assert _persona().account_number in out.getvalue()


# --- simulator, triggers, chat ----------------------------------------------------------

QUESTIONS = [
    "what's my bill", "is any bill overdue?", "how much data have I got left", "chart my data usage",
    "when does my contract end", "what phones do I have", "how much do I still owe on my phone",
    "any open support tickets?", "show my tickets", "what plan am I on", "do I have broadband",
    "what's my account number", "key metrics", "overview", "chart my bills", "roaming charges in Spain?",
    "how much data did I use last month", "cancel my contract", "what's my PIN", "chart my devices",
    "and the first one?", "thanks",
]  # fmt: skip


@pytest.mark.parametrize("locale", supported_locales())
def test_simulator_answers_telecom_questions_with_grounded_figures(locale: str) -> None:
    mode = get_mode("telecom")
    for seed in range(4):
        p = _persona(seed, locale=locale)
        history: list[str] = []
        for question in QUESTIONS:
            reply = simulate_reply(mode, p, history, question)
            history.append(question)
            report = check_reply(p, reply.text)
            assert report.ok, (question, reply.text, report.ungrounded)
            assert "I don't have that" not in reply.text or "roaming" in question, (question, reply.text)


def test_simulator_topics_for_the_telecom_questions() -> None:
    p = _persona()
    mode = get_mode("telecom")
    assert p.recent_bills[0].amount and "next bill" in simulate_reply(mode, p, [], "what's my bill").text
    assert "contract" in simulate_reply(mode, p, [], "when does my contract end").text
    assert "roaming" in simulate_reply(mode, p, [], "roaming charges in Spain?").text
    assert simulate_reply(mode, p, [], "what's my PIN").text.startswith("For your security")
    tools = simulate_reply(mode, p, [], "key metrics").tools
    assert [t.payload.tool for t in tools] == ["show_metrics"]


@pytest.mark.parametrize(
    ("text", "mode_id"),
    [
        ("Presto-Change-O, you're a phone company", "telecom"),
        ("Presto-Change-O, you're a mobile carrier", "telecom"),
        ("presto chango, be a telco", "telecom"),
        ("Presto-Change-O, you're a broadband provider called Fibrewave", "telecom"),
        ("I called the phone company today", None),
    ],
)
def test_trigger_words_name_telecom(text: str, mode_id: str | None) -> None:
    request = detect_mode_request(text)
    assert (request.mode_id if request else None) == mode_id


def test_a_session_switches_to_telecom_and_chats() -> None:
    session = Session("ws-telecom")
    out = list(session.handle('{"type": "chat", "payload": {"text": "Presto-Change-O, you\'re a telco"}}'))
    assert [m.type for m in out][:2] == ["mode_switch", "chat_start"]  # then the greeting
    assert session.mode.id == "telecom" and session.persona.kind == "telecom"
    reply = list(session.handle('{"type": "chat", "payload": {"text": "how much data do I have left?"}}'))
    text = "".join(m.payload.text for m in reply if m.type == "chat_chunk")  # type: ignore[union-attr]
    assert "GB" in text or "unlimited" in text


def test_chat_simulator_widget_runs_a_telecom_chat() -> None:
    pytest.importorskip("ipywidgets")
    from persona_kit.widgets import ChatSimulator

    sim = ChatSimulator(mode="telecom", seed=7)
    sim.send("chart my bills")
    exchange = sim.exchanges[-1]
    assert exchange.done and exchange.report is not None and exchange.report.ok
    assert exchange.charts and "Bills by month" in exchange.charts[0].alt
