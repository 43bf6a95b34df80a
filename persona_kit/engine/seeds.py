"""Seeds: what a user may pass, and the stable 64-bit key it becomes."""

from __future__ import annotations

import hashlib
import numbers

from persona_kit.engine.draws import mix64_int
from persona_kit.errors import SeedError

SEED_MAX = (1 << 64) - 1
Seed = int | str


def seed_key(seed: object) -> int:
    """Map a user seed to the 64-bit key every draw starts from.

    Integers 0..2**64-1 are used as they are (mixed once); strings such as a
    session id are digested with BLAKE2b-64 over their UTF-8 bytes, a digest
    that is the same in every process and on every platform. Anything else
    (negative numbers, floats, bools, None) is refused with a :class:`SeedError`.
    """
    if isinstance(seed, bool) or seed is None:
        raise SeedError(seed)
    if isinstance(seed, str):
        digest = hashlib.blake2b(seed.encode("utf-8"), digest_size=8, person=b"persona_kit.sd").digest()
        return mix64_int(int.from_bytes(digest, "little") ^ 0x5EED_0000_0000_0001)
    if isinstance(seed, numbers.Integral):
        value = int(seed)
        if 0 <= value <= SEED_MAX:
            return mix64_int(value)
    raise SeedError(seed)


INDEX_LIMIT = 1 << 35
"""Persona indices run from 0 to 2**35-1 (34 billion per seed): every policy, claim and
member id of every one of them is unique (see engine.ids)."""


def check_index(index: object, *, name: str = "index") -> int:
    """Validate a persona index (0..2**35-1); returns it as an int."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= int(index) < INDEX_LIMIT:
        msg = f"{name} must be an integer from 0 to 2**35-1, got {index!r}"
        raise ValueError(msg)
    return int(index)
