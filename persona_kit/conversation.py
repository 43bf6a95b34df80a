"""What a session and a responder share: the conversation's turns, the read-only view a responder gets,
and the responder protocol itself.

:mod:`persona_kit.session` and the responders in :mod:`persona_kit.ai` both
import this module, never each other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from persona_kit.engine.seeds import Seed
from persona_kit.generate import Persona
from persona_kit.models.modes import Mode
from persona_kit.prompt import build_system_prompt
from persona_kit.protocol import OutboundMessage


@dataclass(frozen=True)
class ChatTurn:
    """One message of the conversation history (the roles Chat Completions uses)."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class SessionView:
    """A read-only snapshot of a session, what a responder gets: later changes do not reach it."""

    session_id: str
    seed: Seed
    mode: Mode
    persona: Persona
    history: tuple[ChatTurn, ...]

    @property
    def system_prompt(self) -> str:
        """The system prompt for this mode and persona (see :func:`persona_kit.prompt.build_system_prompt`)."""
        return build_system_prompt(self.mode, self.persona)


class Responder(Protocol):
    """Produces the reply to a chat message.

    ``respond`` yields outbound messages: ``chat_start``, ``chat_chunk``s (the
    last with ``done=True``), any ``tool_result``s before that last chunk, or a
    ``chat_error``. ``session.history`` holds the turns before ``text``; the
    session records ``text`` and the reply once the ``done`` chunk arrives.
    """

    def respond(self, session: SessionView, text: str) -> Iterable[OutboundMessage]:
        """The reply to ``text``, as a stream of protocol messages."""
        ...


@runtime_checkable
class AsyncResponder(Protocol):
    """A responder that can also reply without blocking an event loop (the simulator, the openai responder).

    :meth:`persona_kit.session.Session.handle_async` uses ``respond_async`` when a
    responder has it, and runs a plain ``respond`` in a worker thread otherwise.
    """

    def respond_async(self, session: SessionView, text: str) -> AsyncIterator[OutboundMessage]:
        """The reply to ``text``, as an asynchronous stream of protocol messages."""
        ...


__all__ = ["AsyncResponder", "ChatTurn", "Responder", "SessionView"]
