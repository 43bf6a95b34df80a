"""The customer's pick after a clarifying question: "the first one", "savings", "both".

A clarifying reply (:attr:`Reply.offers`) offers questions in the order it named them. The next message picks one
by position (the shared ordinals, or a digit), by the words it shares with exactly one offer, or all of them
("both"); a message that does none of these is read as a question of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from persona_kit.ai.examples import content_words
from persona_kit.ai.intents import normalise
from persona_kit.ai.rules import shared_rules

MAX_WORDS = 6
"""A pick is short ("the checking one please"); a longer message is a new question."""


def asked(label: str) -> str:
    """The question a clarifying option names ("your checking balance" -> "my checking balance")."""
    return label.replace("your ", "my ", 1) if label.startswith("your ") else label


def chosen(offers: Sequence[str], text: str) -> str | None:
    """The offered question ``text`` picks, or None when it picks none (see the module notes)."""
    rules = shared_rules()
    norm = normalise(text)
    words = rules.word.findall(norm)
    if not offers or not words or len(words) > MAX_WORDS:
        return None
    if rules.choose_all.search(norm):
        return " and ".join(offers)
    core = norm  # "last month" names a period, not the last option
    for _, pattern in rules.windows:
        core = pattern.sub(" ", core)
    position = next((value for value, pattern in rules.ordinals if pattern.search(core)), None)
    digits = [int(w) for w in words if w.isdigit()]
    if position is None and len(digits) == 1:
        position = digits[0] - 1
    if position is not None and -len(offers) <= position < len(offers):
        return offers[position]
    said = set(content_words(norm))
    shared = [len(said & set(content_words(normalise(offer)))) for offer in offers]
    best = max(shared)
    return offers[shared.index(best)] if best and shared.count(best) == 1 else None


__all__ = ["MAX_WORDS", "asked", "chosen"]
