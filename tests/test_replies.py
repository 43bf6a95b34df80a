"""What reaches a dashboard from any responder: greeting after switches, checked replies, deadlines, async."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from persona_kit import Session, generate_persona
from persona_kit.ai import SimulatorResponder
from persona_kit.conversation import SessionView
from persona_kit.protocol import (
    ChatChunkMessage,
    ModeSwitchMessage,
    OutboundMessage,
    chat_chunk_message,
    chat_message,
    chat_start_message,
    mode_switch_message,
    parse_outbound,
    reply_chunks,
    switch_mode_message,
    tool_result_message,
)
from persona_kit.replies import ReplyGuard

ASK = '{"type": "chat", "payload": {"text": "hello there"}}'


class Scripted:
    """A responder yielding whatever a test gives it."""

    def __init__(self, *items: object, then: Exception | None = None) -> None:
        self.items, self.then = items, then

    def respond(self, session: SessionView, text: str) -> Iterator[Any]:
        yield from self.items
        if self.then is not None:
            raise self.then


def _types(messages: list[OutboundMessage]) -> list[str]:
    return [m.type for m in messages]


def _wire(messages: list[OutboundMessage]) -> list[dict[str, Any]]:
    """Every message as the JSON a dashboard receives (and persona_kit's own parser reads back)."""
    out = []
    for message in messages:
        text = message.model_dump_json()
        parse_outbound(text)
        out.append(json.loads(text))
    return out


# --- greeting --------------------------------------------------------------------------


def test_every_switch_is_followed_by_a_greeting_naming_the_customer() -> None:
    session = Session("ws-greet")
    out = list(session.handle(switch_mode_message("insurance")))
    assert isinstance(out[0], ModeSwitchMessage)
    assert _types(out[1:2]) == ["chat_start"] and out[-1].payload.done  # type: ignore[union-attr]
    text = "".join(m.payload.text for m in out if isinstance(m, ChatChunkMessage))
    assert session.persona.identity.first_name in text and session.mode.company_name in text
    assert not out[-1].payload.text  # type: ignore[union-attr]
    assert session.history == ()  # a greeting is not part of the conversation
    trigger = list(session.handle(chat_message("Presto-Change-O, you're a bank")))
    assert _types(trigger)[:2] == ["mode_switch", "chat_start"]


def test_the_greeting_can_be_turned_off_and_connect_messages_follow_it() -> None:
    quiet = Session("ws-quiet", greeting=False)
    assert _types(list(quiet.handle(switch_mode_message("healthcare")))) == ["mode_switch"]
    assert _types(quiet.connect_messages()) == ["mode_switch"]
    loud = Session("ws-loud")
    assert _types(loud.connect_messages())[:2] == ["mode_switch", "chat_start"]


# --- the guard ---------------------------------------------------------------------------


def test_text_inside_a_done_chunk_is_split_off_so_no_dashboard_drops_it() -> None:
    session = Session("ws-1", responder=Scripted(chat_start_message(), chat_chunk_message("All done.", done=True)))
    out = list(session.handle(ASK))
    assert [(m.payload.text, m.payload.done) for m in out[1:]] == [("All done.", False), ("", True)]  # type: ignore[union-attr]
    assert session.history[-1].content == "All done."


def test_reply_chunks_never_put_text_in_the_done_chunk() -> None:
    chunks = list(reply_chunks("Your balance is $5."))
    assert chunks[-1].payload.done and chunks[-1].payload.text == ""
    assert "".join(c.payload.text for c in chunks) == "Your balance is $5."


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "chat_chunk", "payload": {"text": "a dict", "done": True}},
        "just a string",
        42,
        mode_switch_message(Session("x").mode, Session("x").persona),
    ],
    ids=["dict", "str", "int", "mode_switch"],
)
def test_anything_but_a_reply_message_ends_the_reply_with_a_chat_error(bad: object) -> None:
    session = Session("ws-2", responder=Scripted(chat_start_message(), chat_chunk_message("Hi "), bad))
    out = list(session.handle(ASK))
    assert _types(out) == ["chat_start", "chat_chunk", "chat_error"]
    assert out[-1].payload.code == "invalid_reply"  # type: ignore[union-attr]
    assert session.history == ()


def test_a_lone_surrogate_is_refused_and_later_replies_still_work() -> None:
    session = Session("ws-3", responder=Scripted(chat_start_message(), chat_chunk_message("bad \ud800 text")))
    out = list(session.handle(ASK))
    assert _types(out) == ["chat_start", "chat_error"]
    _wire(out)  # everything sent can be encoded
    session._responder = Scripted(*reply_chunks("fine now"))
    assert _types(list(session.handle(ASK)))[-1] == "chat_chunk"
    assert session.history[-1].content == "fine now"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_tool_numbers_are_an_error_not_a_null(value: float) -> None:
    chart = tool_result_message(
        "show_chart", {"chart_type": "bar", "title": "x", "data": [{"label": "a", "value": value}]}
    )
    session = Session("ws-4", responder=Scripted(chat_start_message(), chart, *reply_chunks("ok")))
    out = list(session.handle(ASK))
    assert _types(out) == ["chat_start", "chat_error"]
    assert session.history == ()


def test_an_error_after_done_is_not_sent_and_the_reply_is_kept() -> None:
    session = Session("ws-5", responder=Scripted(chat_start_message(), *reply_chunks("Done."), then=RuntimeError("x")))
    out = list(session.handle(ASK))
    assert _types(out)[-1] == "chat_chunk" and "chat_error" not in _types(out)
    assert session.history[-1].content == "Done."


def test_a_chat_error_always_opens_a_reply_bubble_first() -> None:
    session = Session("ws-6", responder=Scripted(then=RuntimeError("boom")))
    out = list(session.handle(ASK))
    assert _types(out) == ["chat_start", "chat_error"]
    assert _wire(out)[-1]["payload"]["error"].startswith("the reply failed (RuntimeError)")


def test_a_reply_that_stops_without_done_is_an_error() -> None:
    out = list(Session("ws-7", responder=Scripted(chat_start_message(), chat_chunk_message("half"))).handle(ASK))
    assert _types(out)[-1] == "chat_error" and out[-1].payload.code == "incomplete_reply"  # type: ignore[union-attr]


def test_show_metrics_money_is_spelled_in_the_persona_locale() -> None:
    metrics = tool_result_message(
        "show_metrics",
        {
            "metrics": [
                {"label": "Checking", "value": 2832.64, "unit": "EUR"},
                {"label": "Score", "value": 700, "unit": "points"},
            ]
        },
    )
    session = Session("ws-8", locale="de_DE", responder=Scripted(chat_start_message(), metrics, *reply_chunks("ok")))
    out = _wire(list(session.handle(ASK)))
    cards = out[1]["payload"]["result"]["metrics"]
    assert cards[0] == {"label": "Checking", "value": "2.832,64\xa0€", "unit": ""}
    assert cards[1] == {"label": "Score", "value": 700, "unit": "points"}


def test_a_reply_has_an_overall_deadline() -> None:
    clock = itertools.count(0.0, 10.0)
    guard = ReplyGuard(generate_persona("banking", 1), seconds=25, clock=lambda: next(clock))
    assert not guard.expired() and not guard.expired()
    assert guard.expired()
    assert _types(guard.timeout()) == ["chat_start", "chat_error"]

    class Slow:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            yield chat_start_message()
            for word in ["one ", "two ", "three "]:
                time.sleep(0.2)
                yield chat_chunk_message(word)
            yield chat_chunk_message("", done=True)

    out = list(Session("ws-9", responder=Slow(), reply_seconds=0.3).handle(ASK))
    assert out[-1].type == "chat_error" and out[-1].payload.code == "timeout"  # type: ignore[union-attr]


# --- async -------------------------------------------------------------------------------


def test_handle_async_gives_the_same_messages_as_handle() -> None:
    async def collect(session: Session, text: str) -> list[OutboundMessage]:
        return [m async for m in session.handle_async(text)]

    for text in [ASK, '{"type": "switch_mode", "payload": {"mode_id": "telecom"}}', '{"type": "dance"}']:
        sync = list(Session("ws-same").handle(text))
        assert asyncio.run(collect(Session("ws-same"), text)) == sync


def test_concurrent_async_replies_overlap_instead_of_queueing() -> None:
    async def one(i: int) -> float:
        session = Session(f"ws-{i}", responder=SimulatorResponder(delay=0.02))
        start = time.perf_counter()
        out = [m async for m in session.handle_async('{"type": "chat", "payload": {"text": "What is my balance?"}}')]
        assert out[-1].type == "chat_chunk"
        return time.perf_counter() - start

    async def run(n: int) -> float:
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - start

    single = asyncio.run(run(1))
    many = asyncio.run(run(20))
    assert many < 3 * single, (single, many)  # 20 replies take about as long as one, not 20 times as long


def test_async_deadline_stops_a_stuck_async_responder() -> None:
    class Stuck:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            yield chat_start_message()

        async def respond_async(self, session: SessionView, text: str) -> AsyncIterator[OutboundMessage]:
            yield chat_start_message()
            await asyncio.sleep(30)
            yield chat_chunk_message("", done=True)

    async def collect() -> list[OutboundMessage]:
        return [m async for m in Session("ws-stuck", responder=Stuck(), reply_seconds=0.2).handle_async(ASK)]

    start = time.perf_counter()
    out = asyncio.run(collect())
    assert time.perf_counter() - start < 5
    assert _types(out) == ["chat_start", "chat_error"] and out[-1].payload.code == "timeout"  # type: ignore[union-attr]


def test_a_deadline_on_a_blocking_sync_responder_is_a_timeout_in_handle_async() -> None:
    class Sleepy:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            yield chat_start_message()
            time.sleep(1.5)
            yield chat_chunk_message("", done=True)

    async def collect() -> list[OutboundMessage]:
        return [m async for m in Session("ws-sleepy", responder=Sleepy(), reply_seconds=0.4).handle_async(ASK)]

    out = asyncio.run(collect())
    assert _types(out) == ["chat_start", "chat_error"] and out[-1].payload.code == "timeout"  # type: ignore[union-attr]
