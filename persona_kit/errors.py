"""Errors a user can meet, each saying what was wrong and what is valid."""

from __future__ import annotations

from collections.abc import Iterable

SHOWN_CHARS = 40
"""At most this much of a bad value is quoted in an error message: a value can be a 10 MB client string."""


def shown(value: object) -> str:
    """``repr(value)``, cut to its first characters (and its length said) when it is long."""
    text = repr(value)
    if len(text) <= SHOWN_CHARS:
        return text
    size = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} characters as text"
    return f"{text[:SHOWN_CHARS]}... ({size})"


class PersonaKitError(Exception):
    """Base class for every error persona_kit raises on bad input."""


class UnknownModeError(PersonaKitError, LookupError):
    """A mode id that is not in the catalogue."""

    def __init__(self, mode_id: object, known: Iterable[str]) -> None:
        self.mode_id = mode_id
        self.known = sorted(known)
        super().__init__(f"unknown mode {shown(mode_id)}; known modes: {', '.join(self.known)}")


class UnknownLocaleError(PersonaKitError, LookupError):
    """A locale persona_kit has no vocabulary for."""

    def __init__(self, locale: object, known: Iterable[str]) -> None:
        self.locale = locale
        self.known = sorted(known)
        super().__init__(f"unsupported locale {shown(locale)}; supported locales: {', '.join(self.known)}")


class SeedError(PersonaKitError, TypeError):
    """A seed that is not an integer 0..2**64-1 or a string."""

    def __init__(self, seed: object) -> None:
        self.seed = seed
        super().__init__(
            f"seed must be an integer from 0 to 2**64-1 or a string (e.g. a session id), "
            f"got {shown(seed)} of type {type(seed).__name__}"
        )


class ModeFileError(PersonaKitError, ValueError):
    """A custom mode file or dict that cannot be loaded; names the file and the field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        detail = "; ".join(problems)
        super().__init__(f"invalid mode definition in {source}: {detail}")
