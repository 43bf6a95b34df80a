"""Seeds: what a user may pass, and the stable 64-bit key it becomes."""

from __future__ import annotations

import hashlib
import numbers

from persona_kit.engine.draws import mix64_int
from persona_kit.errors import SeedError

SEED_MAX = (1 << 64) - 1
Seed = int | str


_MAX_DIGITS = len(str(SEED_MAX))


def parse_seed(seed: object) -> Seed:
    """The seed rule, the same for the API, ``Session``, the CLI and the widgets.

    - an integer 0..2**64-1 is that integer;
    - a string of ASCII digits means that integer (``"42"`` is ``42``, ``"007"`` is ``7``),
      so it too must be at most 2**64-1;
    - any other non-blank string is a text seed, used as it is (``"ws-42"``, ``"3.5"``, ``"-1"``);
    - anything else (a negative or larger integer, a float, a bool, None, bytes, a blank
      string) raises :class:`SeedError`.
    """
    if isinstance(seed, str):
        if seed.isascii() and seed.isdigit():
            digits = seed.lstrip("0") or "0"
            if len(digits) <= _MAX_DIGITS and int(digits) <= SEED_MAX:
                return int(digits)
            raise SeedError(seed, "a string of digits is a number, and this one is over 2**64-1")
        if not seed.strip():
            raise SeedError(seed, "a text seed must not be blank")
        return seed
    if isinstance(seed, bool):  # an int to Python, never meant as a seed
        raise SeedError(seed)
    if isinstance(seed, numbers.Integral) and 0 <= int(seed) <= SEED_MAX:
        return int(seed)
    raise SeedError(seed)


def seed_key(seed: object) -> int:
    """Map a user seed (see :func:`parse_seed`) to the 64-bit key every draw starts from.

    Integers are used as they are (mixed once); text seeds such as a session id are digested
    with BLAKE2b-64 over their UTF-8 bytes, a digest that is the same in every process and on
    every platform.
    """
    value = parse_seed(seed)
    if isinstance(value, str):
        digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8, person=b"persona_kit.sd").digest()
        return mix64_int(int.from_bytes(digest, "little") ^ 0x5EED_0000_0000_0001)
    return mix64_int(value)


INDEX_LIMIT = 1 << 35
"""Persona indices run from 0 to 2**35-1 (34 billion per seed): every policy, claim and
member id of every one of them is unique (see engine.ids)."""


def check_index(index: object, *, name: str = "index") -> int:
    """Validate a persona index (0..2**35-1); returns it as an int."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= int(index) < INDEX_LIMIT:
        msg = f"{name} must be an integer from 0 to 2**35-1, got {index!r}"
        raise ValueError(msg)
    return int(index)
