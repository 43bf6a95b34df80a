"""What a responder yields, checked before a dashboard sees it.

A responder (the simulator, a model, a user's own class) yields outbound
messages. :class:`ReplyGuard` turns that stream into one a dashboard can
render, whatever the responder did:

- anything that is not a reply message (a dict, a string, a ``mode_switch``), text that
  cannot be encoded (a lone surrogate from a model) or a non-finite number in a tool
  result ends the reply with a ``chat_error``;
- a reply always opens with ``chat_start`` (the dashboards show an error only inside a
  reply bubble) and ends with an empty ``done`` chunk (text inside a ``done`` chunk is
  split off: the dashboards drop it);
- nothing after ``done`` or ``chat_error`` is passed on (a responder that raises after
  finishing does not add an error to a finished reply);
- ``show_metrics`` values in the persona's currency are spelled as money ("$2,832.64"),
  since dashboards print a value and its unit as is ("2832.64 USD");
- a reply has an overall deadline.

The history is recorded by the session only when the ``done`` chunk passes, so a reply
that fails leaves the conversation as it was.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final

from babel.numbers import get_currency_symbol

from persona_kit.formatting import formatter_for
from persona_kit.generate import Persona
from persona_kit.protocol import (
    ChatChunkMessage,
    ChatErrorMessage,
    ChatStartMessage,
    MetricsResult,
    MetricValue,
    OutboundMessage,
    ShowMetricsPayload,
    ToolResultMessage,
    chat_chunk_message,
    chat_error_message,
    chat_start_message,
)

REPLY_SECONDS: Final = 120.0
"""The default overall deadline of one reply, from the message to its ``done`` chunk."""

_REPLY_TYPES = (ChatStartMessage, ChatChunkMessage, ToolResultMessage, ChatErrorMessage)


def _finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _problem(message: object) -> str | None:
    """Why ``message`` cannot be sent as part of a reply, or None."""
    if not isinstance(message, _REPLY_TYPES):
        kind = getattr(message, "type", type(message).__name__)
        return f"the responder yielded {str(kind)[:40]!r}, not chat_start, chat_chunk, tool_result or chat_error"
    try:
        message.model_dump_json()
    except ValueError as err:  # a lone surrogate cannot be encoded
        return f"the reply holds text that cannot be sent ({type(err).__name__})"
    if isinstance(message, ToolResultMessage) and not _finite(message.payload.result.model_dump()):
        return "the tool result holds a number that is not finite (NaN or infinity)"
    return None


def display_metrics(message: ToolResultMessage, persona: Persona) -> ToolResultMessage:
    """``show_metrics`` with amounts in the persona's currency spelled as money, their unit dropped."""
    payload = message.payload
    if not isinstance(payload, ShowMetricsPayload):
        return message
    fmt = formatter_for(persona)
    currency = persona.identity.currency
    spellings = {currency, str(get_currency_symbol(currency, "en")), str(get_currency_symbol(currency, fmt.locale))}
    metrics = [
        MetricValue(label=m.label, value=fmt.money(m.value), unit="")
        if m.unit.strip() in spellings and isinstance(m.value, int | float) and not isinstance(m.value, bool)
        else m
        for m in payload.result.metrics
    ]
    if metrics == payload.result.metrics:
        return message
    return ToolResultMessage(payload=ShowMetricsPayload(result=MetricsResult(metrics=metrics)))


class ReplyGuard:
    """Checks one reply's messages in order; ``accept`` returns what to send for each."""

    def __init__(
        self, persona: Persona, *, seconds: float = REPLY_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.persona = persona
        self.started = False
        self.finished = False
        self.completed = False
        """The ``done`` chunk was accepted: the reply is whole and may be recorded."""
        self.parts: list[str] = []
        self._clock = clock
        self.deadline = clock() + seconds

    @property
    def text(self) -> str:
        """The reply's text so far."""
        return "".join(self.parts)

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(self.deadline - self._clock(), 0.0)

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self._clock() >= self.deadline

    def _open(self) -> list[OutboundMessage]:
        if self.started:
            return []
        self.started = True
        return [chat_start_message()]

    def accept(self, message: object) -> list[OutboundMessage]:
        """The messages to send for one yielded by the responder (none once the reply is finished)."""
        if self.finished:
            return []
        problem = _problem(message)
        if problem is not None:
            return self.fail("invalid_reply", f"{problem}; the conversation so far is unchanged")
        if isinstance(message, ChatStartMessage):
            return self._open()
        out = self._open()
        if isinstance(message, ChatErrorMessage):
            self.finished = True
            return [*out, message]
        if isinstance(message, ToolResultMessage):
            return [*out, display_metrics(message, self.persona)]
        assert isinstance(message, ChatChunkMessage)
        text, done = message.payload.text, message.payload.done
        if text:
            self.parts.append(text)
            out.append(chat_chunk_message(text) if done else message)
        if done:
            self.finished = self.completed = True
            out.append(chat_chunk_message("", done=True))
        return out

    def fail(self, code: str, text: str) -> list[OutboundMessage]:
        """End the reply with a ``chat_error`` (after a ``chat_start`` if none was sent)."""
        if self.finished:
            return []
        self.finished = True
        return [*self._open(), chat_error_message(text, code=code)]

    def end(self) -> list[OutboundMessage]:
        """The responder stopped: an error if it never finished its reply."""
        return self.fail("incomplete_reply", "the reply ended before it was finished; the conversation is unchanged")

    def timeout(self) -> list[OutboundMessage]:
        """The deadline passed: end the reply."""
        return self.fail("timeout", "the reply took too long and was stopped; the conversation is unchanged")


__all__ = ["REPLY_SECONDS", "ReplyGuard", "display_metrics"]
