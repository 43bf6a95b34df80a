"""Errors a user can meet, each saying what was wrong and what is valid."""

from __future__ import annotations

from collections.abc import Iterable


class PersonaKitError(Exception):
    """Base class for every error persona_kit raises on bad input."""


class UnknownModeError(PersonaKitError, LookupError):
    """A mode id that is not in the catalogue."""

    def __init__(self, mode_id: object, known: Iterable[str]) -> None:
        self.mode_id = mode_id
        self.known = sorted(known)
        super().__init__(f"unknown mode {mode_id!r}; known modes: {', '.join(self.known)}")


class UnknownLocaleError(PersonaKitError, LookupError):
    """A locale persona_kit has no vocabulary for."""

    def __init__(self, locale: object, known: Iterable[str]) -> None:
        self.locale = locale
        self.known = sorted(known)
        super().__init__(f"unsupported locale {locale!r}; supported locales: {', '.join(self.known)}")


def _shown(value: object, limit: int = 80) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int over 4,300 digits has no repr
        text = f"<an integer of {value.bit_length() if isinstance(value, int) else '?'} bits>"
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class SeedError(PersonaKitError, TypeError, ValueError):
    """A seed that breaks the seed rule (:func:`persona_kit.engine.seeds.parse_seed`); a TypeError and a ValueError."""

    RULE = (
        "seed must be an integer from 0 to 2**64-1, a string of ASCII digits (that integer) "
        "or any other non-blank text such as a session id"
    )

    def __init__(self, seed: object, why: str = "") -> None:
        self.seed = seed
        reason = f": {why}" if why else ""
        super().__init__(f"{self.RULE}; got {_shown(seed)} of type {type(seed).__name__}{reason}")


class ModeFileError(PersonaKitError, ValueError):
    """A custom mode file or dict that cannot be loaded; names the file and the field."""

    MAX_SHOWN = 10

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = _printable(source)
        self.problems = [_printable(problem) for problem in problems]
        detail = "; ".join(self.problems[: self.MAX_SHOWN])
        if len(problems) > self.MAX_SHOWN:
            detail += f"; and {len(problems) - self.MAX_SHOWN:,} more"
        super().__init__(f"invalid mode definition in {self.source}: {detail}")


def _printable(text: str) -> str:
    """Control and other unprintable characters escaped, so a message stays one readable line."""
    return text if text.isprintable() else "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
