"""Sessions: lifecycle, switching, history, the responder hook, and isolation under concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from persona_kit import ModeCatalogue, SeedError, UnknownLocaleError, UnknownModeError, generate_persona, get_mode
from persona_kit.ai import SimulatorResponder
from persona_kit.protocol import (
    ChatChunkMessage,
    ChatClearedMessage,
    ChatErrorMessage,
    ChatStartMessage,
    ErrorMessage,
    ModeSwitchMessage,
    OutboundMessage,
    ToolResultMessage,
    chat_error_message,
    chat_message,
    chat_start_message,
    clear_chat_message,
    reply_chunks,
    switch_mode_message,
    tool_result_message,
)
from persona_kit.session import (
    DEFAULT_HISTORY_LIMIT,
    ChatTurn,
    Responder,
    Session,
    SessionView,
    session_seed,
)
from persona_kit.triggers import custom_mode


class EchoResponder:
    """Replies with what it was shown, so any cross-session leak shows up in the transcript."""

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        last = session.history[-1].content[-12:] if session.history else "-"
        yield chat_start_message()
        yield from reply_chunks(
            f"{session.session_id} {session.persona.name} {session.mode.company_name} "
            f"turns={len(session.history)} last={last} you={text}"
        )


def _chat(session: Session, text: str) -> list[OutboundMessage]:
    return list(session.handle(chat_message(text)))


def _wire(messages: Iterable[OutboundMessage]) -> list[dict[str, Any]]:
    return [json.loads(m.model_dump_json()) for m in messages]


# --- lifecycle ---------------------------------------------------------------------


def test_a_new_session_announces_its_mode_and_persona() -> None:
    session = Session("conn-1")
    hello = session.mode_switch_message()
    assert hello.payload.mode.id == "banking"
    assert hello.payload.persona == generate_persona("banking", session_seed("conn-1"))
    assert session.seed == session_seed("conn-1")
    assert session.history == ()


def test_seed_is_a_stable_digest_of_the_id() -> None:
    from persona_kit.engine.seeds import seed_key

    assert session_seed("conn-1") == "conn-1"
    assert seed_key(session_seed("conn-1")) != seed_key(session_seed("conn-2"))
    assert seed_key(session_seed("ws-42")) == 0x6CB6B0BE53F3BA9B  # BLAKE2b-64, personalised: the same everywhere
    assert Session("ws-42", mode="insurance").persona == generate_persona("insurance", "ws-42")


def test_an_explicit_seed_wins() -> None:
    assert Session("a", seed=7).persona == Session("b", seed=7).persona == generate_persona("banking", 7)
    assert Session("a", seed="demo").persona == generate_persona("banking", "demo")


def test_switching_generates_clears_and_emits_mode_switch() -> None:
    session = Session("conn-1", responder=EchoResponder())
    _chat(session, "hello")
    assert len(session.history) == 2
    out, *_greeting = session.handle(switch_mode_message("insurance"))
    assert isinstance(out, ModeSwitchMessage)
    assert out.payload.persona == generate_persona("insurance", session.seed)
    assert out.payload.mode.company_name == get_mode("insurance").company_name
    assert session.mode.id == "insurance"
    assert session.history == ()


def test_switching_back_gives_the_same_persona() -> None:
    session = Session("conn-1")
    first = session.switch_mode("healthcare").payload.persona
    session.switch_mode("banking")
    session.handle(chat_message("Presto-Change-O, you're an airline"))
    assert session.switch_mode("healthcare").payload.persona == first


def test_different_ids_get_different_personas() -> None:
    personas = [Session(f"conn-{i}").switch_mode("insurance").payload.persona for i in range(20)]
    assert len({p.model_dump_json() for p in personas}) == 20


def test_chat_trigger_switches_mode_with_company_override() -> None:
    session = Session("conn-1", mode="insurance")
    out, *_greeting = session.handle(
        '{"type": "chat", "payload": {"text": "Presto-Change-O, you\'re a bank called Harbor Federal"}}'
    )
    assert isinstance(out, ModeSwitchMessage)
    assert out.payload.mode.id == "banking"
    assert out.payload.mode.company_name == "Harbor Federal"
    assert out.payload.persona == generate_persona("banking", session.seed)
    assert "Harbor Federal" in session.view().system_prompt
    again, *_greeting = session.handle(switch_mode_message("banking"))
    assert again.payload.mode.company_name == "Summit National Bank"
    assert again.payload.persona == out.payload.persona


def test_chat_trigger_for_an_unknown_industry_builds_a_custom_mode() -> None:
    catalogue = ModeCatalogue()
    session = Session("conn-1", modes=catalogue)
    out, *_greeting = session.handle(chat_message("Presto-Change-O, you're a pet grooming salon called Paws"))
    assert isinstance(out, ModeSwitchMessage)
    assert out.payload.mode.id == "custom-pet-grooming-salon"
    assert out.payload.persona.kind == "generic"
    assert "custom-pet-grooming-salon" in session.modes
    assert "custom-pet-grooming-salon" not in catalogue  # the caller's catalogue is not changed
    session.switch_mode("banking")
    back, *_greeting = session.handle(switch_mode_message("custom-pet-grooming-salon"))
    assert back.payload.persona == out.payload.persona


def test_unknown_mode_is_an_error_message_listing_the_known_ids() -> None:
    session = Session("conn-1")
    out, *_greeting = session.handle(switch_mode_message("casino"))
    assert isinstance(out, ErrorMessage)
    assert out.payload.code == "unknown_mode"
    assert "banking, healthcare, insurance" in out.payload.message
    assert session.mode.id == "banking"
    with pytest.raises(UnknownModeError, match="known modes"):
        session.switch_mode("casino")


def test_bad_inbound_text_yields_one_error_and_changes_nothing() -> None:
    session = Session("conn-1", responder=EchoResponder())
    _chat(session, "hi")
    before = (session.mode, session.history)
    for raw in ("{", b"\xff", '{"type": "shout"}', "x" * 70_000, '{"type": "chat", "payload": {}}'):
        out = list(session.handle(raw))
        assert len(out) == 1
        assert isinstance(out[0], ErrorMessage)
    assert (session.mode, session.history) == before


def test_clear_chat_empties_the_history_only() -> None:
    session = Session("conn-1", mode="healthcare", responder=EchoResponder())
    _chat(session, "hi")
    persona = session.persona
    out, *_greeting = session.handle(clear_chat_message())
    assert isinstance(out, ChatClearedMessage)
    assert session.history == ()
    assert session.persona == persona


# --- history ------------------------------------------------------------------------


def test_history_keeps_user_and_assistant_messages_bounded() -> None:
    session = Session("conn-1", responder=EchoResponder())
    for i in range(15):
        _chat(session, f"question {i}")
    history = session.history
    assert len(history) == DEFAULT_HISTORY_LIMIT == 20
    assert [t.role for t in history] == ["user", "assistant"] * 10
    assert history[-2] == ChatTurn("user", "question 14")
    assert history[-1].content.endswith("you=question 14")
    assert history[0] == ChatTurn("user", "question 5")
    small = Session("conn-2", responder=EchoResponder(), history_limit=4)
    for i in range(3):
        _chat(small, f"q{i}")
    assert [t.content for t in small.history if t.role == "user"] == ["q1", "q2"]


def test_the_responder_sees_the_history_before_the_message() -> None:
    seen: list[tuple[ChatTurn, ...]] = []

    class Spy:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            seen.append(session.history)
            yield from reply_chunks(f"re: {text}")

    session = Session("conn-1", responder=Spy())
    _chat(session, "one")
    _chat(session, "two")
    assert seen == [(), (ChatTurn("user", "one"), ChatTurn("assistant", "re: one"))]


def test_a_reply_is_recorded_even_if_the_caller_stops_at_done() -> None:
    session = Session("conn-1", responder=EchoResponder())
    for message in session.handle(chat_message("hi")):
        if isinstance(message, ChatChunkMessage) and message.payload.done:
            break
    assert [t.role for t in session.history] == ["user", "assistant"]


def test_a_reply_that_outlives_a_switch_is_not_recorded() -> None:
    session = Session("conn-1", responder=EchoResponder())
    stream = session.handle(chat_message("hi"))
    next(stream)
    session.switch_mode("insurance")
    list(stream)
    assert session.history == ()


# --- the responder hook -------------------------------------------------------------


def test_the_default_responder_is_the_offline_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERSONA_KIT_MODEL", raising=False)
    session = Session("conn-1")
    assert isinstance(session.responder, SimulatorResponder)
    out = _chat(session, "What's my checking balance?")
    assert isinstance(out[0], ChatStartMessage)
    chunks = [m for m in out if isinstance(m, ChatChunkMessage)]
    assert chunks[-1].payload.done
    assert not any(m.payload.done for m in chunks[:-1])
    text = "".join(m.payload.text for m in chunks)
    from persona_kit.formatting import formatter_for

    assert formatter_for(session.persona).money(session.persona.checking_balance) in text


def test_a_custom_responder_streams_tool_results_and_is_typed() -> None:
    class Charts:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            yield chat_start_message()
            yield tool_result_message("show_metrics", {"metrics": [{"label": "Score", "value": 1, "unit": "pt"}]})
            yield from reply_chunks("Here you go.")

    responder: Responder = Charts()
    out = _chat(Session("conn-1", responder=responder), "metrics please")
    # three words, then the empty done chunk
    assert [type(m) for m in out] == [ChatStartMessage, ToolResultMessage, *[ChatChunkMessage] * 4]


def test_a_chat_error_leaves_the_history_intact() -> None:
    class FlakyAfterOne:
        def __init__(self) -> None:
            self.calls = 0

        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            self.calls += 1
            yield chat_start_message()
            if self.calls > 1:
                yield chat_error_message("rate limited", code="rate_limit")
                return
            yield from reply_chunks("fine")

    session = Session("conn-1", responder=FlakyAfterOne())
    _chat(session, "hi")
    before = session.history
    out = _chat(session, "again")
    assert isinstance(out[-1], ChatErrorMessage)
    assert out[-1].payload.code == "rate_limit"
    assert session.history == before == (ChatTurn("user", "hi"), ChatTurn("assistant", "fine"))


def test_a_crashing_responder_becomes_a_chat_error() -> None:
    class Broken:
        def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
            yield chat_start_message()
            msg = "secret detail"
            raise RuntimeError(msg)

    session = Session("conn-1", responder=Broken())
    out = _chat(session, "hi")
    assert isinstance(out[-1], ChatErrorMessage)
    assert "RuntimeError" in out[-1].payload.message
    assert "secret" not in out[-1].payload.message
    assert session.history == ()


# --- bad arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"session_id": ""}, ValueError, "session_id must be a non-empty string"),
        ({"session_id": 5}, ValueError, "session_id must be a non-empty string"),
        ({"seed": -1}, SeedError, "seed must be an integer from 0 to 2\\*\\*64-1"),
        ({"seed": 1.5}, SeedError, "seed must be"),
        ({"mode": "casino"}, UnknownModeError, "known modes: banking"),
        ({"locale": "xx_XX"}, UnknownLocaleError, "supported locales: de_DE"),
        ({"as_of": "2026-01-01"}, TypeError, "as_of must be a datetime.date"),
        ({"as_of": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, TypeError, "as_of must be a datetime.date"),
        ({"history_limit": 1}, ValueError, "history_limit must be an integer >= 2"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, Any], error: type[Exception], says: str) -> None:
    args = {"session_id": "conn-1", **kwargs}
    with pytest.raises(error, match=says):
        Session(**args)


def test_a_mode_given_directly_can_be_switched_back_to_by_id() -> None:
    gym = custom_mode("gym", "Iron Works")
    session = Session("conn-1", mode=gym)
    first = session.persona
    session.switch_mode("banking")
    out, *_greeting = session.handle(switch_mode_message("custom-gym"))
    assert isinstance(out, ModeSwitchMessage)
    assert out.payload.mode.company_name == "Iron Works"
    assert out.payload.persona == first


def test_locale_and_as_of_reach_the_persona() -> None:
    session = Session("conn-1", mode="insurance", locale="ja_JP", as_of=dt.date(2030, 1, 1))
    assert session.persona == generate_persona("insurance", session.seed, locale="ja_JP", as_of=dt.date(2030, 1, 1))


# --- isolation ----------------------------------------------------------------------------

N_SESSIONS = 1000
N_THREADS = 16
INDUSTRIES = {  # what a session asks to become, and the mode id it lands on
    "a bank called Harbor Federal": "banking",
    "an insurer": "insurance",
    "a clinic named Oak Health": "healthcare",
    "an airline": "custom-airline",  # in the shared catalogue
    "a credit union": "banking",
    "a bakery": "custom-bakery",  # created by the session itself
    "a gym called Iron Works": "custom-gym",
}
ASKS = list(INDUSTRIES)


def _script(i: int) -> list[str]:
    """Session i's inbound messages: a trigger switch, chats, an error, a clear; every 4th switches away and back."""
    first, second = ASKS[i % len(ASKS)], ASKS[(i + 1 + i // len(ASKS)) % len(ASKS)]
    script = [
        chat_message(f"Presto-Change-O, you're {first}").model_dump_json(),
        chat_message(f"hello from {i}").model_dump_json(),
        '{"type": "nope"}',
        chat_message(f"what now, {i}?").model_dump_json(),
        clear_chat_message().model_dump_json(),
        chat_message("and then?").model_dump_json(),
    ]
    if i % 4 == 0:
        script += [
            chat_message(f"Presto-Change-O, you're {second}").model_dump_json(),
            chat_message("still there?").model_dump_json(),
            switch_mode_message(INDUSTRIES[first]).model_dump_json(),
        ]
    return [*script, chat_message(f"bye {i}").model_dump_json()]


def _new_session(i: int, modes: ModeCatalogue) -> Session:
    return Session(f"session-{i}", modes=modes, responder=EchoResponder())


Transcript = tuple[list[str], tuple[ChatTurn, ...], str, list[str]]


def _drive(session: Session, script: list[str], out: list[str]) -> Iterator[None]:
    """Run a script, pausing after every outbound message (where a WebSocket would send)."""
    for raw in script:
        for message in session.handle(raw):
            out.append(message.model_dump_json())
            yield


def _transcript(session: Session, out: list[str]) -> Transcript:
    """Everything sent, the history, the mode, and the persona of each mode_switch."""
    switches = [json.loads(o)["payload"] for o in out if o.startswith('{"type":"mode_switch"')]
    return out, session.history, session.mode.model_dump_json(), [json.dumps(p["persona"]) for p in switches]


def _reference(modes: ModeCatalogue) -> list[Transcript]:
    result = []
    for i in range(N_SESSIONS):
        session, out = _new_session(i, modes), []
        for _ in _drive(session, _script(i), out):
            pass
        result.append(_transcript(session, out))
    return result


def _concurrent(modes: ModeCatalogue) -> dict[int, Transcript]:
    """Half the sessions on 16 threads (interleaved message by message), half as asyncio tasks, all at once."""
    results: dict[int, Transcript] = {}
    start = threading.Barrier(N_THREADS + 1)

    def thread_worker(ids: list[int]) -> None:
        sessions = {i: (_new_session(i, modes), []) for i in ids}
        drivers = {i: _drive(s, _script(i), out) for i, (s, out) in sessions.items()}
        start.wait()
        while drivers:
            for i in list(drivers):
                if next(drivers[i], StopIteration) is StopIteration:
                    del drivers[i]
        for i, (s, out) in sessions.items():
            results[i] = _transcript(s, out)

    async def task(i: int) -> None:
        session, out = _new_session(i, modes), []
        for _ in _drive(session, _script(i), out):
            await asyncio.sleep(0)
        results[i] = _transcript(session, out)

    async def run_tasks(ids: list[int]) -> None:
        start.wait()
        await asyncio.gather(*(task(i) for i in ids))

    threaded = [i for i in range(N_SESSIONS) if i % 2 == 0]
    tasked = [i for i in range(N_SESSIONS) if i % 2 == 1]
    with ThreadPoolExecutor(N_THREADS) as pool:
        futures = [pool.submit(thread_worker, threaded[k::N_THREADS]) for k in range(N_THREADS)]
        asyncio.run(run_tasks(tasked))
        for future in futures:
            future.result()
    return results


def test_isolation_1000_sessions_threads_and_asyncio() -> None:
    modes = ModeCatalogue([custom_mode("airline")])
    t0 = time.perf_counter()
    reference = _reference(modes)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # preempt threads 50x more often than usual: mid-generation, mid-reply
    try:
        t1 = time.perf_counter()
        concurrent = _concurrent(modes)
        t2 = time.perf_counter()
    finally:
        sys.setswitchinterval(interval)
    assert len(concurrent) == N_SESSIONS
    contaminated = [i for i in range(N_SESSIONS) if concurrent[i] != reference[i]]
    assert not contaminated, (
        f"{len(contaminated)} sessions differ from their single-threaded run, e.g. {contaminated[:5]}"
    )
    # the reference is meaningful: every session switched, personas differ between sessions,
    # switching back gave the first persona again, and custom modes stayed in their own session
    assert len({ref[3][0] for ref in reference}) > 0.99 * N_SESSIONS
    for i, (out, history, _mode, personas) in enumerate(reference):
        assert len(personas) == (3 if i % 4 == 0 else 1)
        assert personas[0] == personas[-1]
        assert [t.role for t in history] == ["user", "assistant"] * (1 if i % 4 == 0 else 2)
        assert sum('"code":"unknown_type"' in o for o in out) == 1
    assert "custom-gym" not in modes
    # no lock contention worth measuring: the concurrent run costs what the single-threaded one does
    assert t2 - t1 < 3 * (t1 - t0) + 1.0, f"single thread {t1 - t0:.2f} s, concurrent {t2 - t1:.2f} s"
