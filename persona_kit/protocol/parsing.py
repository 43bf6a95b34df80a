"""Reading inbound text safely: every failure becomes an ``error`` message, never an exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from persona_kit.errors import SHOWN_CHARS
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


def _shown(value: object) -> str:
    """A short quotation of a bad value: its first characters, and how long it was when cut."""
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}... ({len(text):,} characters)"


class _NotJsonError(ValueError):
    """A JSON text Python's decoder accepts but JSON does not: NaN and Infinity, or a number too long to read."""


def _no_constant(name: str) -> object:
    msg = f"{name} is not a JSON value (send numbers as digits)"
    raise _NotJsonError(msg)


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
        msg = f"a number has {len(digits):,} digits; at most {_MAX_INT_DIGITS:,} are read"
        raise _NotJsonError(msg)
    return int(digits)


_MAX_INT_DIGITS = 4300
"""Python's own limit on reading an integer (``sys.get_int_max_str_digits``), said in a clear message."""


def _describe(err: ValidationError, kind: str) -> str:
    problems = []
    for e in err.errors(include_url=False, include_input=False)[:5]:
        path = ".".join(_shown(p) for p in e["loc"]) or "(message)"  # a key is client text: quote a prefix
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
        return json.loads(text, parse_constant=_no_constant, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        return error_message("invalid_json", f"message is not valid JSON: {err.msg} at {where}")
    except _NotJsonError as err:
        return error_message("invalid_json", f"message is not valid JSON: {err}")
    except RecursionError:
        return error_message("invalid_json", "message is not valid JSON: nested too deeply")


def _mapping_size(data: Mapping[Any, Any]) -> int | ErrorMessage:
    """The UTF-8 size of ``data`` as compact JSON: what the same message would weigh as text."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=repr)
    except RecursionError:
        return error_message("invalid_message", f"message is nested too deeply; {_SHAPE}")
    except (TypeError, ValueError) as err:  # a key JSON cannot hold, or a container that holds itself
        return error_message("invalid_message", f"message cannot be written as JSON ({_shown(err)}); {_SHAPE}")
    return len(text.encode("utf-8", "surrogatepass"))


def _from_mapping(data: Mapping[Any, Any]) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    kind = data.get("type")
    if not isinstance(kind, str):
        problem = '"type" is missing' if kind is None else '"type" must be a string'
        return error_message("invalid_message", f"{_SHAPE}; {problem} (one of: {_VALID_TYPES})")
    model = _INBOUND.get(kind)
    if model is None:
        shown = kind if len(kind) <= SHOWN_CHARS else kind[:SHOWN_CHARS] + "..."
        hint = " is sent by the server, not the client" if kind in OUTBOUND_TYPES else " is not a message type"
        return error_message("unknown_type", f"{shown!r}{hint}; client messages are: {_VALID_TYPES}")
    size = _mapping_size(data)
    if isinstance(size, ErrorMessage):
        return size
    if size > MAX_MESSAGE_BYTES:
        return _too_large(size)
    try:
        message = model.model_validate(dict(data), strict=True)  # strict: a text is a str, never bytes or a number
    except ValidationError as err:
        return error_message("invalid_message", _describe(err, kind))
    return _refuse_nul(message)


def _refuse_nul(
    message: ChatMessage | ClearChatMessage | SwitchModeMessage,
) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    """A NUL character (JSON's ``\\u0000``) is valid JSON but no text a person types; it ends C strings downstream."""
    for name, value in message.payload:
        if isinstance(value, str) and "\x00" in value:
            problem = f"invalid {message.type} message: payload.{name}: contains a NUL character"
            return error_message("invalid_message", problem)
    return message


def _parse(raw: object) -> ChatMessage | ClearChatMessage | SwitchModeMessage | ErrorMessage:
    if isinstance(raw, ChatMessage | ClearChatMessage | SwitchModeMessage):
        size = len(raw.model_dump_json().encode("utf-8", "surrogatepass"))
        return _too_large(size) if size > MAX_MESSAGE_BYTES else _refuse_nul(raw)
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
    A dict or a model is held to the same 64 KiB as text, measured as its compact
    UTF-8 JSON; an error quotes at most the first 40 characters of a bad value.
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
