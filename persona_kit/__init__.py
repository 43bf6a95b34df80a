"""persona_kit: deterministic synthetic customer personas for AI chat demos.

A persona is a pure function of (mode, seed, index, locale, as_of, persona_kit
version). Importing this package loads nothing else: each public name's module
is imported on its first use, and pandas, ipywidgets and openai only when the
features that need them are used.
"""

import importlib
from typing import TYPE_CHECKING, Any

from persona_kit._version import __version__

if TYPE_CHECKING:
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

_LAZY = {
    "Responder": "persona_kit.conversation",
    "supported_locales": "persona_kit.data",
    "ModeFileError": "persona_kit.errors",
    "PersonaKitError": "persona_kit.errors",
    "SeedError": "persona_kit.errors",
    "UnknownLocaleError": "persona_kit.errors",
    "UnknownModeError": "persona_kit.errors",
    "DEFAULT_AS_OF": "persona_kit.generate",
    "DEFAULT_LOCALE": "persona_kit.generate",
    "Persona": "persona_kit.generate",
    "Population": "persona_kit.generate",
    "generate_persona": "persona_kit.generate",
    "generate_population": "persona_kit.generate",
    "iter_population": "persona_kit.generate",
    "BankingPersona": "persona_kit.industries.banking",
    "Transaction": "persona_kit.industries.banking",
    "GenericPersona": "persona_kit.industries.generic",
    "Appointment": "persona_kit.industries.healthcare",
    "HealthcarePersona": "persona_kit.industries.healthcare",
    "Prescription": "persona_kit.industries.healthcare",
    "Claim": "persona_kit.industries.insurance",
    "InsurancePersona": "persona_kit.industries.insurance",
    "Policy": "persona_kit.industries.insurance",
    "Address": "persona_kit.models.identity",
    "Identity": "persona_kit.models.identity",
    "Metric": "persona_kit.models.modes",
    "Mode": "persona_kit.models.modes",
    "Tab": "persona_kit.models.modes",
    "Theme": "persona_kit.models.modes",
    "ModeCatalogue": "persona_kit.modes",
    "builtin_modes": "persona_kit.modes",
    "get_mode": "persona_kit.modes",
    "load_modes_file": "persona_kit.modes",
    "mode_from_dict": "persona_kit.modes",
    "build_system_prompt": "persona_kit.prompt",
    "prompt_size": "persona_kit.prompt",
    "InboundMessage": "persona_kit.protocol",
    "OutboundMessage": "persona_kit.protocol",
    "mode_switch_message": "persona_kit.protocol",
    "parse_inbound": "persona_kit.protocol",
    "protocol_json_schema": "persona_kit.protocol",
    "Session": "persona_kit.session",
    "detect_mode_request": "persona_kit.triggers",
}
"""Each public name's module, imported on first use (PEP 562), so ``import persona_kit`` loads nothing
but this file and ``persona-kit generate`` never loads the session, trigger or reply machinery."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'persona_kit' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
