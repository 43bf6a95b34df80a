"""The mode catalogue: built-in modes from data/modes, custom modes from files or dicts."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
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


MAX_SHOWN_PATH = 80
MAX_MODES_FILE = 64 * 2**20
IMAGE_FIELDS = ("background_image", "hero_image", "chat_image")
MAX_IMAGE_URL = 2048
MAX_DATA_URL = 1_000_000
MAX_ICON_CHARS = 16
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]"  # RFC 3986, less the quote that could end an attribute
_HTTP_URL = re.compile(rf"https?://[A-Za-z0-9.-]+(:[0-9]{{1,5}})?([/?#]{_URL_CHARS}*)?")
_ROOT_PATH = re.compile(rf"/(?!/){_URL_CHARS}*")  # /static/hero.png; not //host, which is another site
# Raster images only: an SVG can carry script.
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/]*={0,2}")
_ICON_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
_EMOJI_PARTS = {"So", "Sk", "Mn", "Me"}
_EMOJI_JOINERS = set("\u200d0123456789#*")
IMAGE_RULE = (
    "an http(s) URL, a root-relative path such as /static/hero.png, or data:image/(png|jpeg|gif|webp|avif);base64,..."
)
ICON_RULE = (
    "an icon name such as 'credit-card' (a letter, then up to 39 letters, digits, - or _) "
    f"or one emoji (at most {MAX_ICON_CHARS} code points)"
)


def _shown(text: str, limit: int = MAX_SHOWN_PATH) -> str:
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _problems(err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"]) or "(top level)"
        out.append(f"{_shown(path)}: {e['msg']}")
    return out


def _image_ok(url: str) -> bool:
    if url.startswith("data:"):
        return len(url) <= MAX_DATA_URL and _DATA_IMAGE.fullmatch(url) is not None
    return len(url) <= MAX_IMAGE_URL and (_HTTP_URL.fullmatch(url) or _ROOT_PATH.fullmatch(url)) is not None


def _icon_ok(icon: str) -> bool:
    if _ICON_NAME.fullmatch(icon):
        return True
    if not 0 < len(icon) <= MAX_ICON_CHARS:
        return False
    categories = [unicodedata.category(ch) for ch in icon]
    return "So" in categories and all(
        ch in _EMOJI_JOINERS or (not ch.isascii() and c in _EMOJI_PARTS) for ch, c in zip(icon, categories, strict=True)
    )


def _content_problems(mode: Mode) -> list[str]:
    """What a dashboard would render unsafely, or a built-in id with another persona: rules the model leaves open."""
    out = []
    for name in IMAGE_FIELDS:
        url = getattr(mode, name)
        if url is not None and not _image_ok(url):
            out.append(f"{name}: {_shown(url)!r} is not an allowed image; use {IMAGE_RULE}")
    for i, tab in enumerate(mode.tabs):
        if not _icon_ok(tab.icon):
            out.append(f"tabs.{i}.icon: {_shown(tab.icon, 40)!r} is not an icon; use {ICON_RULE}")
    builtin = _builtin(mode.id) if mode.id in BUILTIN_MODE_IDS else None
    if builtin is not None and mode.persona_kind != builtin.persona_kind:
        out.append(
            f"persona_kind: mode {mode.id!r} replaces a built-in mode, so it must keep persona_kind "
            f"{builtin.persona_kind!r} (got {mode.persona_kind!r}); give a new industry its own id"
        )
    return out


def _validated(data: object, source: str) -> Mode:
    if not isinstance(data, Mapping):
        raise ModeFileError(source, [f"expected an object with mode fields, got {type(data).__name__}"])
    try:
        return Mode.model_validate(dict(data))
    except ValidationError as err:
        raise ModeFileError(source, _problems(err)) from None


def _checked(data: object, source: str) -> Mode:
    mode = _validated(data, source)
    problems = _content_problems(mode)
    if problems:
        raise ModeFileError(source, problems)
    return mode


def mode_from_dict(data: Mapping[str, Any], *, source: str = "<dict>") -> Mode:
    """Validate a mode definition; errors name the source and each bad field.

    Besides the model's own rules: images are http(s) URLs, root-relative paths or raster
    ``data:image/...`` URLs (never ``javascript:``), tab icons are a short name or one emoji,
    and a built-in id keeps its built-in persona_kind.
    """
    return _checked(data, source)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"duplicate key {_shown(key, 40)!r} in an object"
            raise ValueError(msg)
        out[key] = value
    return out


def _parse(text: str, suffix: str, source: str) -> Any:
    kind = suffix[1:].upper()
    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise ModeFileError(source, [f"not valid {kind}: nested too deeply (a mode is a few levels deep)"]) from None
    except ValueError as err:  # JSONDecodeError, TOMLDecodeError, duplicate keys, integers over 4,300 digits
        detail = _shown(" ".join(str(err).split()), 200)
        raise ModeFileError(source, [f"not valid {kind}: {detail}"]) from None


def _read_modes(path: str | Path, validate: Callable[[object, str], Mode]) -> list[Mode]:
    p = Path(path)
    source = str(p)
    suffix = p.suffix.lower()
    if suffix not in {".json", ".toml"}:
        raise ModeFileError(source, [f"unsupported extension {p.suffix!r}; use .json or .toml"])
    try:
        if not p.is_file():  # a folder, a FIFO or a device would fail late or never end
            why = "not a regular file" if p.exists() else "No such file or directory"
            raise ModeFileError(source, [f"cannot read file: {why}"])
        with p.open("rb") as fh:
            data = fh.read(MAX_MODES_FILE + 1)
    except OSError as err:
        raise ModeFileError(source, [f"cannot read file: {err.strerror or err}"]) from None
    if len(data) > MAX_MODES_FILE:
        raise ModeFileError(source, [f"file is over {MAX_MODES_FILE // 2**20} MiB; a mode file is a few KB per mode"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problem = f"not UTF-8 text: byte 0x{data[err.start]:02x} at offset {err.start}; save the file as UTF-8"
        raise ModeFileError(source, [problem]) from None
    raw = _parse(text, suffix, source)
    items = raw.get("modes", raw) if isinstance(raw, dict) else raw
    entries = items if isinstance(items, list) else [items]
    if not entries or entries == [{}]:
        raise ModeFileError(source, ["no modes defined"])
    modes = [validate(e, f"{source} (mode #{i + 1})") for i, e in enumerate(entries)]
    counts = Counter(m.id for m in modes)
    dupes = sorted(mode_id for mode_id, count in counts.items() if count > 1)
    if dupes:
        raise ModeFileError(source, [f"duplicate mode id(s): {', '.join(dupes)}"])
    return modes


def load_modes_file(path: str | Path) -> list[Mode]:
    """Custom modes from a JSON or TOML file (UTF-8): one mode, a list, or ``{"modes": [...]}``.

    TOML files use ``[[modes]]`` tables (or a single mode at top level). Anything
    malformed raises :class:`ModeFileError` naming the file and the problem.
    """
    return _read_modes(path, _checked)


@cache
def _builtin_modes() -> tuple[Mode, ...]:
    return tuple(_read_modes(data_dir() / "modes" / f"{mode_id}.json", _validated)[0] for mode_id in BUILTIN_MODE_IDS)


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
