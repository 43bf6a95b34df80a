"""AI replies: the offline simulator (the default), a real model through the openai SDK, and a grounding check.

Importing this package never imports ``openai``; the OpenAI responder loads it
when constructed and raises ImportError naming the ``ai`` extra if it is missing.
"""

from persona_kit.ai.answers import Reply
from persona_kit.ai.endpoint import SimulatorEndpoint, simulator_client
from persona_kit.ai.environment import responder_from_env
from persona_kit.ai.grounding import ClaimCheck, GroundingCheck, GroundingReport, check_reply
from persona_kit.ai.openai_responder import DEFAULT_MODEL, MODEL_ENV, OpenAIResponder, client_from_env
from persona_kit.ai.simulator import SimulatorResponder, reply_messages, simulate_reply, word_chunks
from persona_kit.ai.tools import TOOL_NAMES, ToolArgumentsError, tool_definitions, tool_result_from_arguments

__all__ = [
    # responders
    "SimulatorResponder",
    "OpenAIResponder",
    "responder_from_env",
    "DEFAULT_MODEL",
    "MODEL_ENV",
    "client_from_env",
    # the simulator's pieces
    "Reply",
    "simulate_reply",
    "reply_messages",
    "word_chunks",
    "SimulatorEndpoint",
    "simulator_client",
    # tools
    "TOOL_NAMES",
    "ToolArgumentsError",
    "tool_definitions",
    "tool_result_from_arguments",
    # grounding
    "ClaimCheck",
    "GroundingCheck",
    "GroundingReport",
    "check_reply",
]
