"""The wire protocol: envelope, reference field names, generated schema, inbound parsing that never raises."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from persona_kit import generate_persona, get_mode
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.protocol import (
    INBOUND_TYPES,
    MAX_MESSAGE_BYTES,
    OUTBOUND_TYPES,
    ChatMessage,
    ClearChatMessage,
    ErrorMessage,
    SwitchModeMessage,
    chat_chunk_message,
    chat_cleared_message,
    chat_error_message,
    chat_message,
    chat_start_message,
    clear_chat_message,
    error_message,
    mode_switch_message,
    parse_inbound,
    parse_outbound,
    protocol_json_schema,
    protocol_json_schema_text,
    switch_mode_message,
    tool_result_message,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_COPY = ROOT / "data" / "schema" / "protocol.schema.json"

# The reference dashboard's field names (issue 2, section 2; issue 3, section 2).
WIRE_MODE_FIELDS = {
    "id", "name", "company_name", "tagline", "theme", "tabs", "defaultMetrics",
    "background_image", "hero_image", "chat_image",
}  # fmt: skip
THEME_FIELDS = {"primary", "secondary", "background", "surface", "text", "text_muted"}
REFERENCE_PERSONA_FIELDS: dict[str, dict[str, set[str]]] = {
    "banking": {
        "": {"name", "member_since", "checking_balance", "savings_balance", "account_number_last4", "credit_score",
             "credit_limit", "recent_transactions"},
        "recent_transactions": {"date", "description", "amount", "category"},
    },
    "insurance": {
        "": {"name", "member_since", "active_policies", "claims_history", "total_coverage", "monthly_premium",
             "risk_score"},
        "active_policies": {"type", "coverage", "premium", "deductible", "policy_number", "renewal_date"},
        "claims_history": {"claim_id", "date", "type", "amount", "status"},
    },
    "healthcare": {
        "": {"name", "member_id", "date_of_birth", "primary_care_provider", "plan_name", "deductible",
             "deductible_met", "out_of_pocket_max", "out_of_pocket_spent", "upcoming_appointments",
             "active_prescriptions"},
        "upcoming_appointments": {"date", "time", "provider", "specialty", "location"},
        "active_prescriptions": {"medication", "dosage", "frequency", "refills_remaining"},
    },
}  # fmt: skip


def _examples() -> list[Any]:
    """One message of each type."""
    return [
        mode_switch_message(get_mode("banking"), generate_persona("banking", 42)),
        chat_start_message(),
        chat_chunk_message("Your checking balance is "),
        chat_chunk_message("$9,331.76.", done=True),
        tool_result_message(
            "show_chart",
            {"chart_type": "bar", "title": "Spending", "data": [{"label": "Groceries", "value": 154.76}]},
        ),
        tool_result_message("show_metrics", {"metrics": [{"label": "Credit score", "value": 685, "unit": "points"}]}),
        chat_error_message("The model is rate limited; try again in a minute.", code="rate_limit"),
        chat_cleared_message(),
        error_message("unknown_type", "'hello' is not a message type"),
        chat_message("What's my balance?"),
        clear_chat_message(),
        switch_mode_message("insurance"),
    ]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = protocol_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_message_has_the_envelope_and_round_trips(validator: jsonschema.Draft202012Validator) -> None:
    seen = set()
    for message in _examples():
        wire = json.loads(message.model_dump_json())
        assert set(wire) == {"type", "payload"}
        assert isinstance(wire["payload"], dict)
        seen.add(wire["type"])
        validator.validate(wire)
        if wire["type"] in OUTBOUND_TYPES:
            assert parse_outbound(message.model_dump_json()) == message
        else:
            assert parse_inbound(message.model_dump_json()) == message
    assert seen == set(OUTBOUND_TYPES) | set(INBOUND_TYPES)


def test_chat_chunk_and_tool_result_payloads() -> None:
    assert json.loads(chat_chunk_message("Hi").model_dump_json()) == {
        "type": "chat_chunk",
        "payload": {"text": "Hi", "done": False},
    }
    result = tool_result_message("show_metrics", {"metrics": [{"label": "Risk", "value": 21, "unit": "points"}]})
    assert json.loads(result.model_dump_json())["payload"] == {
        "tool": "show_metrics",
        "result": {"metrics": [{"label": "Risk", "value": 21, "unit": "points"}]},
    }
    with pytest.raises(ValidationError, match="chart_type"):
        tool_result_message("show_chart", {"chart_type": "radar", "title": "x", "data": [{"label": "a", "value": 1}]})
    with pytest.raises(ValidationError, match="show_chart"):
        tool_result_message("draw", {})


@pytest.mark.parametrize("mode_id", BUILTIN_MODE_IDS)
def test_mode_switch_validates_and_carries_every_reference_field(
    mode_id: str, validator: jsonschema.Draft202012Validator
) -> None:
    mode = get_mode(mode_id)
    for seed in (0, 42, "session-a"):
        wire = json.loads(mode_switch_message(mode, generate_persona(mode_id, seed)).model_dump_json())
        validator.validate(wire)
        assert wire["type"] == "mode_switch"
        wire_mode = wire["payload"]["mode"]
        assert set(wire_mode) == WIRE_MODE_FIELDS  # no system prompt leaks to the browser
        assert set(wire_mode["theme"]) == THEME_FIELDS
        assert all(set(tab) == {"id", "label", "icon"} for tab in wire_mode["tabs"])
        assert all(set(m) == {"label", "value", "unit"} for m in wire_mode["defaultMetrics"])
        assert wire_mode["company_name"] == mode.company_name
        persona = wire["payload"]["persona"]
        assert persona == generate_persona(mode_id, seed).model_dump(mode="json")
        # The reference dashboard has no telecom persona: only its own three kinds have reference fields.
        for list_name, names in REFERENCE_PERSONA_FIELDS.get(mode_id, {"": {"name"}}).items():
            rows = [persona] if not list_name else persona[list_name]
            for row in rows:
                assert names <= set(row), f"{mode_id}.{list_name} lacks {names - set(row)}"


def test_mode_switch_refuses_a_persona_of_another_kind() -> None:
    with pytest.raises(ValueError, match="uses insurance personas"):
        mode_switch_message(get_mode("insurance"), generate_persona("banking", 1))


def test_schema_copy_in_data_matches_the_models() -> None:
    assert SCHEMA_COPY.read_text(encoding="utf-8") == protocol_json_schema_text(), (
        "data/schema/protocol.schema.json is stale: run `persona-kit schema > data/schema/protocol.schema.json`"
    )


def test_schema_requires_type_and_refuses_unknown_types(validator: jsonschema.Draft202012Validator) -> None:
    assert not validator.is_valid({"payload": {"text": "hi"}})
    assert not validator.is_valid({"type": "shout", "payload": {}})
    assert not validator.is_valid({"type": "chat", "payload": {"text": "hi"}, "extra": 1})
    assert not validator.is_valid({"type": "chat_chunk", "payload": {"text": "hi"}})  # outbound always sends done
    assert validator.is_valid({"type": "clear_chat"})  # a client may omit an empty payload
    defs = protocol_json_schema()["$defs"]
    assert {"InboundMessage", "OutboundMessage"} <= set(defs)
    assert "system_prompt" not in json.dumps(defs["WireMode"])


# --- parsing inbound text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        ("{", "invalid_json", "not valid JSON"),
        ("", "invalid_json", "not valid JSON"),
        (b"\xff\xfe", "invalid_json", "not valid UTF-8"),
        ("[" * 50_000, "invalid_json", "nested too deeply"),
        ("[]", "invalid_message", "got list"),
        ("42", "invalid_message", "got int"),
        ('{"payload": {}}', "invalid_message", '"type" is missing (one of: chat, clear_chat, switch_mode)'),
        ('{"type": 3}', "invalid_message", '"type" must be a string'),
        ('{"type": "shout"}', "unknown_type", "'shout' is not a message type; client messages are: chat"),
        ('{"type": "mode_switch", "payload": {}}', "unknown_type", "sent by the server, not the client"),
        ('{"type": "chat"}', "invalid_message", "invalid chat message: payload: Field required"),
        ('{"type": "chat", "payload": {}}', "invalid_message", "payload.text: Field required"),
        ('{"type": "chat", "payload": {"text": 5}}', "invalid_message", "payload.text: Input should be a valid string"),
        ('{"type": "chat", "payload": {"text": ""}}', "invalid_message", "payload.text: String should have at least"),
        ('{"type": "chat", "payload": {"text": "hi"}, "id": 1}', "invalid_message", "id: Extra inputs"),
        ('{"type": "switch_mode", "payload": {"mode": "x"}}', "invalid_message", "payload.mode_id: Field required"),
        ('{"type": "chat", "payload": {"text": "\\ud800"}}', "invalid_message", "payload.text"),
    ],
)
def test_bad_inbound_text_becomes_an_error_message(raw: str | bytes, code: str, says: str) -> None:
    out = parse_inbound(raw)
    assert isinstance(out, ErrorMessage)
    assert out.payload.code == code
    assert says in out.payload.message
    json.loads(out.model_dump_json())  # and the error itself is sendable


def _chat_of_size(size: int) -> str:
    shell = json.dumps({"type": "chat", "payload": {"text": ""}})
    return shell.replace('""', '"' + "x" * (size - len(shell)) + '"')


def test_64_kib_is_the_limit() -> None:
    assert isinstance(parse_inbound(_chat_of_size(MAX_MESSAGE_BYTES)), ChatMessage)
    for raw in (_chat_of_size(MAX_MESSAGE_BYTES + 1), _chat_of_size(MAX_MESSAGE_BYTES + 1).encode(), "x" * 10**7):
        out = parse_inbound(raw)
        assert isinstance(out, ErrorMessage)
        assert out.payload.code == "too_large"
        assert "65,536 bytes" in out.payload.message


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    text = "é" * 20_000  # 20,000 characters, 40,000 bytes: fine
    assert isinstance(
        parse_inbound(json.dumps({"type": "chat", "payload": {"text": text}}, ensure_ascii=False)), ChatMessage
    )
    text = "€" * 22_000  # 22,000 characters, 66,000 bytes: too large
    out = parse_inbound(json.dumps({"type": "chat", "payload": {"text": text}}, ensure_ascii=False))
    assert isinstance(out, ErrorMessage)
    assert out.payload.code == "too_large"


def test_valid_inbound_messages_parse_from_text_bytes_dicts_and_models() -> None:
    raw = '{"type": "chat", "payload": {"text": "Presto-Change-O, you\'re a bank"}}'
    for form in (
        raw,
        raw.encode(),
        bytearray(raw.encode()),
        json.loads(raw),
        chat_message("Presto-Change-O, you're a bank"),
    ):
        out = parse_inbound(form)
        assert isinstance(out, ChatMessage)
        assert out.payload.text == "Presto-Change-O, you're a bank"
    assert isinstance(parse_inbound('{"type": "clear_chat"}'), ClearChatMessage)
    assert isinstance(parse_inbound('{"type": "clear_chat", "payload": {}}'), ClearChatMessage)
    switch = parse_inbound('{"type": "switch_mode", "payload": {"mode_id": "healthcare"}}')
    assert isinstance(switch, SwitchModeMessage)
    assert switch.payload.mode_id == "healthcare"


def test_unexpected_objects_never_raise() -> None:
    for raw in (None, 3.5, object(), {1: 2}, {"type": "chat", "payload": "hi"}):
        assert isinstance(parse_inbound(raw), ErrorMessage)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(
    st.text(max_size=300)
    | st.binary(max_size=300)
    | _json.map(json.dumps)
    | st.fixed_dictionaries({"type": st.sampled_from([*INBOUND_TYPES, *OUTBOUND_TYPES, "x"]), "payload": _json}).map(
        json.dumps
    )
)
def test_parsing_arbitrary_input_never_raises(raw: str | bytes) -> None:
    out = parse_inbound(raw)
    assert isinstance(out, ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage)
    json.loads(out.model_dump_json())


@given(st.text(min_size=1, max_size=200))
def test_any_chat_text_round_trips(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return
    out = parse_inbound(chat_message(text).model_dump_json())
    assert isinstance(out, ChatMessage)
    assert out.payload.text == text


# --- the documentation's examples ------------------------------------------------------

DOC = ROOT / "docs" / "protocol.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_json_example_in_the_docs_is_a_valid_message(validator: jsonschema.Draft202012Validator) -> None:
    blocks = _blocks("json")
    types = set()
    for block in blocks:
        wire = json.loads(block)
        validator.validate(wire)
        if wire["type"] in INBOUND_TYPES:
            assert not isinstance(parse_inbound(block), ErrorMessage), block
        else:
            parse_outbound(block)
        types.add(wire["type"])
    assert types == set(INBOUND_TYPES) | set(OUTBOUND_TYPES), "one example of each message"


def test_the_docs_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    for block in _blocks("python"):
        exec(compile(block, str(DOC), "exec"), namespace)
    out = capsys.readouterr().out
    assert "invalid chat message: payload.text: Field required" in out
    assert "Summit National Bank" in out


def test_the_size_limit_also_holds_for_decoded_input() -> None:
    from persona_kit.protocol import MAX_MESSAGE_BYTES, ErrorMessage, parse_inbound

    big = {"type": "chat", "payload": {"text": "x" * (MAX_MESSAGE_BYTES + 1)}}
    out = parse_inbound(big)
    assert isinstance(out, ErrorMessage)
    assert out.payload.code == "too_large"  # as the same message sent as text


# --- hostile input ----------------------------------------------------------------------------------------------


def _error(raw: object) -> tuple[str, str]:
    from persona_kit.protocol import ErrorMessage, parse_inbound

    out = parse_inbound(raw)
    assert isinstance(out, ErrorMessage), out
    return out.payload.code, out.payload.message


def _nested(depth: int) -> list[object]:
    top: list[object] = []
    inner = top
    for _ in range(depth):
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    return top


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        ({"type": "chat", "payload": {"text": "\U0001f600" * 65_536}}, "too_large", "262,"),  # 4 bytes each
        ({"type": "switch_mode", "payload": {"mode_id": "x" * 10_000_000}}, "too_large", "10,000,"),
        ('{"type": "chat", "payload": {"text": 5}}', "invalid_message", "payload.text: Input should be a valid string"),
        ('{"type": "chat", "payload": {"text": ["hi"]}}', "invalid_message", "payload.text: Input should be a valid"),
        ({"type": "chat", "payload": {"text": {"a": "hi"}}}, "invalid_message", "payload.text: Input should be"),
        ({"type": "chat", "payload": {"text": b"hi"}}, "invalid_message", "payload.text: Input should be a valid"),
        ("[" * 100_000 + "]" * 100_000, "too_large", "200,000 bytes"),
        ('{"type": "chat", "payload": {"text": ' + "[" * 30_000 + "]" * 30_000 + "}}", "invalid_json", "too deeply"),
        ({"type": "chat", "payload": {"text": _nested(100_000)}}, "invalid_message", "nested too deeply"),
        ('{"type": "chat", "payload": {"text": ' + "9" * 60_000 + "}}", "invalid_json", "60,000 digits"),
        ('{"type": "chat", "payload": {"text": NaN}}', "invalid_json", "NaN is not a JSON value"),
        ('{"type": "chat", "payload": {"text": "a", "n": -Infinity}}', "invalid_json", "-Infinity is not a JSON"),
        ('{"type": "chat", "payload": {"text": "\\ud800"}}', "invalid_message", "payload.text"),
        ({"type": "chat", "payload": {"text": "\ud800"}}, "invalid_message", "payload.text"),
        ('{"type": "chat", "payload": {"text": "a\\u0000b"}}', "invalid_message", "payload.text: contains a NUL"),
        ('{"type": "chat", "payload": {"text": "a\x00b"}}', "invalid_json", "Invalid control character"),
        (b'{"type": "chat", "payload": {"text": "\xff"}}', "invalid_json", "not valid UTF-8 (byte 38)"),
        ({"type": "chat", "payload": {"text": "a", "k" * 50_000: 1}}, "invalid_message", "(50,000 characters)"),
        ({"type": "x" * 10_000}, "unknown_type", "not a message type"),
    ],
    ids=[
        "emoji dict",
        "huge mode_id dict",
        "number text",
        "list text",
        "dict text",
        "bytes text",
        "depth bomb",
        "deep text",
        "deep dict",
        "huge number",
        "NaN",
        "Infinity",
        "escaped surrogate",
        "lone surrogate",
        "escaped NUL",
        "raw NUL",
        "not UTF-8",
        "huge key",
        "huge type",
    ],
)
def test_hostile_messages_are_refused_clearly(raw: object, code: str, says: str) -> None:
    got_code, message = _error(raw)
    assert (got_code, says in message) == (code, True), message
    assert len(message) < 300  # names the problem, never echoes the input


def test_an_unknown_mode_is_quoted_by_its_prefix() -> None:
    from persona_kit import Session

    session = Session("ws-1", responder=None)
    raw = '{"type": "switch_mode", "payload": {"mode_id": "' + "z" * 60_000 + '"}}'
    (reply,) = session.handle(raw)
    assert reply.type == "error"
    assert reply.payload.code == "unknown_mode"
    assert "'zzzzzzzz" in reply.payload.message
    assert "(60,000 characters)" in reply.payload.message
    assert len(reply.payload.message) < 300
    assert "known modes: banking" in reply.payload.message


def test_a_model_is_held_to_the_same_limit() -> None:
    from persona_kit.protocol import chat_message

    assert _error(chat_message("\U0001f600" * 65_536))[0] == "too_large"
    assert _error(chat_message("a\x00b"))[0] == "invalid_message"
