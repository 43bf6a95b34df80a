"""The OpenAI responder, driven through the real ``openai`` SDK over a mock transport and a loopback server.

No test reaches the network or a real model: every client talks to an httpx
MockTransport or to a server on 127.0.0.1 speaking the Chat Completions wire
format (server-sent events, text and tool-call deltas). The fake key below is
checked to never appear in a message or a log line.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import importlib.util
import json
import logging
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from persona_kit.ai import (
    OpenAIResponder,
    SimulatorResponder,
    responder_from_env,
    simulate_reply,
    simulator_client,
    tool_definitions,
)
from persona_kit.ai.endpoint import completion_chunks, sse_body
from persona_kit.protocol import ChatChunkMessage, ChatErrorMessage, ToolResultMessage
from persona_kit.session import Session, SessionView

openai = pytest.importorskip("openai", reason="the OpenAI responder needs the `ai` extra")
# The HTTP library the installed SDK is built on: httpx2 for current releases, httpx before.
HTTP: Any = importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")
KEY = "sk-test-persona-kit-0123456789abcdef"
BASE_URL = "http://model.test/v1"
Handler = Callable[[Any], Any]


def _client(handler: Handler, **kwargs: Any) -> openai.OpenAI:
    http = HTTP.Client(transport=HTTP.MockTransport(handler))
    return openai.OpenAI(api_key=KEY, base_url=BASE_URL, max_retries=0, timeout=5, http_client=http, **kwargs)


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "test-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _call(index: int, *, name: str | None = None, args: str = "", call_id: str | None = None) -> dict[str, Any]:
    function: dict[str, Any] = {"arguments": args}
    if name:
        function["name"] = name
    call: dict[str, Any] = {"index": index, "function": function}
    if call_id:
        call |= {"id": call_id, "type": "function"}
    return _chunk({"tool_calls": [call]})


def _sse(chunks: list[dict[str, Any]], *, done: bool = True) -> Handler:
    def handler(request: Any) -> Any:
        return HTTP.Response(200, headers={"content-type": "text/event-stream"}, content=sse_body(chunks, done=done))

    return handler


def _status(code: int, message: str = "failure") -> Handler:
    def handler(request: Any) -> Any:
        return HTTP.Response(code, json={"error": {"message": message, "type": "error", "code": None}})

    return handler


def _raise(exc: Exception) -> Handler:
    def handler(request: Any) -> Any:
        raise exc

    return handler


def _view(mode: str = "banking", turns: int = 0) -> SessionView:
    session = Session("openai-tests", mode=mode, responder=SimulatorResponder())
    for question in ["What's my checking balance?", "and my savings?"][:turns]:
        list(session.handle({"type": "chat", "payload": {"text": question}}))
    return session.view()


def _text(messages: list[Any]) -> str:
    return "".join(m.payload.text for m in messages if isinstance(m, ChatChunkMessage))


def _error(messages: list[Any]) -> ChatErrorMessage:
    assert isinstance(messages[-1], ChatErrorMessage), messages
    assert not any(isinstance(m, ChatChunkMessage) and m.payload.done for m in messages)
    return messages[-1]


CHART_ARGS = json.dumps({"chart_type": "pie", "title": "Spending", "data": [{"label": "Groceries", "value": 246.94}]})
METRIC_ARGS = json.dumps({"metrics": [{"label": "Checking", "value": 1581.14, "unit": "USD"}]})


def test_streams_text_and_assembles_tool_call_deltas() -> None:
    seen: list[dict[str, Any]] = []
    view = _view(turns=2)
    chunks = [
        _chunk({"role": "assistant", "content": ""}),
        _chunk({"content": "Here is "}),
        _chunk({"content": "your spending."}),
        _call(0, name="show_chart", args=CHART_ARGS[:7], call_id="call_a"),
        _call(1, name="show_metrics", args=METRIC_ARGS[:20], call_id="call_b"),
        _call(0, args=CHART_ARGS[7:30]),
        _call(1, args=METRIC_ARGS[20:]),
        _call(0, args=CHART_ARGS[30:]),
        _chunk({}, "tool_calls"),
    ]

    def handler(request: Any) -> Any:
        seen.append({"auth": request.headers["authorization"], "path": request.url.path, **json.loads(request.content)})
        return _sse(chunks)(request)

    messages = list(OpenAIResponder(_client(handler), model="test-model").respond(view, "Chart my spending"))
    assert [m.type for m in messages] == [
        "chat_start",
        "chat_chunk",
        "chat_chunk",
        "tool_result",
        "tool_result",
        "chat_chunk",
    ]
    assert _text(messages) == "Here is your spending."
    chart, metric = (m for m in messages if isinstance(m, ToolResultMessage))
    assert chart.payload.model_dump(mode="json") == {"tool": "show_chart", "result": json.loads(CHART_ARGS)}
    assert metric.payload.model_dump(mode="json") == {"tool": "show_metrics", "result": json.loads(METRIC_ARGS)}
    assert messages[-1].payload.done

    (request,) = seen
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {KEY}"
    assert request["model"] == "test-model"
    assert request["stream"] is True
    assert request["tools"] == tool_definitions()
    assert request["messages"][0] == {"role": "system", "content": view.system_prompt}
    assert [m["role"] for m in request["messages"][1:]] == ["user", "assistant", "user", "assistant", "user"]
    assert request["messages"][-1]["content"] == "Chart my spending"
    assert request["messages"][2]["content"] == view.history[1].content


def test_the_simulator_served_over_the_wire_gives_the_same_messages() -> None:
    """One code path: the OpenAI responder against the in-process simulator endpoint equals the simulator."""
    for mode, questions in {
        "banking": ["What's my checking balance?", "and my savings?", "Chart my balances", "Show my metrics"],
        "insurance": ["What's the deductible on my home policy?", "and the premium?", "Chart my coverage"],
        "healthcare": ["When is my next appointment?", "and the one after that?", "Show my deductible as a chart"],
    }.items():
        session = Session(f"wire-{mode}", mode=mode, responder=SimulatorResponder())
        for question in questions:
            view = session.view()
            direct = list(SimulatorResponder().respond(view, question))
            wired = list(OpenAIResponder(simulator_client(view.mode, view.persona)).respond(view, question))
            assert wired == direct, question
            list(session.handle({"type": "chat", "payload": {"text": question}}))


def test_simulator_endpoint_answers_non_streamed_requests() -> None:
    view = _view("insurance")
    client = simulator_client(view.mode, view.persona)
    completion = client.chat.completions.create(
        model="persona-kit-simulator", messages=[{"role": "user", "content": "Chart my coverage"}]
    )
    reply = simulate_reply(view.mode, view.persona, [], "Chart my coverage")
    assert completion.choices[0].message.content == reply.text
    (call,) = completion.choices[0].message.tool_calls or []
    assert call.function.name == "show_chart"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("handler", "code", "words"),
    [
        (_status(401, f"Incorrect API key provided: {KEY}."), "auth_failed", "OPENAI_API_KEY"),
        (_status(403), "permission_denied", "403"),
        (_status(404, "The model does not exist"), "not_found", "PERSONA_KIT_MODEL"),
        (_status(429, "Rate limit reached"), "rate_limited", "429"),
        (_status(500, "boom"), "server_error", "500"),
        (_status(503, "overloaded"), "server_error", "503"),
        (_status(400, f"Invalid request for key {KEY} (Bearer {KEY})"), "bad_request", "400"),
        (_status(418, "teapot"), "api_error", "418"),
        (_raise(HTTP.ReadTimeout("timed out")), "timeout", "in time"),
        (_raise(HTTP.ConnectError("refused")), "connection_error", "reach"),
    ],
)
def test_request_failures_become_a_chat_error_without_the_key(
    handler: Handler, code: str, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    messages = list(OpenAIResponder(_client(handler)).respond(_view(), "What's my checking balance?"))
    assert len(messages) == 1  # no chat_start: nothing was streamed
    error = _error(messages)
    assert error.payload.code == code
    assert words in error.payload.message
    assert KEY not in error.model_dump_json()
    assert KEY[8:] not in error.model_dump_json()
    assert KEY not in caplog.text
    assert any(r.name == "persona_kit.ai" and code in r.getMessage() for r in caplog.records)


def test_bad_request_detail_is_redacted() -> None:
    handler = _status(400, f"Invalid 'messages': api_key={KEY} token: abc123secret sk-live-ABCDEFGH12345678")
    (error,) = OpenAIResponder(_client(handler)).respond(_view(), "hi")
    assert isinstance(error, ChatErrorMessage)
    assert "Invalid 'messages'" in error.payload.message
    for secret in (KEY, "abc123secret", "sk-live-ABCDEFGH12345678"):
        assert secret not in error.payload.message


def _broken_body(chunks: list[dict[str, Any]]) -> Handler:
    def body() -> Iterator[bytes]:
        yield sse_body(chunks, done=False)
        raise HTTP.RemoteProtocolError("peer closed connection without sending complete message body")

    def handler(request: Any) -> Any:
        return HTTP.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return handler


def test_a_stream_cut_mid_way_keeps_the_text_but_ends_in_a_chat_error() -> None:
    chunks = [_chunk({"role": "assistant", "content": "Your balance "}), _chunk({"content": "is"})]
    messages = list(OpenAIResponder(_client(_broken_body(chunks))).respond(_view(), "balance?"))
    assert messages[0].type == "chat_start"
    assert _text(messages) == "Your balance is"
    error = _error(messages)
    assert error.payload.code == "stream_cut"
    assert "not saved" in error.payload.message


def test_a_stream_that_ends_without_a_finish_reason_is_incomplete() -> None:
    chunks = [_chunk({"role": "assistant", "content": "Your balance "}), _call(0, name="show_chart", args="{")]
    for done in (True, False):
        messages = list(OpenAIResponder(_client(_sse(chunks, done=done))).respond(_view(), "balance?"))
        assert _error(messages).payload.code == "stream_incomplete"
        assert not any(isinstance(m, ToolResultMessage) for m in messages)


def test_an_error_event_inside_the_stream_is_reported() -> None:
    def handler(request: Any) -> Any:
        body = sse_body([_chunk({"content": "Hi"})], done=False) + b'data: {"error": {"message": "overloaded"}}\n\n'
        return HTTP.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    messages = list(OpenAIResponder(_client(handler)).respond(_view(), "hi"))
    assert _error(messages).payload.code == "api_error"


@pytest.mark.parametrize(
    ("name", "args", "words"),
    [
        ("show_chart", '{"chart_type": "pie", "title": "x", "data": [', "not valid JSON"),
        ("show_chart", '{"chart_type": "donut", "title": "x", "data": [{"label": "a", "value": 1}]}', "chart_type"),
        ("show_chart", '{"chart_type": "pie", "title": "x", "data": []}', "data"),
        ("show_metrics", '{"metrics": [{"label": "a"}]}', "value"),
        ("show_metrics", "[1, 2]", "JSON object"),
        ("delete_account", "{}", "unknown tool"),
    ],
)
def test_malformed_tool_arguments_become_a_chat_error(name: str, args: str, words: str) -> None:
    chunks = [_chunk({"content": "Sure."}), _call(0, name=name, args=args, call_id="c1"), _chunk({}, "tool_calls")]
    messages = list(OpenAIResponder(_client(_sse(chunks))).respond(_view(), "chart it"))
    error = _error(messages)
    assert error.payload.code == "bad_tool_call"
    assert name in error.payload.message
    assert words in error.payload.message
    assert not any(isinstance(m, ToolResultMessage) for m in messages)


def test_content_filter_and_length_finish_reasons() -> None:
    filtered = [_chunk({"content": "I"}), _chunk({}, "content_filter")]
    messages = list(OpenAIResponder(_client(_sse(filtered))).respond(_view(), "hi"))
    assert _error(messages).payload.code == "content_filter"
    truncated = [_chunk({"content": "A long answer"}), _chunk({}, "length")]
    messages = list(OpenAIResponder(_client(_sse(truncated))).respond(_view(), "hi"))
    assert messages[-1].type == "chat_chunk"
    assert messages[-1].payload.done


def test_history_stays_intact_and_usable_after_failures() -> None:
    outcomes = iter([_status(429), _broken_body([_chunk({"content": "Half"})]), None])
    good = _sse(completion_chunks(simulate_reply(_view().mode, _view().persona, [], "What's my checking balance?")))

    def handler(request: Any) -> Any:
        failing = next(outcomes)
        return (failing or good)(request)

    session = Session("openai-tests", responder=OpenAIResponder(_client(handler)))
    for _ in range(2):
        out = list(session.handle({"type": "chat", "payload": {"text": "What's my checking balance?"}}))
        assert isinstance(out[-1], ChatErrorMessage)
        assert session.history == ()
    out = list(session.handle({"type": "chat", "payload": {"text": "What's my checking balance?"}}))
    assert out[-1].type == "chat_chunk"
    assert [t.role for t in session.history] == ["user", "assistant"]
    assert session.history[1].content == _text(out)


def test_a_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    responder = OpenAIResponder(environ={"PERSONA_KIT_MODEL": "gpt-test"})
    assert responder.model == "gpt-test"
    (error,) = responder.respond(_view(), "hi")
    assert isinstance(error, ChatErrorMessage)
    assert error.payload.code == "not_configured"
    assert "OPENAI_API_KEY" in error.payload.message


def test_azure_openai_client_is_supported() -> None:
    seen: dict[str, Any] = {}
    reply = simulate_reply(_view().mode, _view().persona, [], "What's my credit score?")

    def handler(request: Any) -> Any:
        seen.update(path=request.url.path, query=dict(request.url.params), key=request.headers.get("api-key"))
        return _sse(completion_chunks(reply))(request)

    client = openai.AzureOpenAI(
        azure_endpoint="https://example-resource.openai.azure.com",
        api_key=KEY,
        api_version="2024-10-21",
        max_retries=0,
        http_client=HTTP.Client(transport=HTTP.MockTransport(handler)),
    )
    messages = list(OpenAIResponder(client, model="my-deployment").respond(_view(), "What's my credit score?"))
    assert _text(messages) == reply.text
    assert seen == {
        "path": "/openai/deployments/my-deployment/chat/completions",
        "query": {"api-version": "2024-10-21"},
        "key": KEY,
    }
    assert KEY not in repr(OpenAIResponder(client))


def test_azure_is_configured_from_the_environment() -> None:
    from persona_kit.ai import client_from_env

    env = {"AZURE_OPENAI_ENDPOINT": "https://example-resource.openai.azure.com", "AZURE_OPENAI_API_KEY": KEY}
    assert isinstance(client_from_env(env), openai.AzureOpenAI)
    assert isinstance(client_from_env({"OPENAI_API_KEY": KEY}), openai.OpenAI)
    token = {"AZURE_OPENAI_ENDPOINT": "https://example-resource.openai.azure.com", "AZURE_OPENAI_AD_TOKEN": KEY}
    assert isinstance(client_from_env(token), openai.AzureOpenAI)


def test_responder_from_env_defaults_to_the_simulator() -> None:
    assert isinstance(responder_from_env({}), SimulatorResponder)
    assert isinstance(responder_from_env({"OPENAI_API_KEY": KEY}), SimulatorResponder)
    chosen = responder_from_env({"PERSONA_KIT_MODEL": "gpt-4o-mini", "OPENAI_API_KEY": KEY})
    assert isinstance(chosen, OpenAIResponder)
    assert chosen.model == "gpt-4o-mini"


def test_missing_openai_fails_politely_and_the_package_still_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(ImportError, match=r"pip install 'persona-kit\[ai\]'"):
        OpenAIResponder()
    code = (
        "import sys; sys.modules['openai'] = None\n"
        "import persona_kit.ai as ai\n"
        "assert isinstance(ai.responder_from_env({}), ai.SimulatorResponder)\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "ok"


# --- a loopback server speaking the wire format over real sockets ------------------------------------


class _ChatServer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body: bytes = b""
    cut: bool = False
    requests: list[dict[str, Any]] = []  # noqa: RUF012 - one list per server class, see _serve

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        self.requests.append(
            {"path": self.path, "auth": self.headers.get("authorization"), **json.loads(self.rfile.read(length))}
        )
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("connection", "close")
        self.end_headers()
        body = self.body[: len(self.body) // 2] if self.cut else self.body
        self.wfile.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
        if not self.cut:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.close_connection = True
        if self.cut:
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the requests list instead."""


def _serve(body: bytes, *, cut: bool) -> tuple[ThreadingHTTPServer, type[_ChatServer]]:
    handler = type("Handler", (_ChatServer,), {"body": body, "cut": cut, "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server, handler


@pytest.mark.parametrize("cut", [False, True])
def test_loopback_server_configured_from_the_environment(cut: bool) -> None:
    view = _view("healthcare")
    reply = simulate_reply(view.mode, view.persona, [], "Show my deductible as a chart")
    server, handler = _serve(sse_body(completion_chunks(reply)), cut=cut)
    try:
        env = {
            "OPENAI_API_KEY": KEY,
            "OPENAI_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}/v1",
            "PERSONA_KIT_MODEL": "local-model",
        }
        responder = responder_from_env(env)
        assert isinstance(responder, OpenAIResponder)
        responder.max_retries = 0
        messages = list(responder.respond(view, "Show my deductible as a chart"))
    finally:
        server.shutdown()
        server.server_close()
    (request,) = handler.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "local-model"
    assert request["auth"] == f"Bearer {KEY}"
    if cut:
        assert _error(messages).payload.code == "stream_cut"  # the chunked body stops mid-chunk: a dropped connection
        assert KEY not in str(messages)
    else:
        assert messages == list(SimulatorResponder().respond(view, "Show my deductible as a chart"))


def test_a_client_on_plain_httpx_works_too() -> None:
    """Older SDKs are built on httpx; current ones still accept an httpx client, and the responder does not care."""
    httpx = pytest.importorskip("httpx")
    view = _view()
    reply = simulate_reply(view.mode, view.persona, [], "Show my metrics")

    def handler(request: Any) -> Any:
        body = sse_body(completion_chunks(reply))
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    client = openai.OpenAI(
        api_key=KEY, base_url=BASE_URL, max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    messages = list(OpenAIResponder(client).respond(view, "Show my metrics"))
    assert messages == list(SimulatorResponder().respond(view, "Show my metrics"))


# --- the async path: AsyncOpenAI on the same wire format ---------------------------------------------


def _async_client(handler: Handler) -> Any:
    http = HTTP.AsyncClient(transport=HTTP.MockTransport(handler))
    return openai.AsyncOpenAI(api_key=KEY, base_url=BASE_URL, max_retries=0, timeout=5, http_client=http)


def test_respond_async_streams_the_same_reply_on_asyncopenai() -> None:
    from persona_kit.ai.endpoint import SimulatorEndpoint

    session = Session("ws-async")
    endpoint = SimulatorEndpoint(session.mode, session.persona)
    question = "Show my spending as a pie chart"
    sync = list(OpenAIResponder(_client(endpoint)).respond(session.view(), question))

    async def collect() -> list[Any]:
        responder = OpenAIResponder(async_client=_async_client(endpoint))
        return [m async for m in responder.respond_async(session.view(), question)]

    assert asyncio.run(collect()) == sync
    assert any(isinstance(m, ToolResultMessage) for m in sync)


def test_respond_async_turns_failures_into_chat_errors() -> None:
    def limited(request: Any) -> Any:
        return HTTP.Response(429, headers={"retry-after": "0"}, json={"error": {"message": f"slow down {KEY}"}})

    async def collect() -> list[Any]:
        responder = OpenAIResponder(async_client=_async_client(limited))
        return [m async for m in responder.respond_async(Session("ws-429").view(), "hi")]

    (error,) = asyncio.run(collect())
    assert isinstance(error, ChatErrorMessage) and error.payload.code == "rate_limited"
    assert KEY not in error.model_dump_json()


@pytest.mark.parametrize(
    "leak",
    [
        lambda key: key.upper(),
        lambda key: key[3:30],
        urllib.parse.quote,
        lambda key: base64.b64encode(key.encode()).decode(),
        lambda key: base64.urlsafe_b64encode(f"{key}".encode()).decode().rstrip("="),
        lambda key: f"Authorization: Bearer {key}",
    ],
    ids=["upper", "substring", "url", "base64", "urlsafe", "bearer"],
)
def test_redaction_covers_case_substrings_and_encodings(leak: Callable[[str], str]) -> None:
    from persona_kit.ai.openai_responder import redact

    text = f"error from server: {leak(KEY)} (request 42)"
    cleaned = redact(text, (KEY,))
    assert "[redacted]" in cleaned
    for piece in (KEY, KEY[3:30], KEY.upper()):
        assert piece.casefold() not in cleaned.casefold()
    assert cleaned.endswith("(request 42)")


def test_redaction_is_linear_in_the_text() -> None:
    from persona_kit.ai.openai_responder import redact

    small, big = "x1 " * 20_000, "x1 " * 200_000
    start = time.perf_counter()
    redact(small, (KEY,))
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    redact(big, (KEY,))
    t_big = time.perf_counter() - start
    assert t_big < 40 * max(t_small, 1e-3)  # 10x the text: about 10x the time, far from 100x


def test_an_async_clients_key_is_redacted_from_errors() -> None:
    azure_key = "0123456789abcdef0123456789abcdef"

    def bad(request: Any) -> Any:
        return HTTP.Response(400, json={"error": {"message": f"key {azure_key} rejected for this deployment"}})

    async def collect() -> list[Any]:
        http = HTTP.AsyncClient(transport=HTTP.MockTransport(bad))
        client = openai.AsyncOpenAI(api_key=azure_key, base_url=BASE_URL, max_retries=0, timeout=5, http_client=http)
        return [m async for m in OpenAIResponder(async_client=client).respond_async(Session("ws-k").view(), "hi")]

    (error,) = asyncio.run(collect())
    assert isinstance(error, ChatErrorMessage) and error.payload.code == "bad_request"
    assert azure_key not in error.model_dump_json() and "[redacted]" in error.payload.message


def test_a_reply_stopped_early_closes_the_model_stream() -> None:
    closed: list[bool] = []

    class Stream:
        def __aiter__(self) -> Any:
            return self

        async def __anext__(self) -> Any:
            await asyncio.sleep(30)
            raise StopAsyncIteration

        async def close(self) -> None:
            closed.append(True)

    class Completions:
        async def create(self, **request: Any) -> Stream:
            return Stream()

    class Client:
        api_key = "k" * 20

        class chat:  # noqa: N801 - the SDK's shape
            completions = Completions()

    async def collect() -> list[Any]:
        session = Session("ws-close", responder=OpenAIResponder(async_client=Client()), reply_seconds=0.3)
        return [m async for m in session.handle_async('{"type": "chat", "payload": {"text": "hi"}}')]

    out = asyncio.run(collect())
    assert [m.type for m in out] == ["chat_start", "chat_error"] and out[-1].payload.code == "timeout"
    assert closed == [True]
