"""The two dashboard tools, ``show_chart`` and ``show_metrics``, as Chat Completions function declarations.

The parameter schemas are generated from the protocol's result models
(:class:`~persona_kit.protocol.ChartResult`, :class:`~persona_kit.protocol.MetricsResult`),
so what a model is told to send and what the dashboard is sent cannot drift apart.
Arguments a model sends are validated by the same models in :func:`tool_result_from_arguments`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from persona_kit.protocol import ChartResult, MetricsResult, ToolResultMessage, tool_result_message

ToolName = Literal["show_chart", "show_metrics"]
TOOL_NAMES: tuple[ToolName, ...] = ("show_chart", "show_metrics")

_RESULT_MODELS: Mapping[str, type[BaseModel]] = {"show_chart": ChartResult, "show_metrics": MetricsResult}
_DESCRIPTIONS: Mapping[str, str] = {
    "show_chart": (
        "Draw a chart on the customer's dashboard from the customer's own figures in the context. "
        "Use it when the customer asks for a chart, graph, trend or breakdown."
    ),
    "show_metrics": (
        "Show headline figures as metric cards on the customer's dashboard, using the exact values in the context. "
        "Use it when the customer asks for key numbers, metrics or a summary at a glance."
    ),
}
_PROPERTY_HINTS: Mapping[str, str] = {
    "chart_type": "line or area for a trend over time, bar to compare items, pie for shares of a whole.",
    "title": "A short chart title.",
    "data": "Points in display order. Multi-series labels read 'YYYY-MM - Series', e.g. '2025-01 - Checking'.",
    "metrics": "One card per figure.",
    "unit": "An ISO currency code for money (e.g. USD), else a unit such as points, %, visits or refills.",
}


class ToolArgumentsError(ValueError):
    """A model called a tool with arguments that are not valid JSON or do not match the tool's schema."""

    def __init__(self, tool: str, problem: str) -> None:
        super().__init__(f"the model called {tool} with malformed arguments: {problem}")
        self.tool = tool
        self.problem = problem


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """Replace ``$ref``s by their definitions and drop ``title`` noise: function schemas are read by models."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        out = {
            k: _inline(v, defs) for k, v in node.items() if k != "$defs" and not (k == "title" and isinstance(v, str))
        }
        if isinstance(node.get("properties"), dict):  # property names are data, not annotations: keep "title"
            out["properties"] = {k: _inline(v, defs) for k, v in node["properties"].items()}
        return out
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _hint(schema: dict[str, Any]) -> dict[str, Any]:
    for name, prop in schema.get("properties", {}).items():
        if name in _PROPERTY_HINTS:
            prop["description"] = _PROPERTY_HINTS[name]
        _hint(prop)
    if isinstance(schema.get("items"), dict):
        _hint(schema["items"])
    return schema


def tool_parameters(name: ToolName) -> dict[str, Any]:
    """The JSON Schema of one tool's arguments, generated from its protocol result model."""
    raw = _RESULT_MODELS[name].model_json_schema()
    schema: dict[str, Any] = _inline(raw, raw.get("$defs", {}))
    schema.pop("description", None)
    return _hint(schema)


@cache
def _definitions() -> str:
    tools = [
        {
            "type": "function",
            "function": {"name": name, "description": _DESCRIPTIONS[name], "parameters": tool_parameters(name)},
        }
        for name in TOOL_NAMES
    ]
    return json.dumps(tools)


def tool_definitions() -> list[dict[str, Any]]:
    """The ``tools`` list for a Chat Completions request (a fresh copy each call)."""
    tools: list[dict[str, Any]] = json.loads(_definitions())
    return tools


def tool_result_from_arguments(name: str, arguments: str) -> ToolResultMessage:
    """The ``tool_result`` message for a model's tool call; raises :class:`ToolArgumentsError` if it is malformed."""
    if name not in _RESULT_MODELS:
        raise ToolArgumentsError(name or "an unnamed tool", f"unknown tool; the tools are {', '.join(TOOL_NAMES)}")
    try:
        data = json.loads(arguments or "{}")
    except json.JSONDecodeError as err:
        raise ToolArgumentsError(name, f"not valid JSON ({err.msg} at character {err.pos})") from None
    if not isinstance(data, dict):
        raise ToolArgumentsError(name, f"expected a JSON object, got {type(data).__name__}")
    try:
        return tool_result_message(name, data)
    except ValidationError as err:
        first = err.errors(include_url=False, include_input=False)[0]
        path = [str(p) for p in first["loc"][1:]]  # loc[0] is the tool (the union's tag), then "result"
        where = ".".join(path[1:] if path[:1] == ["result"] else path) or "(arguments)"
        raise ToolArgumentsError(name, f"{where}: {first['msg']}") from None
