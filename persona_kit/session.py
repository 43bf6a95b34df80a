"""A session: everything one dashboard connection owns, and the function its WebSocket calls.

Each :class:`Session` holds its own id, seed, mode catalogue, mode, persona
and bounded history; nothing is shared between sessions and there is no
module-level state, so any number of sessions can run side by side in threads
or asyncio tasks. A single session is meant for one connection: drive it from
one thread or task at a time.

Lifecycle: ``Session(id)`` -> ``mode_switch_message()`` on connect -> for each
inbound message, send everything ``handle(message)`` yields. A ``switch_mode``
or a chat trigger ("Presto-Change-O, you're a bank") generates the persona for
(mode, session seed), clears the history and emits ``mode_switch``; other chat
text goes to the session's responder, whose reply is streamed and then
recorded in the history together with the user's message.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Mapping
from typing import Any, Final

from persona_kit.conversation import AsyncResponder, ChatTurn, Responder, SessionView
from persona_kit.data import locale_spec
from persona_kit.engine.seeds import Seed, parse_seed
from persona_kit.errors import UnknownModeError
from persona_kit.generate import DEFAULT_AS_OF, DEFAULT_LOCALE, Persona, check_as_of, generate_persona
from persona_kit.models.modes import Mode
from persona_kit.modes import DEFAULT_MODE, ModeCatalogue
from persona_kit.protocol import (
    ChatClearedMessage,
    ChatMessage,
    ClearChatMessage,
    ErrorMessage,
    InboundMessage,
    ModeSwitchMessage,
    OutboundMessage,
    chat_cleared_message,
    chat_start_message,
    error_message,
    parse_inbound,
    reply_chunks,
)
from persona_kit.protocol import mode_switch_message as _mode_switch_message
from persona_kit.replies import REPLY_SECONDS, ReplyGuard
from persona_kit.triggers import DEFAULT_TRIGGERS, TriggerConfig, detect_mode_request, resolve_mode_request

DEFAULT_HISTORY_LIMIT = 20
"""Messages kept (user and assistant together), as the reference does."""

MAX_SESSION_ID_CHARS = 256

MAX_SWITCHED_MODES = 32
"""Modes a session keeps of those its switches added (chat-created industries): the oldest goes first."""


def session_seed(session_id: str) -> Seed:
    """The seed a session id stands for: the id read by the seed rule (:func:`persona_kit.engine.seeds.parse_seed`).

    ``"ws-42"`` is a text seed (its key a BLAKE2b-64 digest, stable across processes,
    platforms and ``PYTHONHASHSEED``) and ``"42"`` is the integer 42, just as for
    ``generate_persona(mode, session_id)`` and ``persona-kit show MODE --seed SESSION_ID``,
    which therefore give the session's persona.
    """
    return parse_seed(session_id)


def default_responder() -> Responder:
    """The responder a session uses when none is given: the offline simulator,
    or a real model when ``PERSONA_KIT_MODEL`` is set (see :func:`persona_kit.ai.responder_from_env`)."""
    from persona_kit.ai.environment import responder_from_env

    return responder_from_env()


def _check_session_id(session_id: object) -> str:
    if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > MAX_SESSION_ID_CHARS:
        msg = f"session_id must be a non-empty string of at most {MAX_SESSION_ID_CHARS} characters, got {session_id!r}"
        raise ValueError(msg)
    return session_id


def _check_reply_seconds(seconds: object) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= 3600:
        msg = f"reply_seconds must be a number of seconds above 0 and at most 3600, got {seconds!r}"
        raise ValueError(msg)
    return float(seconds)


def _check_history_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 2:
        msg = f"history_limit must be an integer >= 2 (one user and one assistant message), got {limit!r}"
        raise ValueError(msg)
    return limit


class Session:
    """One connection's state: id, seed, mode, persona and the last ``history_limit`` messages."""

    def __init__(
        self,
        session_id: str,
        *,
        seed: Seed | None = None,
        mode: str | Mode = DEFAULT_MODE,
        modes: ModeCatalogue | None = None,
        responder: Responder | None = None,
        triggers: TriggerConfig = DEFAULT_TRIGGERS,
        locale: str = DEFAULT_LOCALE,
        as_of: dt.date = DEFAULT_AS_OF,
        history_limit: int = DEFAULT_HISTORY_LIMIT,
        greeting: bool = True,
        reply_seconds: float = REPLY_SECONDS,
    ) -> None:
        self._id = _check_session_id(session_id)
        self._seed: Seed = session_seed(session_id) if seed is None else parse_seed(seed)
        locale_spec(locale)
        self._locale = locale
        self._as_of = check_as_of(as_of)
        self._modes = modes if modes is not None else ModeCatalogue()
        self._mode = self._modes.get(mode)
        if self._mode.id not in self._modes:  # a Mode given directly: reachable by id from now on
            self._modes = self._modes.with_modes(self._mode)
        self._persona: Persona | None = None  # generated when first needed
        self._switched: deque[str] = deque()  # ids switches added to the catalogue, oldest first
        self._history: deque[ChatTurn] = deque(maxlen=_check_history_limit(history_limit))
        self._responder = responder if responder is not None else default_responder()
        self._triggers = triggers
        self._epoch = 0  # bumped by every switch and clear, so a late reply cannot land in a new conversation
        self._greeting = bool(greeting)
        self._reply_seconds = _check_reply_seconds(reply_seconds)

    def __repr__(self) -> str:
        return f"Session({self._id!r}, mode={self._mode.id!r}, seed={self._seed!r}, history={len(self._history)})"

    @property
    def session_id(self) -> str:
        """The connection's id."""
        return self._id

    @property
    def seed(self) -> Seed:
        """The seed every persona of this session is drawn from."""
        return self._seed

    @property
    def mode(self) -> Mode:
        """The current mode (with any company name a chat trigger gave it)."""
        return self._mode

    @property
    def modes(self) -> ModeCatalogue:
        """This session's catalogue: the one it was given plus custom modes its chat created."""
        return self._modes

    @property
    def persona(self) -> Persona:
        """The persona for (current mode, seed, locale, as_of)."""
        if self._persona is None:
            self._persona = self._generate(self._mode)
        return self._persona

    @property
    def history(self) -> tuple[ChatTurn, ...]:
        """The conversation so far, oldest first, at most ``history_limit`` messages."""
        return tuple(self._history)

    @property
    def responder(self) -> Responder:
        """What answers chat messages."""
        return self._responder

    def view(self) -> SessionView:
        """A snapshot for a responder."""
        return SessionView(self._id, self._seed, self._mode, self.persona, tuple(self._history))

    def _generate(self, mode: Mode) -> Persona:
        return generate_persona(mode, self._seed, locale=self._locale, as_of=self._as_of, modes=self._modes)

    # --- state changes ---------------------------------------------------------------

    def switch_mode(self, mode: str | Mode) -> ModeSwitchMessage:
        """Switch to ``mode`` (an id in this session's catalogue, or a Mode): new persona, empty history.

        Raises :class:`~persona_kit.errors.UnknownModeError` listing the known ids.
        """
        target = self._modes.get(mode)
        persona = self._generate(target)
        if target.id not in self._modes:
            self._modes = self._modes.with_modes(target)
            self._switched.append(target.id)
            if len(self._switched) > MAX_SWITCHED_MODES:  # 10,000 industries must not make every switch slow
                self._modes = self._modes.without(self._switched.popleft())
        self._mode, self._persona = target, persona
        self._history.clear()
        self._epoch += 1
        return _mode_switch_message(target, persona)

    def clear(self) -> ChatClearedMessage:
        """Forget the conversation; mode and persona stay."""
        self._history.clear()
        self._epoch += 1
        return chat_cleared_message()

    def mode_switch_message(self) -> ModeSwitchMessage:
        """The ``mode_switch`` for the current state: what a dashboard needs on connect or reconnect."""
        return _mode_switch_message(self._mode, self.persona)

    def greeting_messages(self) -> list[OutboundMessage]:
        """A greeting in character, naming the customer, as a short reply (``chat_start``, chunks, ``done``).

        Sent after every switch when the session greets (the default): a dashboard that clears its chat
        on ``mode_switch`` shows it. The greeting is not added to the history.
        """
        from persona_kit.ai.answers import greeting_text  # the simulator's words; loaded on first use

        return [chat_start_message(), *reply_chunks(greeting_text(self._mode, self.persona))]

    def connect_messages(self) -> list[OutboundMessage]:
        """What a dashboard gets when it connects: the ``mode_switch``, then the greeting (when enabled)."""
        return [self.mode_switch_message(), *(self.greeting_messages() if self._greeting else ())]

    # --- the WebSocket entry points --------------------------------------------------

    def handle(self, message: InboundMessage | str | bytes | Mapping[str, Any]) -> Iterator[OutboundMessage]:
        """The outbound messages for one inbound message (a model, raw JSON text or bytes, or a dict).

        Switches and clears happen at once; a chat reply streams as the
        iterator is consumed. Bad input yields one ``error`` message and
        changes nothing; this method does not raise on any input.
        """
        action = self._dispatch(message)
        return iter(action) if isinstance(action, list) else self._reply(action)

    async def handle_async(
        self, message: InboundMessage | str | bytes | Mapping[str, Any]
    ) -> AsyncGenerator[OutboundMessage, None]:
        """:meth:`handle` for an event loop: a reply never blocks it.

        A responder with ``respond_async`` (the simulator, the openai responder) is awaited; any
        other runs in a worker thread. The reply's deadline (``reply_seconds``) holds either way.
        """
        action = self._dispatch(message)
        if isinstance(action, list):
            for item in action:
                yield item
            return
        async for item in self._reply_async(action):
            yield item

    def _dispatch(self, message: InboundMessage | str | bytes | Mapping[str, Any]) -> list[OutboundMessage] | str:
        """Messages to send at once, or the chat text a responder must answer."""
        parsed = parse_inbound(message)
        if isinstance(parsed, ErrorMessage):
            return [parsed]
        if isinstance(parsed, ClearChatMessage):
            return [self.clear()]
        if isinstance(parsed, ChatMessage):
            request = detect_mode_request(parsed.payload.text, self._triggers)
            if request is None:
                return parsed.payload.text
            return self._switch_and_greet(resolve_mode_request(request, self._modes))
        try:
            return self._switch_and_greet(parsed.payload.mode_id)
        except UnknownModeError as err:
            return [error_message("unknown_mode", str(err))]

    def _switch_and_greet(self, mode: str | Mode) -> list[OutboundMessage]:
        switch = self.switch_mode(mode)
        return [switch, *(self.greeting_messages() if self._greeting else ())]

    def _record(self, guard: ReplyGuard, text: str, epoch: int) -> None:
        if guard.completed and epoch == self._epoch:
            self._history.extend((ChatTurn("user", text), ChatTurn("assistant", guard.text)))

    def _reply(self, text: str) -> Iterator[OutboundMessage]:
        view, epoch = self.view(), self._epoch
        guard = ReplyGuard(view.persona, seconds=self._reply_seconds)
        stream: Iterator[object] = iter(())
        try:
            stream = iter(self._responder.respond(view, text))
            while not guard.finished:
                if guard.expired():
                    yield from guard.timeout()
                    break
                item = next(stream, _END)
                out = guard.end() if item is _END else guard.accept(item)
                self._record(guard, text, epoch)  # before the last chunk is sent: a caller that stops there has it
                yield from out
        except Exception as err:  # a failing responder must not take the connection down
            yield from guard.fail("responder_failed", _failed(err))
        finally:
            _close(stream)

    async def _reply_async(self, text: str) -> AsyncIterator[OutboundMessage]:
        view, epoch = self.view(), self._epoch
        guard = ReplyGuard(view.persona, seconds=self._reply_seconds)
        stream = _async_stream(self._responder, view, text)
        try:
            while not guard.finished:
                try:
                    async with asyncio.timeout(guard.remaining()):
                        item = await anext(stream, _END)
                except TimeoutError:
                    for late in guard.timeout():
                        yield late
                    break
                out = guard.end() if item is _END else guard.accept(item)
                self._record(guard, text, epoch)
                for message in out:
                    yield message
        except Exception as err:  # a failing responder must not take the connection down
            for message in guard.fail("responder_failed", _failed(err)):
                yield message
        finally:
            await stream.aclose()


_END: Final = object()


def _failed(err: Exception) -> str:
    return f"the reply failed ({type(err).__name__}); the conversation so far is unchanged"


def _next(stream: Iterator[object]) -> object:
    return next(stream, _END)


def _close(stream: Iterator[object]) -> None:
    close = getattr(stream, "close", None)
    if callable(close):
        close()


async def _async_stream(responder: Responder, view: SessionView, text: str) -> AsyncGenerator[object, None]:
    """The responder's reply as an async stream: its own ``respond_async``, else ``respond`` in a worker thread."""
    if isinstance(responder, AsyncResponder):
        async for item in responder.respond_async(view, text):
            yield item
        return
    stream: Iterator[object] = await asyncio.to_thread(lambda: iter(responder.respond(view, text)))
    try:
        while (got := await asyncio.to_thread(_next, stream)) is not _END:
            yield got
    finally:
        with contextlib.suppress(ValueError):  # still running in its thread after a deadline: it ends by itself
            await asyncio.to_thread(_close, stream)


__all__ = ["DEFAULT_MODE", "ChatTurn", "Responder", "Session", "SessionView", "default_responder", "session_seed"]
