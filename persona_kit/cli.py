"""The ``persona-kit`` command: persona cards, prompts, wire payloads, modes, the schema, population exports.

Errors go to stderr as one line naming the bad argument: exit status 2 for a
bad argument (an existing output without ``--force`` included), 1 for a
failure while running (a full disk, a missing optional dependency), 130 for
Ctrl-C (143 for SIGTERM). ``generate`` writes under hidden ``.partial`` names and renames when
complete, so a stopped run never leaves a file that looks finished.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from persona_kit._version import __version__
from persona_kit.engine.seeds import INDEX_LIMIT, Seed, check_index, parse_seed
from persona_kit.errors import ModeFileError, PersonaKitError, SeedError, UnknownModeError
from persona_kit.export import (
    DEFAULT_CHUNK,
    FORMATS,
    BadArgumentError,
    CommandError,
    Progress,
    write_population,
)
from persona_kit.facts import Section, persona_sections
from persona_kit.generate import (
    AS_OF_RANGE,
    DEFAULT_AS_OF,
    DEFAULT_LOCALE,
    MAX_POPULATION,
    Persona,
    check_as_of,
    generate_persona,
)
from persona_kit.models.modes import Mode
from persona_kit.modes import BUILTIN_MODE_IDS, ModeCatalogue, load_modes_file
from persona_kit.parallel import MAX_WORKERS, forking_allowed
from persona_kit.prompt import build_system_prompt, prompt_size
from persona_kit.protocol import mode_switch_message, protocol_json_schema_text


class CommandInterruptedError(CommandError):
    """Ctrl-C (exit status 130) or SIGTERM (143)."""

    def __init__(self, message: str, status: int = 130) -> None:
        super().__init__(message)
        self.status = status


class _Terminated(BaseException):
    """SIGTERM, raised inside the export so that its partial files are removed as for Ctrl-C."""


def _raise_terminated(signum: int, frame: object) -> NoReturn:
    raise _Terminated


# --- argument types -----------------------------------------------------------------


def _seed(text: str) -> Seed:
    """A seed by the one seed rule (:func:`persona_kit.engine.seeds.parse_seed`)."""
    try:
        return parse_seed(text)
    except SeedError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _output(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        ext = path.suffix or "(none)"
        msg = f"unsupported extension {ext!r} in {text}; use one of: {', '.join(FORMATS)}"
        raise argparse.ArgumentTypeError(msg)
    return path


def _index(text: str) -> int:
    try:
        return check_index(int(text) if re.fullmatch(r"[0-9]{1,12}", text) else None)
    except ValueError:
        msg = f"must be an integer from 0 to 2**35-1, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _count(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,12}", text) or int(text) > MAX_POPULATION:
        msg = f"must be an integer from 0 to 2**35, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _chunk(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,12}", text) or not 1 <= int(text) <= MAX_POPULATION:
        msg = f"must be an integer from 1 to 2**35, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _workers(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_WORKERS:
        msg = f"must be an integer from 1 to {MAX_WORKERS} (processes to use), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _locale(text: str) -> str:
    from persona_kit import supported_locales

    if text not in supported_locales():
        msg = f"unsupported locale {text!r}; supported locales: {', '.join(supported_locales())}"
        raise argparse.ArgumentTypeError(msg)
    return text


def _date(text: str) -> dt.date:
    low, high = AS_OF_RANGE
    try:
        return check_as_of(dt.date.fromisoformat(text))  # the one as_of check the API and sessions use
    except ValueError:
        msg = f"must be a date as YYYY-MM-DD from {low} to {high}, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


MAX_INDENT = 16


def _indent(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > MAX_INDENT:
        msg = f"must be an integer from 0 to {MAX_INDENT}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


# --- output helpers -------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _card_section(section: Section) -> list[str]:
    out = [section.title]
    if section.lines:
        label_width = max(_width(fact.label) for fact in section.lines)
        out += [f"  {_pad(fact.label, label_width)}  {fact.text}" for fact in section.lines]
    if section.rows:
        header = [fact.label for fact in section.rows[0]]
        cells = [[fact.text for fact in row] for row in section.rows]
        widths = [max(_width(c) for c in column) for column in zip(header, *cells, strict=True)]
        out += [
            "  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *cells]
        ]
    elif not section.lines:
        out.append(f"  {section.empty}")
    return out


def persona_card(mode: Mode, persona: Persona) -> str:
    """A persona as a readable terminal card."""
    lines = [f"{persona.name} · {mode.name} · {mode.company_name}", ""]
    for section in persona_sections(persona):
        lines += [*_card_section(section), ""]
    return "\n".join(lines).rstrip() + "\n"


# --- commands -------------------------------------------------------------------------


def _persona(args: argparse.Namespace) -> tuple[Mode, Persona]:
    mode: Mode = args.mode
    persona = generate_persona(
        mode, args.seed, index=args.index, locale=args.locale, as_of=args.as_of, modes=args.modes
    )
    return mode, persona


def _show(args: argparse.Namespace, out: TextIO) -> None:
    mode, persona = _persona(args)
    out.write(persona.model_dump_json(indent=2) + "\n" if args.json else persona_card(mode, persona))


def _prompt(args: argparse.Namespace, out: TextIO) -> None:
    prompt = build_system_prompt(*_persona(args))
    out.write(f"{prompt_size(prompt)}\n" if args.size else prompt)


def _payload(args: argparse.Namespace, out: TextIO) -> None:
    message = mode_switch_message(*_persona(args))
    out.write(message.model_dump_json(indent=args.indent) + "\n")


def _modes(args: argparse.Namespace, out: TextIO) -> None:
    catalogue: ModeCatalogue = args.modes
    if args.json:
        rows = [m.model_dump(mode="json", exclude={"system_prompt"}) for m in catalogue]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    table = [("ID", "NAME", "COMPANY", "PERSONA")] + [(m.id, m.name, m.company_name, m.persona_kind) for m in catalogue]
    widths = [max(_width(row[i]) for row in table) for i in range(4)]
    for row in table:
        out.write("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _schema(args: argparse.Namespace, out: TextIO) -> None:
    out.write(protocol_json_schema_text())


def _generate(args: argparse.Namespace, out: TextIO) -> None:
    progress = Progress(args.n, f"{args.mode.id} personas", sys.stderr, enabled=not args.quiet)
    on_main = threading.current_thread() is threading.main_thread()  # only there can a handler be set
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if on_main else None
    try:
        with forking_allowed():  # this process runs no other thread: its workers may be forks of it
            paths = write_population(
                args.mode,
                args.n,
                args.seed,
                Path(args.output),
                start=args.start,
                locale=args.locale,
                as_of=args.as_of,
                chunk_size=args.chunk_size,
                modes=args.modes,
                progress=progress,
                force=args.force,
                workers=args.workers,
            )
    except (KeyboardInterrupt, _Terminated) as stop:
        what, status = ("terminated", 143) if isinstance(stop, _Terminated) else ("interrupted", 130)
        msg = f"{what}; nothing was written to {args.output} (the partial files were removed)"
        raise CommandInterruptedError(msg, status) from None
    except OSError as err:
        msg = f"cannot write {args.output}: {err.strerror or err}; nothing was written (the partial files were removed)"
        raise CommandError(msg) from None
    finally:
        progress.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    for path in paths:
        out.write(f"{path}\n")


# --- parser ---------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr; the usage is one ``--help`` away."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``persona-kit`` argument parser."""
    parser = _Parser(prog="persona-kit", description="Deterministic synthetic customer personas for AI chat demos.")
    parser.add_argument("--version", action="version", version=f"persona-kit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    catalogue = _Parser(add_help=False)
    catalogue.add_argument("--modes-file", metavar="FILE", help="custom modes (JSON or TOML) added to the built-ins")

    persona = _Parser(add_help=False, parents=[catalogue])
    persona.add_argument("mode", metavar="MODE", help=f"mode id: {', '.join(BUILTIN_MODE_IDS)} or a custom one")
    persona.add_argument(
        "--seed", type=_seed, required=True, help="digits: an integer 0..2**64-1; other text: a text seed"
    )
    persona.add_argument("--locale", type=_locale, default=DEFAULT_LOCALE, help=f"default {DEFAULT_LOCALE}")
    persona.add_argument("--as-of", type=_date, default=DEFAULT_AS_OF, help=f"YYYY-MM-DD, default {DEFAULT_AS_OF}")

    single = _Parser(add_help=False, parents=[persona])
    single.add_argument("--index", type=_index, default=0, help="which persona of the seed (default 0)")

    show = commands.add_parser("show", parents=[single], help="a persona as a readable card, or its wire JSON")
    show.add_argument("--json", action="store_true", help="the persona's wire JSON instead of a card")
    show.set_defaults(run=_show)
    prompt = commands.add_parser("prompt", parents=[single], help="the system prompt for a mode and persona")
    prompt.add_argument("--size", action="store_true", help="print the size (characters, estimated tokens) only")
    prompt.set_defaults(run=_prompt)
    payload = commands.add_parser("payload", parents=[single], help="the exact mode_switch message")
    payload.add_argument("--indent", type=_indent, default=None, help=f"pretty-print, this indent (0..{MAX_INDENT})")
    payload.set_defaults(run=_payload)
    modes = commands.add_parser("modes", parents=[catalogue], help="list the modes")
    modes.add_argument("--json", action="store_true", help="as JSON (without system prompts)")
    modes.set_defaults(run=_modes)
    schema = commands.add_parser("schema", help="JSON Schema of every wire message")
    schema.set_defaults(run=_schema)

    generate = commands.add_parser(
        "generate", parents=[persona], help="a population as CSV, JSON Lines or a Parquet dataset, in chunks"
    )
    generate.add_argument("-n", type=_count, required=True, help="number of personas")
    generate.add_argument(
        "-o",
        "--output",
        type=_output,
        required=True,
        metavar="FILE",
        help=f"output, by extension: {', '.join(FORMATS)}",
    )
    generate.add_argument("--start", type=_index, default=0, help="first persona index (default 0)")
    generate.add_argument(
        "--chunk-size", type=_chunk, default=DEFAULT_CHUNK, help=f"personas per chunk ({DEFAULT_CHUNK:,})"
    )
    generate.add_argument(
        "--workers", type=_workers, default=1, help="processes making chunks (default 1); same output for any number"
    )
    generate.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    generate.add_argument(
        "--force", action="store_true", help="replace an existing output (Parquet: only a folder persona-kit wrote)"
    )
    generate.set_defaults(run=_generate)

    serve = commands.add_parser(
        "serve", parents=[catalogue], help="a backend for the chat dashboard: /ws, /api/state, /api/tab-content"
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1, where the builds look)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--seed", type=_seed, default="presto", help="server seed: the same customers every time")
    serve.add_argument(
        "--mode", dest="start_mode", default=None, help="the mode connections start in (default: the first built-in)"
    )
    serve.add_argument("--locale", type=_locale, default=DEFAULT_LOCALE, help=f"default {DEFAULT_LOCALE}")
    serve.add_argument("--delay", type=_delay, default=0.04, help="seconds between streamed words (default 0.04)")
    serve.add_argument("--static", type=_static, default=None, metavar="DIR", help="serve a dashboard build at /")
    serve.add_argument("--no-greeting", action="store_true", help="no greeting reply after a mode switch")
    serve.set_defaults(run=_serve)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        msg = f"must be a port number 1..65535, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:
        msg = f"must be seconds from 0 to 10, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _static(text: str) -> Path:
    path = Path(text)
    if not (path / "index.html").is_file():
        msg = f"no index.html in {text!r}; give a dashboard build folder such as frontend/dist"
        raise argparse.ArgumentTypeError(msg)
    return path


def _serve(args: argparse.Namespace, out: TextIO) -> None:
    try:
        from persona_kit.serve import ServerConfig, run
    except ImportError as err:
        raise CommandError(str(err)) from None
    from persona_kit.ai.environment import responder_from_env
    from persona_kit.ai.openai_responder import MODEL_ENV
    from persona_kit.ai.simulator import SimulatorResponder

    def responder() -> Any:
        # The model switch works as everywhere: PERSONA_KIT_MODEL set means a real model, else the simulator.
        return responder_from_env() if os.environ.get(MODEL_ENV) else SimulatorResponder(delay=args.delay)

    mode = args.start_mode or args.modes.ids[0]
    if mode not in args.modes:
        raise CommandError(f"--mode {mode!r} is not a mode; modes: {', '.join(args.modes.ids)}")
    config = ServerConfig(
        seed=args.seed,
        modes=args.modes,
        mode=mode,
        locale=args.locale,
        greeting=not args.no_greeting,
        responder=responder,
        static=args.static,
    )
    try:
        run(config, host=args.host, port=args.port)
    except ImportError as err:  # PERSONA_KIT_MODEL set without the ai extra: say so at start, in one line
        raise CommandError(str(err)) from None


def _resolve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Load the catalogue and look the mode up; errors name the argument."""
    if not hasattr(args, "modes_file"):
        return
    try:
        custom = load_modes_file(args.modes_file) if args.modes_file else []
    except ModeFileError as err:
        parser.error(f"argument --modes-file: {err}")
    args.modes = ModeCatalogue(custom)
    if hasattr(args, "mode"):
        try:
            args.mode = args.modes.get(args.mode)
        except UnknownModeError as err:
            parser.error(f"argument MODE: {err}")
    if getattr(args, "n", 0) and args.start + args.n > INDEX_LIMIT:
        limit = "start + n must be at most 2**35 (persona indices run 0..2**35-1)"
        parser.error(f"argument --start: {limit}, got {args.start} + {args.n}")


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run ``persona-kit``; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _resolve(parser, args)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    run: Callable[[argparse.Namespace, TextIO], Any] = args.run
    try:
        run(args, stdout or sys.stdout)
    except (CommandInterruptedError, KeyboardInterrupt) as err:
        sys.stderr.write(f"persona-kit: {err or 'interrupted'}\n")
        return err.status if isinstance(err, CommandInterruptedError) else 130
    except (CommandError, PersonaKitError) as err:
        sys.stderr.write(f"persona-kit: error: {err}\n")
        return 2 if isinstance(err, BadArgumentError) else 1
    except BrokenPipeError:  # `persona-kit schema | head`
        sys.stderr.close()
        return 0
    return 0


def entry() -> NoReturn:
    """The ``persona-kit`` command: :func:`main`, then a quick exit.

    Once the command is done and the only thread left, its output is flushed and the ``atexit``
    handlers run as at any exit; only the interpreter's own teardown is skipped (freeing every
    module and object one by one: about 0.7 s of a large export's run once pandas, pyarrow and
    Numba are loaded, and nothing it does is visible outside the process). A caller of
    :func:`main` keeps the usual exit.
    """
    import atexit
    import threading

    code = main()
    if threading.active_count() > 1:  # a thread still running: let the interpreter wait for it as usual
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`persona-kit schema | head`) or stream
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
