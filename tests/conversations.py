"""A conversation with the offline simulator, for the tests that ask it several turns."""

from __future__ import annotations

from persona_kit import get_mode
from persona_kit.ai.simulator import simulate_reply
from persona_kit.generate import Persona
from persona_kit.industries import industry_of


def conversation(persona: Persona, *turns: str) -> list[str]:
    """The simulator's replies to ``turns``, asked one after another of ``persona`` in its industry's mode."""
    mode, history, replies = get_mode(industry_of(persona).kind), [], []
    for text in turns:
        replies.append(simulate_reply(mode, persona, history, text).text)
        history.append(text)
    return replies
