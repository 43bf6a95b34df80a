"""Reading inbound text safely: every failure becomes an ``error`` message, never an exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from persona_kit.protocol.messages import (
    _INBOUND,
    INBOUND_TYPES,
    MAX_MESSAGE_BYTES,
    OUTBOUND_TYPES,
    ChatMessage,
    ClearChatMessage,
    ErrorMessage,
    OutboundMessage,
    SwitchModeMessage,
    error_message,
)

RawMessage = str | bytes | bytearray | Mapping[str, Any]
_VALID_TYPES = ", ".join(INBOUND_TYPES)
_SHAPE = 'expected a JSON object {"type": ..., "payload": {...}}'


def _describe(err: ValidationError, kind: str) -> str:
    problems = []
    for e in err.errors(include_url=False, include_input=False)[:5]:
        path = ".".join(str(p) for p in e["loc"]) or "(message)"
        problems.append(f"{path}: {e['msg']}")
    more = f" (and {err.error_count() - 5} more)" if err.error_count() > 5 else ""
    return f"invalid {kind} message: {'; '.join(problems)}{more}"


def _too_large(size: int) -> ErrorMessage:
    return error_message(
        "too_large", f"message is {size:,} bytes; the limit is {MAX_MESSAGE_BYTES:,} bytes (64 KiB) of UTF-8 JSON"
    )


def _decode(raw: str | bytes | bytearray) -> str | ErrorMessage:
    """Check the size and decode; a str is measured by its UTF-8 length."""
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_MESSAGE_BYTES:
            return _too_large(len(raw))
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError as err:
            return error_message("invalid_json", f"message is not valid UTF-8 (byte {err.start}): send UTF-8 JSON")
    if len(raw) > MAX_MESSAGE_BYTES:
        return _too_large(len(raw.encode("utf-8", "surrogatepass")))
    if len(raw) * 4 > MAX_MESSAGE_BYTES:
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > MAX_MESSAGE_BYTES:
            return _too_large(size)
    return raw


def _load(raw: str | bytes | bytearray) -> object:
    text = _decode(raw)
    if isinstance(text, ErrorMessage):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        return error_message("invalid_json", f"message is not valid JSON: {err.msg} at {where}")
    except RecursionError:
        return error_message("invalid_json", "message is not valid JSON: nested too deeply")


def _from_mapping(data: Mapping[Any, Any]) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    kind = data.get("type")
    if not isinstance(kind, str):
        problem = '"type" is missing' if kind is None else '"type" must be a string'
        return error_message("invalid_message", f"{_SHAPE}; {problem} (one of: {_VALID_TYPES})")
    model = _INBOUND.get(kind)
    if model is None:
        shown = kind if len(kind) <= 40 else kind[:40] + "..."
        hint = " is sent by the server, not the client" if kind in OUTBOUND_TYPES else " is not a message type"
        return error_message("unknown_type", f"{shown!r}{hint}; client messages are: {_VALID_TYPES}")
    try:
        return model.model_validate(dict(data))
    except ValidationError as err:
        return error_message("invalid_message", _describe(err, kind))


def _parse(raw: object) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    if isinstance(raw, ChatMessage | ClearChatMessage | SwitchModeMessage):
        return raw
    data = _load(raw) if isinstance(raw, str | bytes | bytearray) else raw
    if isinstance(data, ErrorMessage):
        return data
    if not isinstance(data, Mapping):
        return error_message("invalid_message", f"{_SHAPE}, got {type(data).__name__}")
    return _from_mapping(data)


def parse_inbound(raw: object) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    """An inbound message from raw JSON text or bytes (or a decoded dict, or a message model).

    Never raises: oversized, non-UTF-8, malformed JSON, unknown ``type`` and bad
    or missing fields all come back as an :class:`ErrorMessage` naming the problem.
    """
    try:
        return _parse(raw)
    except Exception as err:  # the last line of defence: a connection must survive any input
        return error_message("invalid_message", f"message could not be read ({type(err).__name__}); {_SHAPE}")


@cache
def _outbound_adapter() -> TypeAdapter[OutboundMessage]:
    return TypeAdapter(OutboundMessage)


def parse_outbound(raw: str | bytes) -> OutboundMessage:
    """An outbound message from JSON (what a dashboard or a test receives); raises ValidationError."""
    return _outbound_adapter().validate_json(raw)
