"""The offline simulator: a deterministic, persona-grounded responder, and the default one.

It reads the question (and, for follow-ups, the user's earlier messages), answers
from the persona's facts spelled exactly as the system prompt spells them, and
streams the answer word by word, followed by any ``show_chart`` /
``show_metrics`` results. Same persona, history and text: same messages. No
network, no randomness, no invented figures.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from persona_kit.ai.answers import Reply, answer
from persona_kit.generate import Persona
from persona_kit.models.modes import Mode
from persona_kit.protocol import ChatChunkMessage, OutboundMessage, chat_chunk_message, chat_start_message

if TYPE_CHECKING:
    from persona_kit.conversation import SessionView

_WORDS = re.compile(r"^\s*\S+\s*|\S+\s*")


def word_chunks(text: str) -> list[str]:
    """``text`` cut into words, each with the whitespace after it; joined, they give ``text`` back."""
    return _WORDS.findall(text) or ([text] if text else [])


def simulate_reply(mode: Mode, persona: Persona, history: Sequence[str], text: str) -> Reply:
    """The simulator's answer to ``text`` after the user's earlier messages ``history`` (oldest first)."""
    return answer(mode, persona, history, text)


def reply_messages(
    reply: Reply, *, delay: float = 0.0, sleep: Callable[[float], None] = time.sleep
) -> Iterator[OutboundMessage]:
    """``chat_start``, the text as word-sized ``chat_chunk``s, any ``tool_result``s, then an empty ``done`` chunk."""
    yield chat_start_message()
    for i, word in enumerate(word_chunks(reply.text)):
        if delay and i:
            sleep(delay)
        yield chat_chunk_message(word)
    yield from reply.tools
    yield chat_chunk_message("", done=True)


def _check_delay(delay: object) -> float:
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 10:
        msg = f"delay must be a number of seconds from 0 to 10, got {delay!r}"
        raise ValueError(msg)
    return float(delay)


@dataclass(frozen=True)
class SimulatorResponder:
    """Answers from the persona, offline; ``delay`` seconds between words makes a live demo look typed.

    ``sleep`` is how the delay is spent (``time.sleep``); tests pass a recorder.
    """

    delay: float = 0.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "delay", _check_delay(self.delay))

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        """The reply to ``text`` in ``session``: the user's earlier messages resolve follow-ups."""
        yield from reply_messages(self._reply(session, text), delay=self.delay, sleep=self.sleep)

    async def respond_async(self, session: SessionView, text: str) -> AsyncIterator[OutboundMessage]:
        """:meth:`respond` for an event loop: the typing delay is ``asyncio.sleep``, so other replies go on."""
        for i, message in enumerate(reply_messages(self._reply(session, text))):
            if self.delay and i > 1 and isinstance(message, ChatChunkMessage) and message.payload.text:
                await asyncio.sleep(self.delay)
            yield message

    def _reply(self, session: SessionView, text: str) -> Reply:
        history = [turn.content for turn in session.history if turn.role == "user"]
        return simulate_reply(session.mode, session.persona, history, text)
