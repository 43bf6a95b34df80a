"""Representative outbound messages, made by persona_kit's own API, as the JSON a dashboard receives.

Every built-in mode plus a custom one, over several seeds and every locale:
the ``mode_switch`` and greeting on connect and after a chat trigger, streamed
replies (also through ``handle_async``) that carry ``show_chart`` and
``show_metrics``, ``chat_error`` (direct and from a failing responder),
``chat_cleared`` and the ``error`` for bad inbound text.
Nothing here is written by hand: each message is a model serialised exactly as
the WebSocket sends it (``model_dump_json``).

    python scripts/dashboard_messages.py [--out messages.json]

scripts/typecheck_dashboard.py type-checks these against each dashboard version.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from persona_kit.ai import SimulatorResponder
from persona_kit.conversation import SessionView
from persona_kit.engine.seeds import Seed
from persona_kit.generate import generate_persona
from persona_kit.models.modes import Mode
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.protocol import OUTBOUND_TYPES, OutboundMessage, chat_error_message, mode_switch_message
from persona_kit.session import Session
from persona_kit.triggers import custom_mode

CUSTOM_INDUSTRY = "airline"

SEEDS_AND_LOCALES: tuple[tuple[Seed, str], ...] = (
    ("tc-1", "en_US"),
    (7, "de_DE"),
    ("tc-ja", "ja_JP"),
    (2024, "en_GB"),
    ("tc-fr", "fr_FR"),
)
"""Each mode is sampled at three of these, in turn, so every locale is covered by every few modes."""

SAMPLES_PER_MODE = 3

QUESTIONS = (
    "show my spending as a pie chart",
    "key metrics",
    "show my balance over time as a line chart",
    "chart my bills by month",
    "chart my loyalty points by month",
    "what's my name?",
)
"""Asked in every mode; between them each mode answers with at least one chart and one metrics panel."""

TRIGGERS = (
    "Presto-Change-O, you're an airline",
    "Presto-Change-O, you're a telco called Zing Mobile",
    "Presto-Change-O, you're a bank",
)

BAD_INBOUND = (
    '{"type":"dance"}',
    "not json",
    '{"type":"chat","payload":{}}',
    '{"type":"switch_mode","payload":{"mode_id":"casino"}}',
)


@dataclass(frozen=True)
class Sample:
    """One outbound message and how it was made."""

    name: str
    label: str  # the mode id it was made in, or what kind of scenario ("trigger", "inbound", ...)
    origin: str
    message: dict[str, Any]

    @property
    def type(self) -> str:
        """The message's ``type``."""
        return str(self.message["type"])

    @property
    def persona_kind(self) -> str | None:
        """The ``kind`` of a ``mode_switch`` message's persona; None for other messages."""
        if self.type != "mode_switch":
            return None
        return str(self.message["payload"]["persona"]["kind"])


class FailingResponder:
    """A responder whose model is down: the session turns the exception into ``chat_error``."""

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        """Fails before the first message, as an unreachable model does."""
        msg = f"model unreachable while answering {text!r} for {session.session_id}"
        raise ConnectionError(msg)


def wire(message: OutboundMessage) -> dict[str, Any]:
    """The message exactly as the WebSocket sends it."""
    data: dict[str, Any] = json.loads(message.model_dump_json())
    return data


def _modes() -> list[str | Mode]:
    return [*BUILTIN_MODE_IDS, custom_mode(CUSTOM_INDUSTRY)]


def _mode_id(mode: str | Mode) -> str:
    return mode if isinstance(mode, str) else mode.id


def _chat(text: str) -> str:
    return json.dumps({"type": "chat", "payload": {"text": text}})


async def _collect(stream: AsyncIterator[OutboundMessage]) -> list[OutboundMessage]:
    return [message async for message in stream]


Made = Iterator[tuple[str, str, OutboundMessage]]
"""(label for the name, origin, message), duplicates included."""


def _mode_samples() -> Made:
    """Each mode at a few seeds and locales: connect, every question, clear."""
    for m, mode in enumerate(_modes()):
        mode_id = _mode_id(mode)
        for k in range(SAMPLES_PER_MODE):
            seed, locale = SEEDS_AND_LOCALES[(m + k) % len(SEEDS_AND_LOCALES)]
            session = Session(f"typecheck-{seed}", seed=seed, mode=mode, locale=locale, responder=SimulatorResponder())
            where = f"Session(seed={seed!r}, mode={mode_id!r}, locale={locale!r})"
            for message in session.connect_messages():  # mode_switch, then the greeting
                yield mode_id, f"{where}.connect_messages()", message
            for question in QUESTIONS:
                for message in session.handle(_chat(question)):
                    yield mode_id, f"{where}.handle(chat {question!r})", message
            for message in session.handle('{"type":"clear_chat","payload":{}}'):
                yield mode_id, f"{where}.handle(clear_chat)", message


def _edge_samples() -> Made:
    """Chat triggers, bad inbound text, the event-loop path, direct constructors, a failing responder."""
    session = Session("typecheck-triggers", responder=SimulatorResponder())
    for text in TRIGGERS:
        for message in session.handle(_chat(text)):
            yield "trigger", f"Session('typecheck-triggers').handle(chat {text!r})", message
    for raw in BAD_INBOUND:
        for message in session.handle(raw):
            yield "inbound", f"Session('typecheck-triggers').handle({raw!r})", message

    asynchronous = Session("typecheck-async", mode="healthcare", responder=SimulatorResponder())
    for question in QUESTIONS[:2]:  # the event-loop path streams the same shapes
        for message in asyncio.run(_collect(asynchronous.handle_async(_chat(question)))):
            yield "healthcare", f"Session('typecheck-async').handle_async(chat {question!r})", message

    named = custom_mode(CUSTOM_INDUSTRY, "Skyward Air")
    persona = generate_persona(named, "typecheck-direct", locale="en_GB")
    yield (
        named.id,
        "mode_switch_message(custom_mode('airline', 'Skyward Air'), generate_persona(...))",
        (mode_switch_message(named, persona)),
    )
    yield (
        "direct",
        "chat_error_message('the model did not answer in time')",
        (chat_error_message("the model did not answer in time")),
    )
    failing = Session("typecheck-failing", mode="insurance", responder=FailingResponder())
    for message in failing.handle(_chat("what is my deductible?")):
        yield "responder", "Session(responder=FailingResponder()).handle(chat ...)", message


def dashboard_messages() -> list[Sample]:
    """Every distinct outbound message of the scenarios above, named ``<type>_<label>_<n>``.

    Raises RuntimeError when a scenario stops producing what it is here for (a
    mode without a chart, a message type never sent), so coverage cannot shrink
    silently when the simulator changes.
    """
    samples: list[Sample] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for label, origin, message in itertools.chain(_mode_samples(), _edge_samples()):
        data = wire(message)
        key = json.dumps(data, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        stem = f"{data['type']}_{label}".replace("-", "_")
        counts[stem] = counts.get(stem, 0) + 1
        samples.append(Sample(f"{stem}_{counts[stem]}", label, origin, data))
    _check_coverage(samples)
    return samples


def _check_coverage(samples: Iterable[Sample]) -> None:
    sent: dict[str, set[str]] = {}  # label -> message types, with tool names and switched-to mode ids
    for s in samples:
        what = sent.setdefault(s.label, set())
        what.add(s.type)
        if s.type == "tool_result":
            what.add(str(s.message["payload"]["tool"]))
        if s.type == "mode_switch":
            sent.setdefault(str(s.message["payload"]["mode"]["id"]), set()).add("switched")
    every = set().union(*sent.values())
    problems = [f"no {t!r} message" for t in OUTBOUND_TYPES if t not in every]
    for mode_id in map(_mode_id, _modes()):
        needed = ("switched", "show_chart", "show_metrics")
        problems += [f"mode {mode_id!r}: no {t}" for t in needed if t not in sent.get(mode_id, set())]
    if problems:
        raise RuntimeError("dashboard_messages lost coverage: " + "; ".join(problems))


def main(argv: list[str] | None = None) -> int:
    """Write the samples as a JSON list of {name, origin, message}."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = json.dumps(
        [{"name": s.name, "origin": s.origin, "message": s.message} for s in dashboard_messages()],
        ensure_ascii=False,
        indent=1,
    )
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
