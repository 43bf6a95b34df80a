"""A responder backed by a real model: Chat Completions, streamed, through the ``openai`` SDK.

The request carries the system prompt from :func:`persona_kit.prompt.build_system_prompt`,
the session history, the user's message, and the two dashboard tools. Text
deltas become ``chat_chunk`` messages as they arrive; tool-call deltas are
assembled and validated into ``tool_result`` messages at the end of the stream.

Every failure - bad key, rate limit, timeout, server error, a stream cut off
mid-way, malformed tool arguments - ends the reply with a ``chat_error`` that
says what happened. Nothing is recorded in the session's history for a failed
reply, so the conversation stays usable. No key, token or server error body
that could echo one ever goes into a message or a log line.

Configuration, from the environment unless a client is given:

- ``PERSONA_KIT_MODEL``: the model (for Azure, the deployment name); default ``gpt-4o-mini``.
- ``OPENAI_API_KEY`` and, for any OpenAI-compatible server, ``OPENAI_BASE_URL``.
- Azure OpenAI: ``AZURE_OPENAI_ENDPOINT``, ``AZURE_OPENAI_API_KEY`` and ``OPENAI_API_VERSION``,
  or pass ``client=openai.AzureOpenAI(...)``.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from persona_kit.ai.tools import ToolArgumentsError, tool_definitions, tool_result_from_arguments
from persona_kit.protocol import (
    ChatErrorMessage,
    OutboundMessage,
    ToolResultMessage,
    chat_chunk_message,
    chat_error_message,
    chat_start_message,
)

if TYPE_CHECKING:
    from persona_kit.conversation import SessionView

MODEL_ENV = "PERSONA_KIT_MODEL"
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_AZURE_API_VERSION = "2024-10-21"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 1
"""One retry: with a 30 s Retry-After a rate-limited reply fails after one wait, well inside the reply deadline."""
DEFAULT_BASE_URL = "https://api.openai.com/v1"
INSTALL_HINT = "pip install 'persona-kit[ai]'"

log = logging.getLogger("persona_kit.ai")

_SETTINGS = (
    MODEL_ENV,
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "OPENAI_API_VERSION",
)

_SECRET_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-*.]{6,}"),
    re.compile(r"(?i)\bbearer\s+\S+"),
    re.compile(r"(?i)(api[-_ ]?key|token|secret|password)([\"':= ]+)[^\s\"',}]+"),
)


def import_openai() -> Any:
    """The ``openai`` module; an ImportError naming the ``ai`` extra if it is missing."""
    try:
        import openai
    except ImportError as err:
        msg = f"the OpenAI responder needs the `openai` package, which is not installed: {INSTALL_HINT}"
        raise ImportError(msg, name="openai") from err
    return openai


_PIECE = 12
"""A run of this many characters of a secret, anywhere in a text, is taken as a leak of it."""


def _encodings(secret: str) -> set[str]:
    """The forms a secret travels in: as is, URL-encoded, base64 (standard and URL-safe)."""
    raw = secret.encode("utf-8")
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    forms |= {base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("=")}
    return {form for form in forms if form}


def _leaks(text: str, secret: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that carry ``secret`` or a long piece of it, in any case and any of its encodings."""
    pieces: set[str] = set()
    for form in _encodings(secret):
        if len(form) <= _PIECE:
            pieces.add(form)
        else:
            pieces |= {form[i : i + _PIECE] for i in range(len(form) - _PIECE + 1)}
    pattern = re.compile("|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True)), re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    for found in pattern.finditer(text):
        start, end = found.span()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every known secret and anything shaped like a key or bearer token replaced.

    A secret is found in any letter case, URL-encoded or base64-encoded, and so is any run of 12 or
    more of its characters (a key cut short is still a leak). Time is linear in the text's length for
    each secret.
    """
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        for start, end in reversed(_leaks(text, secret)):
            text = f"{text[:start]}[redacted]{text[end:]}"
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]" if m.lastindex else "[redacted]", text)
    return text


def client_from_env(
    environ: Mapping[str, str] | None = None, *, timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_RETRIES
) -> Any:
    """An ``OpenAI`` (or ``AzureOpenAI``, when ``AZURE_OPENAI_ENDPOINT`` is set) client configured from ``environ``.

    Only ``environ`` is read (default ``os.environ``): every setting is passed to the SDK explicitly, so
    a test or notebook that passes its own mapping is not overridden by the process environment.
    """
    return _client(environ, timeout=timeout, max_retries=max_retries, asynchronous=False)


def async_client_from_env(
    environ: Mapping[str, str] | None = None, *, timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_RETRIES
) -> Any:
    """:func:`client_from_env` for an event loop: an ``AsyncOpenAI`` (or ``AsyncAzureOpenAI``) client."""
    return _client(environ, timeout=timeout, max_retries=max_retries, asynchronous=True)


def _client(environ: Mapping[str, str] | None, *, timeout: float, max_retries: int, asynchronous: bool) -> Any:
    """The OpenAI or Azure OpenAI client, sync or async, configured from ``environ`` only."""
    env = os.environ if environ is None else environ
    openai = import_openai()
    limits = {"timeout": timeout, "max_retries": max_retries}
    if env.get("AZURE_OPENAI_ENDPOINT"):
        token = env.get("AZURE_OPENAI_AD_TOKEN")
        azure = openai.AsyncAzureOpenAI if asynchronous else openai.AzureOpenAI
        return azure(
            azure_endpoint=env["AZURE_OPENAI_ENDPOINT"],
            api_key=None if token else env.get("AZURE_OPENAI_API_KEY") or env.get("OPENAI_API_KEY") or "",
            azure_ad_token=token or None,
            api_version=env.get("OPENAI_API_VERSION") or DEFAULT_AZURE_API_VERSION,
            **limits,
        )
    plain = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return plain(
        api_key=env.get("OPENAI_API_KEY") or "", base_url=env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL, **limits
    )


async def _aclose(stream: Any) -> None:
    """Close an ``AsyncStream`` (its HTTP response) if it can be closed."""
    close = getattr(stream, "close", None)
    if callable(close):
        result = close()
        if asyncio.iscoroutine(result):
            await result


@dataclass
class _ToolCall:
    """A tool call being assembled from stream deltas."""

    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass
class _Stream:
    """What one streamed reply has produced so far."""

    calls: dict[int, _ToolCall] = field(default_factory=dict)
    finish: str | None = None
    text_chars: int = 0


def _history_messages(session: SessionView, text: str) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": session.system_prompt}]
    messages += [{"role": turn.role, "content": turn.content} for turn in session.history]
    messages.append({"role": "user", "content": text})
    return messages


class OpenAIResponder:
    """Replies from a Chat Completions model, streamed, with ``show_chart`` / ``show_metrics`` as tools.

    ``client`` is any ``openai.OpenAI``-compatible client (``AzureOpenAI`` included) and
    ``async_client`` an ``AsyncOpenAI``-compatible one for :meth:`respond_async`; without them,
    clients are built from ``environ`` (default ``os.environ``) on first use, with ``timeout``
    seconds per request and ``max_retries`` retries of failed requests.
    """

    def __init__(
        self,
        client: Any | None = None,
        *,
        async_client: Any | None = None,
        model: str | None = None,
        environ: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_RETRIES,
        temperature: float | None = None,
    ) -> None:
        self._openai = import_openai()
        source = os.environ if environ is None else environ
        env = {name: source[name] for name in _SETTINGS if source.get(name)}  # only what configures the client
        self._env = env
        self._client = client
        self._async_client: Any | None = async_client
        self.model = model or env.get(MODEL_ENV) or DEFAULT_MODEL
        self.timeout = timeout
        self.max_retries = max_retries
        self.temperature = temperature

    def __repr__(self) -> str:
        kind = type(self._client).__name__ if self._client is not None else "from environment"
        return f"OpenAIResponder(model={self.model!r}, client={kind})"

    def _secrets(self) -> tuple[str, ...]:
        found = [
            self._env.get(name, "") for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN")
        ]
        for client in (self._client, self._async_client):  # a key given in a client, sync or async
            for attribute in ("api_key", "_azure_ad_token"):
                value = getattr(client, attribute, None)
                found.append(value if isinstance(value, str) else "")
        return tuple(found)

    def client(self) -> Any:
        """The client in use, built from the environment the first time it is needed."""
        if self._client is None:
            self._client = client_from_env(self._env, timeout=self.timeout, max_retries=self.max_retries)
        return self._client

    def async_client(self) -> Any | None:
        """The ``AsyncOpenAI`` client :meth:`respond_async` uses (from the environment), or None when a
        synchronous client was given (its replies then run in a worker thread)."""
        if self._async_client is not None:
            return self._async_client
        if self._client is not None:
            return None
        if self._async_client is None:
            self._async_client = async_client_from_env(self._env, timeout=self.timeout, max_retries=self.max_retries)
        return self._async_client

    def _request(self, session: SessionView, text: str) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": _history_messages(session, text),
            "tools": tool_definitions(),
            "stream": True,
        }
        if self.temperature is not None:
            request["temperature"] = self.temperature
        return request

    async def respond_async(self, session: SessionView, text: str) -> AsyncIterator[OutboundMessage]:
        """:meth:`respond` on ``AsyncOpenAI``: the event loop goes on while the model answers."""
        try:
            client = self.async_client()
        except Exception as err:  # a client that cannot be built is a chat_error like any failure
            yield self._failure(err, started=False, partial=False)
            return
        if client is None:
            stream_sync = self.respond(session, text)
            try:
                while (item := await asyncio.to_thread(next, stream_sync, None)) is not None:
                    yield item
            finally:
                with suppress(ValueError):  # still running in its thread (a deadline passed): it ends by itself
                    getattr(stream_sync, "close", lambda: None)()
            return
        state = _Stream()
        started = False
        try:
            stream = await client.chat.completions.create(**self._request(session, text))
            try:
                yield chat_start_message()
                started = True
                async for chunk in stream:
                    for message in self._read_chunk(chunk, state):
                        yield message
            finally:  # a reply stopped early (deadline, client gone) must not keep the model generating
                await _aclose(stream)
        except Exception as err:  # every failure becomes a chat_error; the session's history is untouched
            yield self._failure(err, started=started, partial=state.text_chars > 0)
            return
        for message in self._finish(state):
            yield message

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        """Stream the model's reply to ``text``: ``chat_start``, chunks, tool results, ``done`` - or ``chat_error``."""
        state = _Stream()
        started = False
        try:
            stream = self.client().chat.completions.create(**self._request(session, text))
            try:
                yield chat_start_message()
                started = True
                for chunk in stream:
                    yield from self._read_chunk(chunk, state)
            finally:  # a reply stopped early (deadline, client gone) must not keep the model generating
                close = getattr(stream, "close", None)
                if callable(close):
                    close()
        except Exception as err:  # every failure becomes a chat_error; the session's history is untouched
            yield self._failure(err, started=started, partial=state.text_chars > 0)
            return
        yield from self._finish(state)

    def _read_chunk(self, chunk: Any, state: _Stream) -> Iterator[OutboundMessage]:
        for choice in getattr(chunk, "choices", None) or ():
            if choice.index != 0:
                continue
            delta = choice.delta
            piece = (delta.content or "") + (getattr(delta, "refusal", None) or "")
            if piece:
                state.text_chars += len(piece)
                yield chat_chunk_message(piece)
            for call in delta.tool_calls or ():
                entry = state.calls.setdefault(call.index, _ToolCall())
                if call.function is not None:
                    entry.name += call.function.name or ""
                    entry.arguments.append(call.function.arguments or "")
            if choice.finish_reason:
                state.finish = choice.finish_reason

    def _finish(self, state: _Stream) -> Iterator[OutboundMessage]:
        if state.finish is None:
            log.info("model reply ended without a finish reason (stream cut off)")
            yield chat_error_message(
                "The model's reply was cut off before it finished (the stream ended early). "
                "Nothing was saved; please ask again.",
                code="stream_incomplete",
            )
            return
        if state.finish == "content_filter":
            yield chat_error_message("The model service's content filter stopped this reply.", code="content_filter")
            return
        results: list[ToolResultMessage] = []
        for index in sorted(state.calls):
            call = state.calls[index]
            try:
                results.append(tool_result_from_arguments(call.name, "".join(call.arguments)))
            except ToolArgumentsError as err:
                log.info("model sent a malformed %s call", err.tool)
                yield chat_error_message(f"{err}. Nothing was shown; please ask again.", code="bad_tool_call")
                return
        yield from results
        yield chat_chunk_message("", done=True)

    def _failure(self, err: Exception, *, started: bool, partial: bool) -> ChatErrorMessage:
        code, message = self._describe(err, started=started)
        if partial:
            message += " The part of the reply shown so far is incomplete and was not saved."
        log.info("model reply failed: %s (%s)", code, type(err).__name__)
        return chat_error_message(message, code=code)

    def _describe(self, err: Exception, *, started: bool) -> tuple[str, str]:
        """A code and a plain message for a failure; never the server's raw text unless redacted."""
        o = self._openai
        status = getattr(err, "status_code", None)
        if isinstance(err, o.BadRequestError | o.UnprocessableEntityError):
            detail = redact(str(getattr(err, "message", "") or ""), self._secrets())[:200]
            return "bad_request", f"The model service refused the request ({status}): {detail}"
        if isinstance(err, o.APIConnectionError) and not isinstance(err, o.APITimeoutError) and started:
            return "stream_cut", "The connection to the model service dropped in the middle of the reply."
        for name, code, template in _FAILURES:
            if isinstance(err, getattr(o, name)):
                return code, template.format(model=self.model, status=status, env=MODEL_ENV)
        return "reply_failed", f"The reply failed unexpectedly ({type(err).__name__})."


# (openai exception class, chat_error code, message), most specific first.
_FAILURES: tuple[tuple[str, str, str], ...] = (
    ("AuthenticationError", "auth_failed", "The model service rejected the API key (401). Check OPENAI_API_KEY."),
    ("PermissionDeniedError", "permission_denied", "The API key may not use the model {model!r} (403)."),
    (
        "NotFoundError",
        "not_found",
        "The model {model!r} or the endpoint was not found (404). Check {env} and OPENAI_BASE_URL.",
    ),
    (
        "RateLimitError",
        "rate_limited",
        "The model service is rate limiting requests (429). Wait a moment and ask again.",
    ),
    ("InternalServerError", "server_error", "The model service had an internal error ({status}). Try again shortly."),
    ("APIStatusError", "api_error", "The model service answered with an error (HTTP {status})."),
    ("APITimeoutError", "timeout", "The model service did not answer in time (request timed out). Try again shortly."),
    (
        "APIConnectionError",
        "connection_error",
        "Could not reach the model service. Check the network and OPENAI_BASE_URL.",
    ),
    ("APIError", "api_error", "The model service reported an error in the middle of the reply."),
    (
        "OpenAIError",
        "not_configured",
        "The model client is not configured (for example, no API key): set OPENAI_API_KEY and {env}, or pass a client.",
    ),
)
