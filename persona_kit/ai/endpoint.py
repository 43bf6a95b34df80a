"""The offline simulator served as an in-process, OpenAI-compatible Chat Completions endpoint.

:func:`simulator_client` returns a real ``openai.OpenAI`` client whose HTTP
transport answers ``POST /chat/completions`` with the simulator's reply, in the
wire format a model server uses: server-sent events, text deltas, tool-call
deltas with the arguments split across events, a finish reason and ``[DONE]``.
Driving :class:`~persona_kit.ai.openai_responder.OpenAIResponder` with it runs
the real-model code path end to end without a network or a key, and gives the
same messages as :class:`~persona_kit.ai.simulator.SimulatorResponder`.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from collections.abc import Iterable
from typing import Any

from persona_kit.ai.answers import Reply
from persona_kit.ai.simulator import simulate_reply, word_chunks
from persona_kit.generate import Persona
from persona_kit.models.modes import Mode

SIMULATOR_MODEL = "persona-kit-simulator"
_CREATED = 1_767_225_600  # a fixed timestamp (2026-01-01): same request, same bytes


def _chunk(delta: dict[str, Any], finish: str | None = None, *, model: str, cid: str) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _arguments(tool: Any) -> str:
    return json.dumps(tool.payload.result.model_dump(mode="json"), ensure_ascii=False)


def completion_chunks(
    reply: Reply, *, model: str = SIMULATOR_MODEL, cid: str = "chatcmpl-simulator"
) -> list[dict[str, Any]]:
    """``chat.completion.chunk`` objects for a reply: role, one text delta per word, tool-call deltas, finish."""
    chunks = [_chunk({"role": "assistant", "content": ""}, model=model, cid=cid)]
    chunks += [_chunk({"content": word}, model=model, cid=cid) for word in word_chunks(reply.text)]
    for i, tool in enumerate(reply.tools):
        args = _arguments(tool)
        half = len(args) // 2
        head = {
            "index": i,
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": tool.payload.tool, "arguments": args[:half]},
        }
        chunks.append(_chunk({"tool_calls": [head]}, model=model, cid=cid))
        chunks.append(
            _chunk({"tool_calls": [{"index": i, "function": {"arguments": args[half:]}}]}, model=model, cid=cid)
        )
    chunks.append(_chunk({}, "tool_calls" if reply.tools else "stop", model=model, cid=cid))
    return chunks


def sse_body(chunks: Iterable[dict[str, Any]], *, done: bool = True) -> bytes:
    """Server-sent events for ``chunks``, ending with ``data: [DONE]`` unless ``done`` is False."""
    events = [f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks]
    if done:
        events.append("data: [DONE]\n\n")
    return "".join(events).encode("utf-8")


def completion_json(reply: Reply, *, model: str = SIMULATOR_MODEL) -> dict[str, Any]:
    """The non-streamed ``chat.completion`` object for a reply."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tools:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": t.payload.tool, "arguments": _arguments(t)}}
            for i, t in enumerate(reply.tools)
        ]
    return {
        "id": "chatcmpl-simulator",
        "object": "chat.completion",
        "created": _CREATED,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tools else "stop"}],
    }


class SimulatorEndpoint:
    """A Chat Completions request handler answering for one mode and persona with the simulator.

    Call it with an ``httpx`` (or ``httpx2``) request; it returns a response of the same library.
    The user messages of the request are the conversation: the last is the question, the others its history.
    """

    def __init__(self, mode: Mode, persona: Persona, *, model: str = SIMULATOR_MODEL) -> None:
        self.mode = mode
        self.persona = persona
        self.model = model

    def __call__(self, request: Any) -> Any:
        """Answer one HTTP request."""
        response_type = sys.modules[type(request).__module__.split(".")[0]].Response
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return response_type(404, json={"error": {"message": "not found", "type": "invalid_request_error"}})
        body = json.loads(request.content or b"{}")
        users = [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user"]
        if not users or not isinstance(users[-1], str):
            return response_type(400, json={"error": {"message": "no user message", "type": "invalid_request_error"}})
        reply = simulate_reply(self.mode, self.persona, [u for u in users[:-1] if isinstance(u, str)], users[-1])
        if body.get("stream"):
            content = sse_body(completion_chunks(reply, model=self.model))
            return response_type(200, headers={"content-type": "text/event-stream"}, content=content)
        return response_type(200, json=completion_json(reply, model=self.model))


def simulator_client(mode: Mode, persona: Persona, *, model: str = SIMULATOR_MODEL) -> Any:
    """An ``openai.OpenAI`` client whose requests are answered in-process by the simulator (no network, no key)."""
    from persona_kit.ai.openai_responder import import_openai

    openai = import_openai()
    http = importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")
    transport = http.MockTransport(SimulatorEndpoint(mode, persona, model=model))
    return openai.OpenAI(
        api_key="simulator-needs-no-key",
        base_url="http://persona-kit.simulator/v1",
        max_retries=0,
        http_client=http.Client(transport=transport),
    )
