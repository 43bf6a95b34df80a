"""`persona-kit serve` without a browser: the endpoints the dashboards call, and a server that stays up."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient

from persona_kit import generate_persona, get_mode
from persona_kit.ai import SimulatorResponder
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.serve import ServerConfig, create_app, tab_content

SEED = "presto"


def _client(**kw: Any) -> TestClient:
    return TestClient(create_app(ServerConfig(seed=SEED, responder=SimulatorResponder, **kw)))


def _until_done(ws: Any) -> list[dict[str, Any]]:
    out = []
    while True:
        message = json.loads(ws.receive_text())
        out.append(message)
        if message["type"] == "error" or message["type"] == "chat_error":
            return out
        if message["type"] == "chat_chunk" and message["payload"]["done"]:
            return out
        if message["type"] in {"mode_switch", "chat_cleared"} and len(out) == 1 and message["type"] == "chat_cleared":
            return out


def test_a_connection_gets_the_mode_switch_and_a_greeting_then_replies() -> None:
    with _client().websocket_connect("/ws") as ws:
        hello = _until_done(ws)
        assert [m["type"] for m in hello[:2]] == ["mode_switch", "chat_start"]
        persona = generate_persona("banking", SEED)
        assert hello[0]["payload"]["persona"]["name"] == persona.name
        assert persona.identity.first_name in "".join(m["payload"].get("text", "") for m in hello[1:])
        ws.send_text(json.dumps({"type": "chat", "payload": {"text": "What's my checking balance?"}}))
        reply = _until_done(ws)
        text = "".join(m["payload"]["text"] for m in reply if m["type"] == "chat_chunk")
        assert f"${persona.checking_balance:,.2f}" in text


def test_every_connection_is_its_own_session_with_the_server_seed() -> None:
    client = _client()
    with client.websocket_connect("/ws") as one, client.websocket_connect("/ws") as two:
        _until_done(one), _until_done(two)
        one.send_text(json.dumps({"type": "switch_mode", "payload": {"mode_id": "telecom"}}))
        switched = _until_done(one)
        assert switched[0]["payload"]["mode"]["id"] == "telecom"
        two.send_text(json.dumps({"type": "chat", "payload": {"text": "hi"}}))
        assert "Summit National Bank" in "".join(m["payload"].get("text", "") for m in _until_done(two))


def test_hostile_frames_get_an_error_and_the_connection_stays_usable() -> None:
    with _client().websocket_connect("/ws") as ws:
        _until_done(ws)
        ws.send_bytes(b"\x00\xff binary")
        assert json.loads(ws.receive_text())["payload"]["code"] == "invalid_message"
        ws.send_text("{not json")
        assert json.loads(ws.receive_text())["payload"]["code"] == "invalid_json"
        ws.send_text(json.dumps({"type": "chat", "payload": {"text": "x" * 70_000}}))
        assert json.loads(ws.receive_text())["payload"]["code"] == "too_large"
        ws.send_text(json.dumps({"type": "chat", "payload": {"text": "hello"}}))
        assert _until_done(ws)[-1]["payload"]["done"] is True


def test_state_and_tab_content_answer_as_the_latest_build_reads_them() -> None:
    client = _client()
    state = client.get("/api/state").json()
    assert state["mode"]["id"] == "banking" and state["mode"]["defaultMetrics"][0]["value"].startswith("$")
    assert state["persona"]["name"] == generate_persona("banking", SEED).name
    for mode_id in BUILTIN_MODE_IDS:
        for tab in get_mode(mode_id).tabs:
            body = {"tab_id": tab.id, "tab_label": tab.label, "mode_id": mode_id}
            first = client.post("/api/tab-content", json=body).json()
            assert first == client.post("/api/tab-content", json=body).json()  # deterministic
            assert first["tool_results"], (mode_id, tab.id)
            assert all(r["tool"] == "show_chart" for r in first["tool_results"])
    unknown = client.post("/api/tab-content", json={"tab_id": "x", "tab_label": "X", "mode_id": "nope"}).json()
    assert unknown["tool_results"] == [] and "unknown mode" in unknown["error"]
    assert client.post("/api/tab-content", content=b"{").status_code == 400


def test_the_other_endpoints_answer_quietly() -> None:
    client = _client()
    assert client.get("/api/voice-preference").json() == {"voice": "none", "available": []}
    assert client.post("/api/voice-preference", json={"voice": "verse"}).json()["status"] == "error"
    assert client.get("/").json()["status"] == "ok"
    with client.websocket_connect("/voice") as voice, pytest.raises(Exception):  # noqa: B017, PT011 - closed at once
        voice.receive_text()


def test_tab_content_knows_custom_modes_created_in_a_connection() -> None:
    client = _client()
    with client.websocket_connect("/ws") as ws:
        _until_done(ws)
        ws.send_text(json.dumps({"type": "chat", "payload": {"text": "Presto-Change-O, you're an airline"}}))
        mode_id = _until_done(ws)[0]["payload"]["mode"]["id"]
        body = {"tab_id": "rewards", "tab_label": "Rewards", "mode_id": mode_id}
        content = client.post("/api/tab-content", json=body)
        assert content.json()["tool_results"]


def test_a_client_leaving_mid_reply_ends_only_its_reply_and_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(ServerConfig(seed=SEED, responder=lambda: SimulatorResponder(delay=0.05))))
    with caplog.at_level(logging.INFO, logger="persona_kit.serve"):
        with client.websocket_connect("/ws") as ws:
            _until_done(ws)
            ws.send_text(json.dumps({"type": "chat", "payload": {"text": "Show my spending as a pie chart"}}))
            ws.receive_text()
        time.sleep(0.5)
        with client.websocket_connect("/ws") as again:  # the server is still up
            assert _until_done(again)[0]["type"] == "mode_switch"
    lines = [r.getMessage() for r in caplog.records if r.name == "persona_kit.serve"]
    assert len([line for line in lines if line.startswith("ws-1 ")]) == 1, lines
    assert all("sk-" not in line for line in lines)


def test_many_concurrent_connections_each_stream_a_reply() -> None:
    """200 connections at once, each streaming a reply with a word delay, all complete (bounded, loopback)."""
    import uvicorn
    import websockets

    from persona_kit.serve import MAX_FRAME_BYTES

    app = create_app(ServerConfig(seed=SEED, responder=lambda: SimulatorResponder(delay=0.005)))

    async def client(port: int, i: int) -> float:
        start = time.perf_counter()
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=MAX_FRAME_BYTES) as ws:
            while (m := json.loads(await ws.recv()))["type"] != "chat_chunk" or not m["payload"]["done"]:
                pass
            await ws.send(json.dumps({"type": "chat", "payload": {"text": "What's my savings balance?"}}))
            while (m := json.loads(await ws.recv()))["type"] != "chat_chunk" or not m["payload"]["done"]:
                pass
        return time.perf_counter() - start

    async def main() -> list[float]:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws_max_size=MAX_FRAME_BYTES)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            return await asyncio.wait_for(asyncio.gather(*(client(port, i) for i in range(200))), 90)
        finally:
            server.should_exit = True
            await task

    times = asyncio.run(main())
    assert len(times) == 200


def test_tab_content_is_a_pure_function_of_the_request() -> None:
    config = ServerConfig(seed=SEED)
    body = {"tab_id": "claims", "tab_label": "Claims", "mode_id": "insurance"}
    assert tab_content(config, body) == tab_content(ServerConfig(seed=SEED), dict(body))


def test_cli_serve_refuses_bad_arguments_with_one_line() -> None:
    for args in (["--port", "70000"], ["--static", "/nonexistent"], ["--delay", "-1"], ["--mode", "nope"]):
        code = "import sys; from persona_kit.cli import main; sys.exit(main(sys.argv[1:]))"
        command = [sys.executable, "-c", code, "serve", *args]
        run = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert run.returncode in {1, 2}, (args, run)
        assert "Traceback" not in run.stderr and "error:" in run.stderr.strip().splitlines()[-1], run.stderr


def _serve_process(*args: str) -> tuple[subprocess.Popen[str], int]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = "import sys; from persona_kit.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    import urllib.request

    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(proc.communicate()[1])


def test_oversized_frames_are_closed_and_ctrl_c_stops_the_server_cleanly() -> None:
    import signal

    import websockets

    proc, port = _serve_process("--delay", "0")

    async def big() -> int | None:
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=None) as ws:
            await ws.recv()
            await ws.send("x" * 400_000)
            try:
                while True:
                    await ws.recv()
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None

    try:
        assert asyncio.run(big()) == 1009  # message too big: a clean close, not a crash
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "stopped" in err


def test_a_responder_that_cannot_be_built_fails_at_start_and_state_needs_none() -> None:
    def broken() -> Any:
        raise ImportError("the OpenAI responder needs the `openai` package: pip install 'persona-kit[ai]'")

    with pytest.raises(ImportError, match=r"persona-kit\[ai\]"):
        create_app(ServerConfig(seed=SEED, responder=broken))


def test_too_many_connections_get_a_close_code_not_http_403(monkeypatch: pytest.MonkeyPatch) -> None:
    import persona_kit.serve as serve

    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 1)
    client = _client()
    with client.websocket_connect("/ws") as first:
        _until_done(first)
        with client.websocket_connect("/ws") as second, pytest.raises(Exception) as closed:  # noqa: PT011
            second.receive_text()
        assert getattr(closed.value, "code", None) == 1013
