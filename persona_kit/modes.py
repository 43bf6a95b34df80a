"""The mode catalogue: built-in modes from data/modes, custom modes from files or dicts."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from persona_kit.data import data_dir
from persona_kit.errors import ModeFileError, UnknownModeError
from persona_kit.industries import builtin_mode_ids
from persona_kit.models.modes import Mode
from persona_kit.models.persona import PersonaBase

BUILTIN_MODE_IDS = builtin_mode_ids()
DEFAULT_MODE = BUILTIN_MODE_IDS[0]
"""The mode a session or a widget starts in unless told otherwise (the first registered industry's)."""


def _problems(err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"]) or "(top level)"
        out.append(f"{path}: {e['msg']}")
    return out


def mode_from_dict(data: Mapping[str, Any], *, source: str = "<dict>") -> Mode:
    """Validate a mode definition; errors name the source and each bad field."""
    if not isinstance(data, Mapping):
        raise ModeFileError(source, [f"expected an object with mode fields, got {type(data).__name__}"])
    try:
        return Mode.model_validate(dict(data))
    except ValidationError as err:
        raise ModeFileError(source, _problems(err)) from None


def load_modes_file(path: str | Path) -> list[Mode]:
    """Custom modes from a JSON or TOML file: one mode, a list, or ``{"modes": [...]}``.

    TOML files use ``[[modes]]`` tables (or a single mode at top level).
    """
    p = Path(path)
    source = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise ModeFileError(source, [f"cannot read file: {err.strerror or err}"]) from None
    try:
        if p.suffix.lower() == ".toml":
            raw: Any = tomllib.loads(text)
        elif p.suffix.lower() == ".json":
            raw = json.loads(text)
        else:
            raise ModeFileError(source, [f"unsupported extension {p.suffix!r}; use .json or .toml"])
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        raise ModeFileError(source, [f"not valid {p.suffix[1:].upper()}: {err}"]) from None
    items = raw.get("modes", raw) if isinstance(raw, dict) else raw
    entries = items if isinstance(items, list) else [items]
    if not entries:
        raise ModeFileError(source, ["no modes defined"])
    modes = [mode_from_dict(e, source=f"{source} (mode #{i + 1})") for i, e in enumerate(entries)]
    dupes = sorted(mode_id for mode_id, n in Counter(m.id for m in modes).items() if n > 1)
    if dupes:
        raise ModeFileError(source, [f"duplicate mode id(s): {', '.join(dupes)}"])
    return modes


@cache
def _builtin_modes() -> tuple[Mode, ...]:
    return tuple(load_modes_file(data_dir() / "modes" / f"{mode_id}.json")[0] for mode_id in BUILTIN_MODE_IDS)


def builtin_modes() -> dict[str, Mode]:
    """The built-in modes, read once from data/modes (a fresh dict: yours to change)."""
    return {mode.id: mode for mode in _builtin_modes()}


def _builtin(mode_id: str) -> Mode:
    return next(m for m in _builtin_modes() if m.id == mode_id)


class ModeCatalogue:
    """Built-in modes plus any custom ones; the lookup every entry point goes through.

    A catalogue is a plain value owned by its caller (a session, a notebook):
    there is no module-level registry to share between users.
    """

    def __init__(self, custom: Iterable[Mode] = ()) -> None:
        self._modes: dict[str, Mode] = builtin_modes()
        for mode in custom:
            builtin = self._modes.get(mode.id) if mode.id in BUILTIN_MODE_IDS else None
            if builtin is not None and mode.persona_kind != builtin.persona_kind:
                msg = (
                    f"mode {mode.id!r} replaces a built-in mode, so it must keep persona_kind "
                    f"{builtin.persona_kind!r} (got {mode.persona_kind!r}); give a new industry its own id"
                )
                raise ValueError(msg)
            self._modes[mode.id] = mode

    def __contains__(self, mode_id: object) -> bool:
        return mode_id in self._modes

    def __iter__(self) -> Any:
        return iter(self._modes.values())

    def __len__(self) -> int:
        return len(self._modes)

    @property
    def ids(self) -> list[str]:
        """Known mode ids, built-ins first."""
        return list(self._modes)

    def get(self, mode_id: object) -> Mode:
        """The mode with this id; an unknown id lists the known ones."""
        if isinstance(mode_id, Mode):
            return mode_id
        if not isinstance(mode_id, str) or mode_id not in self._modes:
            raise UnknownModeError(mode_id, self._modes)
        return self._modes[mode_id]

    def _custom(self) -> dict[str, Mode]:
        """The modes a plain catalogue does not have: custom ones, and rebranded built-ins."""
        return {m.id: m for m in self._modes.values() if m.id not in BUILTIN_MODE_IDS or m != _builtin(m.id)}

    def with_modes(self, *modes: Mode) -> ModeCatalogue:
        """A new catalogue with ``modes`` added (replacing any with the same id); rebrands are kept."""
        current = self._custom()
        current.update({m.id: m for m in modes})
        return ModeCatalogue(current.values())

    def without(self, *mode_ids: str) -> ModeCatalogue:
        """A new catalogue without the custom modes ``mode_ids`` (a built-in id goes back to the built-in mode)."""
        drop = set(mode_ids)
        return ModeCatalogue(m for m in self._custom().values() if m.id not in drop)


def check_mode_persona(mode: Mode, persona: PersonaBase) -> None:
    """Refuse a persona of another kind than the mode uses (a banking persona for a clinic)."""
    kind = getattr(persona, "kind", None)
    if kind != mode.persona_kind:
        msg = (
            f"mode {mode.id!r} uses {mode.persona_kind} personas, got a {kind or type(persona).__name__} persona; "
            f"generate it with generate_persona({mode.id!r}, seed) or the mode itself"
        )
        raise ValueError(msg)


def get_mode(mode_id: str | Mode, modes: ModeCatalogue | None = None) -> Mode:
    """Look a mode up in ``modes`` (default: the built-ins)."""
    return (modes or ModeCatalogue()).get(mode_id)
