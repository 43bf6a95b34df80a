"""``persona-kit serve``: an ASGI backend the unmodified reference dashboards run on.

Endpoints (the ones the dashboard builds call; they look for ``127.0.0.1:8000``):

- ``/ws``: one isolated :class:`~persona_kit.session.Session` per connection, seeded by the
  server seed so presenters get the same customer every time; it gets the ``mode_switch`` and a
  greeting on connect, then every reply streams as it is produced (async all the way);
- ``GET /api/state``: the starting mode and its persona, as the latest build reads them;
- ``POST /api/tab-content``: deterministic charts for a dashboard tab, from the persona;
- ``GET``/``POST /api/voice-preference`` and ``/voice``: quiet answers (no voice here);
- ``/``: a dashboard build (``--static DIR``), else a small status document.

Bad input never takes the server down: binary frames, invalid JSON and oversized messages get an
``error`` reply, a client that leaves mid-reply ends only its own reply (noticed at the reply's next
frame; a reply waiting on a slow model holds its connection until then, ``reply_seconds`` at most),
and every connection logs one line when it closes (never a key or a message's text). Frames are
answered one at a time per connection: a ``clear_chat`` sent during a reply is handled after it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from persona_kit.ai.simulator import SimulatorResponder
from persona_kit.conversation import Responder
from persona_kit.engine.seeds import Seed, seed_key
from persona_kit.generate import DEFAULT_LOCALE, generate_persona
from persona_kit.industries import industry_of
from persona_kit.modes import DEFAULT_MODE, ModeCatalogue
from persona_kit.protocol import MAX_MESSAGE_BYTES, error_message, wire_mode
from persona_kit.session import Session

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.websockets import WebSocket

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_SEED: Seed = "presto"
"""The server seed when none is given: every connection meets the same customers."""
MAX_FRAME_BYTES = 4 * MAX_MESSAGE_BYTES
"""Frames above this are closed by the server (1009); smaller ones above 64 KiB get an ``error`` reply."""
MAX_CONNECTIONS = 512

log = logging.getLogger("persona_kit.serve")

# A question per kind of tab: the simulator's answer to it is the tab's content.
_TAB_QUESTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("transaction", "spend", "insight", "budget"), "show my spending by category as a chart"),
    (("account", "balance", "saving", "checking"), "chart my balances"),
    (("credit", "card", "loan"), "chart my credit"),
    (("polic", "coverage", "cover"), "chart my coverage by policy"),
    (("claim",), "chart my claims"),
    (("billing", "premium", "payment", "bill"), "chart my bills and premiums"),
    (("risk", "score"), "chart my score"),
    (("appointment", "visit", "calendar"), "chart my out-of-pocket spending this year"),
    (("prescription", "pharmacy", "medication", "refill"), "chart my refills"),
    (("usage", "data"), "chart my data usage"),
    (("cost", "deductible", "plan"), "chart my deductible"),
    (("device", "phone"), "chart my devices"),
    (("support", "ticket", "help"), "chart my tickets"),
    (("reward", "point", "loyal"), "chart my points"),
    (("activity", "overview", "summary"), "chart my account value"),
)


def _require_serve_extra() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        msg = "persona-kit serve needs the 'serve' extra: pip install 'persona-kit[serve]'"
        raise ImportError(msg) from err


@dataclass
class ServerConfig:
    """What every connection of one server shares: the seed, the modes, the locale, the responder."""

    seed: Seed = DEFAULT_SEED
    modes: ModeCatalogue = field(default_factory=ModeCatalogue)
    mode: str = DEFAULT_MODE
    locale: str = DEFAULT_LOCALE
    greeting: bool = True
    responder: Callable[[], Responder] | None = None
    """Makes one connection's responder (default: the environment's, see ``responder_from_env``)."""
    static: Path | None = None
    reply_seconds: float = 120.0

    def __post_init__(self) -> None:
        seed_key(self.seed)
        self.modes.get(self.mode)
        if self.static is not None and not (self.static / "index.html").is_file():
            msg = f"--static {self.static}: no index.html there; give a dashboard build folder (frontend/dist)"
            raise ValueError(msg)

    def session(self, session_id: str, *, responder: Responder | None = None) -> Session:
        """A new connection's session (with ``responder``, else the configured one)."""
        if responder is None and self.responder is not None:
            responder = self.responder()
        return Session(
            session_id,
            seed=self.seed,
            mode=self.mode,
            modes=self.modes,
            locale=self.locale,
            responder=responder,
            greeting=self.greeting,
            reply_seconds=self.reply_seconds,
        )


@dataclass
class _Live:
    """The server's running state: connection ids and the custom modes connections created."""

    ids: count[int] = field(default_factory=lambda: count(1))
    sessions: dict[str, Session] = field(default_factory=dict)


def tab_content(config: ServerConfig, body: Mapping[str, Any], live: Mapping[str, Session] = {}) -> dict[str, Any]:
    """The ``/api/tab-content`` answer: charts for a tab, deterministic for (mode, tab, server seed)."""
    from persona_kit.ai import simulate_reply

    mode_id, label, tab_id = (str(body.get(k, ""))[:200] for k in ("mode_id", "tab_label", "tab_id"))
    catalogues = [config.modes, *(s.modes for s in live.values())]
    mode = next((c.get(mode_id) for c in catalogues if mode_id in c), None)
    if mode is None:
        return {"tool_results": [], "error": f"unknown mode {mode_id[:40]!r}"}
    persona = generate_persona(mode, config.seed, locale=config.locale, modes=ModeCatalogue([mode]))
    words = f"{tab_id} {label}".casefold()
    default = "show my key numbers as a chart"
    question = next((q for keys, q in _TAB_QUESTIONS if any(k in words for k in keys)), default)
    # The tab's own chart, else the industry's first chart this persona has data for.
    questions = [question, "chart", *(f"show my {c.title.casefold()} as a chart" for c in industry_of(persona).charts)]
    for text in questions:
        charts = [t for t in simulate_reply(mode, persona, [], text).tools if t.payload.tool == "show_chart"]
        if charts:
            return {"tool_results": [t.payload.model_dump(mode="json") for t in charts]}
    return {"tool_results": []}


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The ASGI application (Starlette), ready for uvicorn or any ASGI server."""
    _require_serve_extra()
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    cfg = config or ServerConfig()
    if cfg.responder is not None:
        cfg.responder()  # a responder that cannot be built (a model without the ai extra) fails now, not per connection
    live = _Live()

    async def state(request: Request) -> Response:
        session = cfg.session("api-state", responder=SimulatorResponder())  # no reply here: no model needed
        return JSONResponse(
            {
                "mode": wire_mode(session.mode, session.persona).model_dump(mode="json", by_alias=True),
                "persona": session.persona.model_dump(mode="json"),
                "voice_preference": "none",
            }
        )

    async def tabs(request: Request) -> Response:
        try:
            body = json.loads((await request.body())[:MAX_MESSAGE_BYTES] or b"{}")
        except (ValueError, UnicodeDecodeError):
            problem = "the body must be JSON: {tab_id, tab_label, mode_id}"
            return JSONResponse({"tool_results": [], "error": problem}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"tool_results": [], "error": "the body must be a JSON object"}, 400)
        return JSONResponse(tab_content(cfg, body, live.sessions))

    async def voice(request: Request) -> Response:
        if request.method == "POST":
            return JSONResponse({"status": "error", "message": "voice is not available in persona-kit serve"})
        return JSONResponse({"voice": "none", "available": []})

    async def status(request: Request) -> Response:
        return JSONResponse({"status": "ok", "service": "persona-kit", "websocket": "/ws"})

    async def voice_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close(code=1008, reason="voice is not available in persona-kit serve")

    async def chat_socket(websocket: WebSocket) -> None:
        await websocket.accept()  # accepted first, so a refusal reaches the client as a close code, not HTTP 403
        if len(live.sessions) >= MAX_CONNECTIONS:
            await websocket.close(code=1013, reason="too many connections; try again later")
            return
        session_id = f"ws-{next(live.ids)}"
        try:
            session = cfg.session(session_id)
        except Exception as err:
            log.warning("%s refused: the responder could not be built (%s)", session_id, type(err).__name__)
            await websocket.close(code=1011, reason="the server's responder could not be built; see its log")
            return
        live.sessions[session_id] = session
        await _serve_connection(websocket, session, live)

    routes: list[Any] = [
        WebSocketRoute("/ws", chat_socket),
        WebSocketRoute("/voice", voice_socket),
        Route("/api/state", state),
        Route("/api/tab-content", tabs, methods=["POST"]),
        Route("/api/voice-preference", voice, methods=["GET", "POST"]),
    ]
    if cfg.static is not None:
        routes.append(Mount("/", StaticFiles(directory=cfg.static, html=True)))
    else:
        routes.append(Route("/", status))
    # The builds call http://localhost:8000 from wherever they are served: allow any origin (loopback server).
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])]
    return Starlette(routes=routes, middleware=middleware)


async def _serve_connection(websocket: WebSocket, session: Session, live: _Live) -> None:
    """One connection: greet, then answer each frame in order; log one line when it ends."""
    from starlette.websockets import WebSocketDisconnect

    started, frames, how = time.monotonic(), 0, "closed by the client"
    try:
        for message in session.connect_messages():
            await websocket.send_text(message.model_dump_json())
        while True:
            event = await websocket.receive()
            if event["type"] == "websocket.disconnect":
                break
            frames += 1
            if event.get("text") is not None:
                raw: str | bytes = event["text"]
            else:
                await websocket.send_text(
                    error_message("invalid_message", "binary frames are not accepted; send JSON text").model_dump_json()
                )
                continue
            async with aclosing(session.handle_async(raw)) as replies:  # a client that leaves ends the reply
                async for out in replies:
                    await websocket.send_text(out.model_dump_json())
    except WebSocketDisconnect:
        how = "closed by the client"
    except Exception as err:
        how = f"ended by {type(err).__name__}"
    finally:
        live.sessions.pop(session.session_id, None)
        log.info(
            "%s %s after %d frame(s) in %.1f s (mode %s)",
            session.session_id,
            how,
            frames,
            time.monotonic() - started,
            session.mode.id,
        )


def run(config: ServerConfig, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until Ctrl-C (uvicorn), logging one line per connection."""
    _require_serve_extra()
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config)
    log.info("persona-kit serve on http://%s:%d (websocket /ws, seed %r)", host, port, config.seed)
    uvicorn.run(app, host=host, port=port, ws_max_size=MAX_FRAME_BYTES, log_level="warning", access_log=False)
    log.info("persona-kit serve stopped")


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_SEED", "ServerConfig", "create_app", "run", "tab_content"]
