"""What customers call a merchant: "Harvest Lane" for Harvest Lane Foods, "Wellspring" for Wellspring Pharmacy."""

from __future__ import annotations

from functools import cache

from persona_kit.ai.reading import TARGET_WORDS, everyday_words

_JOINERS = frozenset({"&", "and", "to", "of", "the", "for"})


@cache
def _common_words() -> frozenset[str]:
    return frozenset(everyday_words()[:TARGET_WORDS])


def merchant_words(names: list[str]) -> dict[str, tuple[str, ...]]:
    """What customers call each merchant besides its full name: the name less its last word ("Harvest Lane"), and its
    first word when that is no everyday word and no other merchant's ("Wellspring")."""
    plain = [n for n in names if " - " not in n]  # "Rent - Oakwood Property Mgmt": the full name only
    firsts = [n.split()[0].casefold() for n in plain]
    words: dict[str, tuple[str, ...]] = dict.fromkeys(names, ())
    for name, first in zip(plain, firsts, strict=True):
        parts = name.split()[:-1]
        while parts and parts[-1].casefold() in _JOINERS:
            parts.pop()
        short = [" ".join(parts)] if len(parts) >= 2 else []
        if len(first) >= 6 and firsts.count(first) == 1 and first not in _common_words() and first.isalpha():
            short.append(first)
        words[name] = tuple(short)
    return words


__all__ = ["merchant_words"]
