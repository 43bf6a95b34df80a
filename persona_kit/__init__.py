"""persona_kit: deterministic synthetic customer personas for AI chat demos.

A persona is a pure function of (mode, seed, index, locale, as_of, persona_kit
version). Importing this package loads numpy and pydantic only; pandas,
ipywidgets and openai load when the features that need them are used.
"""

from persona_kit._version import __version__
from persona_kit.conversation import Responder
from persona_kit.data import supported_locales
from persona_kit.errors import (
    ModeFileError,
    PersonaKitError,
    SeedError,
    UnknownLocaleError,
    UnknownModeError,
)
from persona_kit.generate import (
    DEFAULT_AS_OF,
    DEFAULT_LOCALE,
    Persona,
    Population,
    generate_persona,
    generate_population,
    iter_population,
)
from persona_kit.industries.banking import BankingPersona, Transaction
from persona_kit.industries.generic import GenericPersona
from persona_kit.industries.healthcare import Appointment, HealthcarePersona, Prescription
from persona_kit.industries.insurance import Claim, InsurancePersona, Policy
from persona_kit.models.identity import Address, Identity
from persona_kit.models.modes import Metric, Mode, Tab, Theme
from persona_kit.modes import ModeCatalogue, builtin_modes, get_mode, load_modes_file, mode_from_dict
from persona_kit.prompt import build_system_prompt, prompt_size
from persona_kit.protocol import (
    InboundMessage,
    OutboundMessage,
    mode_switch_message,
    parse_inbound,
    protocol_json_schema,
)
from persona_kit.session import Session
from persona_kit.triggers import detect_mode_request

# Everything else is importable from its module: persona_kit.ai (responders and the
# grounding check, loaded on first use so `import persona_kit` stays light),
# .prompt, .protocol, .session, .triggers, .formatting, .widgets (notebook extra).
__all__ = [
    # generation
    "DEFAULT_AS_OF",
    "DEFAULT_LOCALE",
    "Persona",
    "Population",
    "generate_persona",
    "generate_population",
    "iter_population",
    "supported_locales",
    # persona models
    "Address",
    "Appointment",
    "BankingPersona",
    "Claim",
    "GenericPersona",
    "HealthcarePersona",
    "Identity",
    "InsurancePersona",
    "Policy",
    "Prescription",
    "Transaction",
    # modes
    "Metric",
    "Mode",
    "ModeCatalogue",
    "Tab",
    "Theme",
    "builtin_modes",
    "get_mode",
    "load_modes_file",
    "mode_from_dict",
    # prompts
    "build_system_prompt",
    "prompt_size",
    # wire protocol
    "InboundMessage",
    "OutboundMessage",
    "mode_switch_message",
    "parse_inbound",
    "protocol_json_schema",
    # sessions
    "Responder",
    "Session",
    "detect_mode_request",
    # errors
    "ModeFileError",
    "PersonaKitError",
    "SeedError",
    "UnknownLocaleError",
    "UnknownModeError",
    # metadata
    "__version__",
]
