"""The wire messages: Pydantic models with the envelope {"type": ..., "payload": {...}}, and constructors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from persona_kit.data import icon_glyph
from persona_kit.formatting import formatter_for
from persona_kit.generate import Persona
from persona_kit.industries import industry_of, persona_models
from persona_kit.models.modes import Mode, Tab, Theme
from persona_kit.modes import check_mode_persona

MAX_MESSAGE_BYTES = 64 * 1024
"""Inbound messages larger than this (UTF-8 bytes) are refused with an ``error``."""

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class WireModel(BaseModel):
    """Frozen, strict about unknown keys, and always serialised by wire name (``defaultMetrics``)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        serialize_by_alias=True,
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_serialization_defaults_required=True,
        defer_build=True,  # build validators on first use: keeps `import persona_kit` fast
    )


def _require_type(schema: dict[str, Any]) -> None:
    """``type`` has a default in Python but is required on the wire."""
    schema["required"] = ["type", *(name for name in schema.get("required", []) if name != "type")]


class EmptyPayload(WireModel):
    """A payload with no fields: ``{}``."""


# --- outbound: persona_kit -> dashboard ------------------------------------------


class WireMetric(WireModel):
    """A headline metric as the dashboard shows it: ``value`` is the display value, ``unit`` a suffix.

    persona_kit sends the value already spelled in the persona's locale ("$2,832.64", "690,43 €", "73%",
    "13.5 GB") or as a plain count, with an empty unit, so every dashboard version prints it as is.
    """

    label: str
    value: str | int | float
    unit: str = ""


class WireMode(WireModel):
    """A mode as the dashboard reads it (the reference field names, ``defaultMetrics`` included)."""

    id: str
    name: str
    company_name: str
    tagline: str
    theme: Theme
    tabs: list[Tab]
    default_metrics: Annotated[list[WireMetric], Field(alias="defaultMetrics")]
    background_image: str | None
    hero_image: str | None
    chat_image: str | None


if TYPE_CHECKING:
    WirePersona = Persona
else:  # the discriminated union of every registered industry's persona model
    WirePersona = Annotated[Union[persona_models()], Field(discriminator="kind")]  # noqa: UP007 - built at run time


class ModeSwitchPayload(WireModel):
    """The new mode and the persona generated for it."""

    mode: WireMode
    persona: WirePersona


class ModeSwitchMessage(WireModel):
    """Re-skin the dashboard for a mode, show its persona, and clear the chat."""

    type: Literal["mode_switch"] = "mode_switch"
    payload: ModeSwitchPayload


class ChatStartMessage(WireModel):
    """An assistant reply begins; ``chat_chunk`` messages follow."""

    type: Literal["chat_start"] = "chat_start"
    payload: EmptyPayload = Field(default_factory=EmptyPayload)


class ChatChunkPayload(WireModel):
    """A piece of reply text; the last chunk of a reply has ``done: true``."""

    text: str
    done: bool = False


class ChatChunkMessage(WireModel):
    """A streamed piece of the assistant's reply."""

    type: Literal["chat_chunk"] = "chat_chunk"
    payload: ChatChunkPayload


class ChartPoint(WireModel):
    """One labelled value of a chart (multi-series labels read ``2025-01 - Checking``)."""

    label: str
    value: int | float


class ChartResult(WireModel):
    """What ``show_chart`` draws."""

    chart_type: Literal["line", "bar", "pie", "area"]
    title: str
    data: Annotated[list[ChartPoint], Field(min_length=1)]


class MetricValue(WireModel):
    """One headline figure of ``show_metrics``: a display value (or a number) and an optional unit suffix."""

    label: str
    value: int | float | str
    unit: str = ""


class MetricsResult(WireModel):
    """What ``show_metrics`` shows."""

    metrics: Annotated[list[MetricValue], Field(min_length=1)]


class ShowChartPayload(WireModel):
    """The ``show_chart`` tool's result."""

    tool: Literal["show_chart"] = "show_chart"
    result: ChartResult


class ShowMetricsPayload(WireModel):
    """The ``show_metrics`` tool's result."""

    tool: Literal["show_metrics"] = "show_metrics"
    result: MetricsResult


ToolResultPayload = Annotated[ShowChartPayload | ShowMetricsPayload, Field(discriminator="tool")]


class ToolResultMessage(WireModel):
    """A tool the assistant called, with the result the dashboard renders."""

    type: Literal["tool_result"] = "tool_result"
    payload: ToolResultPayload


class ChatErrorPayload(WireModel):
    """Why a reply failed; the conversation so far stays usable.

    ``error`` is what the dashboards print ("Error: ..."); ``message`` (the same text) and ``code`` are
    persona_kit's own fields for clients that branch on the kind of failure.
    """

    error: str
    message: str
    code: str = "reply_failed"


class ChatErrorMessage(WireModel):
    """The assistant could not reply (model unreachable, rate limited, ...)."""

    type: Literal["chat_error"] = "chat_error"
    payload: ChatErrorPayload


class ChatClearedMessage(WireModel):
    """The conversation history was cleared."""

    type: Literal["chat_cleared"] = "chat_cleared"
    payload: EmptyPayload = Field(default_factory=EmptyPayload)


ErrorCode = Literal["too_large", "invalid_json", "unknown_type", "invalid_message", "unknown_mode"]


class ErrorPayload(WireModel):
    """What was wrong with an inbound message, and what is valid (``error`` repeats ``message`` for dashboards)."""

    error: str
    code: ErrorCode
    message: str


class ErrorMessage(WireModel):
    """An inbound message was refused; nothing changed."""

    type: Literal["error"] = "error"
    payload: ErrorPayload


OutboundMessage = Annotated[
    ModeSwitchMessage
    | ChatStartMessage
    | ChatChunkMessage
    | ToolResultMessage
    | ChatErrorMessage
    | ChatClearedMessage
    | ErrorMessage,
    Field(discriminator="type"),
]


# --- inbound: dashboard -> persona_kit ------------------------------------------


class InboundModel(WireModel):
    """Inbound messages: ``type`` is required in the schema, clients always send it."""

    model_config = ConfigDict(json_schema_extra=lambda schema, _cls: _require_type(schema))


class ChatPayload(WireModel):
    """What the user typed (the 64 KiB message limit also bounds dicts and models, not only raw text)."""

    text: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_BYTES)]


class ChatMessage(InboundModel):
    """A user message; the assistant replies, or the mode switches if it asks for one."""

    type: Literal["chat"] = "chat"
    payload: ChatPayload


class ClearChatMessage(InboundModel):
    """Forget the conversation (the mode and persona stay)."""

    type: Literal["clear_chat"] = "clear_chat"
    payload: EmptyPayload = Field(default_factory=EmptyPayload)


class SwitchModePayload(WireModel):
    """The mode to switch to, by id."""

    mode_id: Annotated[str, Field(min_length=1)]


class SwitchModeMessage(InboundModel):
    """Switch mode without typing a trigger phrase."""

    type: Literal["switch_mode"] = "switch_mode"
    payload: SwitchModePayload


InboundMessage = Annotated[ChatMessage | ClearChatMessage | SwitchModeMessage, Field(discriminator="type")]

_INBOUND: Mapping[str, type[ChatMessage | ClearChatMessage | SwitchModeMessage]] = MappingProxyType(
    {"chat": ChatMessage, "clear_chat": ClearChatMessage, "switch_mode": SwitchModeMessage}
)
INBOUND_TYPES = tuple(_INBOUND)
OUTBOUND_TYPES = ("mode_switch", "chat_start", "chat_chunk", "tool_result", "chat_error", "chat_cleared", "error")


# --- constructors ----------------------------------------------------------------


def wire_metrics(mode: Mode, persona: Persona) -> list[WireMetric]:
    """The mode's headline metrics with the persona's real values, spelled in its locale.

    Each ``default_metrics`` label names one of the industry's metrics (``Industry.metrics``); a label the
    industry does not define is left out, and a mode naming none of them gets the industry's card metrics.
    """
    record = industry_of(persona)
    fmt = formatter_for(persona)
    defined = {d.label for d in record.metrics}
    labels = [m.label for m in mode.default_metrics if m.label in defined]
    chosen = labels or record.card_metrics[:3]
    return [WireMetric(label=label, value=record.metric(label).wire_value(persona, fmt)) for label in chosen]


def wire_mode(mode: Mode, persona: Persona | None = None) -> WireMode:
    """The dashboard's view of a mode (no system prompt: that stays on the server).

    With a persona the headline metrics carry its values (see :func:`wire_metrics`); without one they are
    the labels alone, each with an empty value.
    """
    metrics = (
        wire_metrics(mode, persona)
        if persona is not None
        else [WireMetric(label=m.label, value="") for m in mode.default_metrics]
    )
    return WireMode(
        id=mode.id,
        name=mode.name,
        company_name=mode.company_name,
        tagline=mode.tagline,
        theme=mode.theme,
        tabs=[Tab(id=tab.id, label=tab.label, icon=icon_glyph(tab.icon)) for tab in mode.tabs],
        default_metrics=metrics,
        background_image=mode.background_image,
        hero_image=mode.hero_image,
        chat_image=mode.chat_image,
    )


def mode_switch_message(mode: Mode, persona: Persona) -> ModeSwitchMessage:
    """The ``mode_switch`` message for a mode and its persona."""
    check_mode_persona(mode, persona)
    return ModeSwitchMessage(payload=ModeSwitchPayload(mode=wire_mode(mode, persona), persona=persona))


def chat_start_message() -> ChatStartMessage:
    """``chat_start``: a reply begins."""
    return ChatStartMessage()


def chat_chunk_message(text: str, *, done: bool = False) -> ChatChunkMessage:
    """``chat_chunk``: a piece of reply text (``done=True`` on the last)."""
    return ChatChunkMessage(payload=ChatChunkPayload(text=text, done=done))


def reply_chunks(text: str) -> Iterator[ChatChunkMessage]:
    """``text`` as word-sized ``chat_chunk`` messages (each word with its trailing space), then an empty ``done``.

    The ``done`` chunk carries no text: dashboards stop appending when they see it.
    """
    for word in re.findall(r"^\s*\S+\s*|\S+\s*", text):
        yield chat_chunk_message(word)
    yield chat_chunk_message("", done=True)


def tool_result_message(tool: str, result: Mapping[str, Any] | ChartResult | MetricsResult) -> ToolResultMessage:
    """``tool_result`` for ``show_chart`` or ``show_metrics``; raises ValidationError on a bad result."""
    return ToolResultMessage(payload=_tool_payload_adapter().validate_python({"tool": tool, "result": result}))


def chat_error_message(message: str, *, code: str = "reply_failed") -> ChatErrorMessage:
    """``chat_error``: the reply failed, the conversation stays usable."""
    return ChatErrorMessage(payload=ChatErrorPayload(error=message, message=message, code=code))


def chat_cleared_message() -> ChatClearedMessage:
    """``chat_cleared``: the history is empty now."""
    return ChatClearedMessage()


def error_message(code: ErrorCode, message: str) -> ErrorMessage:
    """``error``: an inbound message was refused."""
    return ErrorMessage(payload=ErrorPayload(error=message, code=code, message=message))


def chat_message(text: str) -> ChatMessage:
    """Inbound ``chat`` (what the dashboard sends when the user types)."""
    return ChatMessage(payload=ChatPayload(text=text))


def clear_chat_message() -> ClearChatMessage:
    """Inbound ``clear_chat``."""
    return ClearChatMessage()


def switch_mode_message(mode_id: str) -> SwitchModeMessage:
    """Inbound ``switch_mode``."""
    return SwitchModeMessage(payload=SwitchModePayload(mode_id=mode_id))


@cache
def _tool_payload_adapter() -> TypeAdapter[ShowChartPayload | ShowMetricsPayload]:
    return TypeAdapter(ToolResultPayload)
