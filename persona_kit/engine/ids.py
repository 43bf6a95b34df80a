"""Identifiers that look random but can never collide within a population.

A 4-round Feistel network keyed by the seed is a bijection on 40-bit
integers, so distinct (persona index, slot) pairs always map to distinct ids:
policy numbers, claim ids and member ids are unique by construction, with no
lookup table and no dependence on which other personas were generated.
"""

from __future__ import annotations

import numpy as np

from persona_kit.engine.draws import U64, mix64, name_key
from persona_kit.engine.seeds import INDEX_LIMIT

_HALF_BITS = 20
_HALF_MASK = np.uint64((1 << _HALF_BITS) - 1)
ID_BITS = 2 * _HALF_BITS
ID_SPACE = 1 << ID_BITS


def permute40(values: U64, seed_key: int, domain: str) -> U64:
    """A keyed bijection on [0, 2**40); ``values`` must lie in that range."""
    left = (values >> np.uint64(_HALF_BITS)) & _HALF_MASK
    right = values & _HALF_MASK
    base = seed_key ^ name_key(domain)
    for round_no in range(4):
        round_key = np.uint64((base + round_no * 0x9E3779B97F4A7C15) & ((1 << 64) - 1))
        f = mix64(right ^ round_key) & _HALF_MASK
        left, right = right, left ^ f
    return (left << np.uint64(_HALF_BITS)) | right


def unique_ids(index: U64, slot: U64 | int, slots_per_persona: int, seed_key: int, domain: str) -> U64:
    """Unique 40-bit ids for (persona index, slot) pairs.

    ``index * slots_per_persona + slot`` must stay below 2**40: with indices below
    2**35 (engine.seeds.INDEX_LIMIT) that allows 32 slots per persona.
    """
    if slots_per_persona > ID_SPACE // INDEX_LIMIT:
        msg = f"{slots_per_persona} slots per persona overflow the 40-bit id space"
        raise ValueError(msg)
    counter = index * np.uint64(slots_per_persona) + np.asarray(slot, dtype=np.uint64)
    return permute40(counter, seed_key, domain)
