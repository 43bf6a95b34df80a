"""The protocol's JSON Schema, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from persona_kit.protocol.messages import JSON_SCHEMA_DIALECT, InboundMessage, OutboundMessage


def protocol_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for every message, generated from the models.

    ``$defs.InboundMessage`` and ``$defs.OutboundMessage`` are the two unions;
    the document itself accepts any message of either direction.
    """
    keyed, top = TypeAdapter.json_schemas(
        [
            ("InboundMessage", "validation", TypeAdapter(InboundMessage)),
            ("OutboundMessage", "serialization", TypeAdapter(OutboundMessage)),
        ],
        ref_template="#/$defs/{model}",
    )
    defs = dict(top.get("$defs", {}))
    defs["InboundMessage"] = keyed[("InboundMessage", "validation")]
    defs["OutboundMessage"] = keyed[("OutboundMessage", "serialization")]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "persona_kit wire protocol",
        "description": (
            'Every message is {"type": ..., "payload": {...}}. InboundMessage: dashboard to persona_kit; '
            "OutboundMessage: persona_kit to dashboard. Generated from persona_kit.protocol; do not edit."
        ),
        "oneOf": [{"$ref": "#/$defs/InboundMessage"}, {"$ref": "#/$defs/OutboundMessage"}],
        "$defs": dict(sorted(defs.items())),
    }


def protocol_json_schema_text() -> str:
    """The schema as the text ``persona-kit schema`` prints and ``data/schema/`` holds."""
    return json.dumps(protocol_json_schema(), indent=2, ensure_ascii=False) + "\n"
