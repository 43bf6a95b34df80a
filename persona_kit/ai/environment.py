"""Which responder a session gets: the offline simulator, unless the environment names a model."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from persona_kit.ai.openai_responder import MODEL_ENV, OpenAIResponder
from persona_kit.ai.simulator import SimulatorResponder

if TYPE_CHECKING:
    from persona_kit.conversation import Responder


def responder_from_env(environ: Mapping[str, str] | None = None) -> Responder:
    """``OpenAIResponder`` when ``PERSONA_KIT_MODEL`` is set (key and endpoint from the usual OpenAI variables),
    else the offline :class:`SimulatorResponder`.

    One variable switches a demo to a real model, and nothing reaches the network
    unless it is set. Without the ``openai`` package installed, asking for a model
    raises ImportError naming the ``ai`` extra.
    """
    env = os.environ if environ is None else environ
    if env.get(MODEL_ENV, "").strip():
        return OpenAIResponder(environ=env)
    return SimulatorResponder()
