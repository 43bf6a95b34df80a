"""The two dashboard tools: declarations generated from the protocol models, and argument validation."""

from __future__ import annotations

import json

import jsonschema
import pytest

from persona_kit import generate_persona, get_mode
from persona_kit.ai import TOOL_NAMES, ToolArgumentsError, simulate_reply, tool_definitions, tool_result_from_arguments
from persona_kit.ai.tools import tool_parameters


def test_declarations_are_chat_completions_functions() -> None:
    tools = tool_definitions()
    assert [t["type"] for t in tools] == ["function", "function"]
    assert [t["function"]["name"] for t in tools] == list(TOOL_NAMES) == ["show_chart", "show_metrics"]
    for tool in tools:
        params = tool["function"]["parameters"]
        assert tool["function"]["description"]
        assert params["type"] == "object"
        assert params["additionalProperties"] is False
        assert "$ref" not in json.dumps(params)
        assert "$defs" not in params
        jsonschema.Draft202012Validator.check_schema(params)
    chart = tools[0]["function"]["parameters"]
    assert chart["required"] == ["chart_type", "title", "data"]
    assert chart["properties"]["chart_type"]["enum"] == ["line", "bar", "pie", "area"]
    assert set(chart["properties"]["data"]["items"]["required"]) == {"label", "value"}
    metric = tools[1]["function"]["parameters"]["properties"]["metrics"]["items"]
    assert set(metric["required"]) == {"label", "value"}  # the unit is an optional suffix


def test_declarations_are_fresh_copies() -> None:
    first = tool_definitions()
    first[0]["function"]["name"] = "changed"
    assert tool_definitions()[0]["function"]["name"] == "show_chart"


@pytest.mark.parametrize(
    ("mode_id", "question"),
    [
        ("banking", "Chart my balances"),
        ("banking", "Show my spending as a bar chart"),
        ("banking", "Show my key metrics"),
        ("insurance", "Chart my claims"),
        ("insurance", "Show premiums by policy as a chart"),
        ("insurance", "Show my metrics"),
        ("healthcare", "Chart my refills"),
        ("healthcare", "Show my metrics"),
    ],
)
def test_simulator_tool_results_satisfy_the_declared_schemas(mode_id: str, question: str) -> None:
    for seed in range(6):
        reply = simulate_reply(get_mode(mode_id), generate_persona(mode_id, seed), [], question)
        for tool in reply.tools:
            result = tool.payload.result.model_dump(mode="json")
            jsonschema.validate(result, tool_parameters(tool.payload.tool))
            again = tool_result_from_arguments(tool.payload.tool, json.dumps(result))
            assert again == tool


def test_arguments_are_validated_with_a_message_naming_the_problem() -> None:
    good = tool_result_from_arguments(
        "show_metrics", '{"metrics": [{"label": "Tier", "value": "Gold", "unit": "tier"}]}'
    )
    assert good.payload.tool == "show_metrics"
    with pytest.raises(
        ToolArgumentsError, match=r"show_chart with malformed arguments: data: List should have at least 1 item"
    ):
        tool_result_from_arguments("show_chart", '{"chart_type": "bar", "title": "t", "data": []}')
    with pytest.raises(ToolArgumentsError, match="not valid JSON"):
        tool_result_from_arguments("show_chart", '{"chart_type": ')
    with pytest.raises(ToolArgumentsError, match="unknown tool"):
        tool_result_from_arguments("", "{}")
    with pytest.raises(ToolArgumentsError, match="x: Extra inputs are not permitted"):
        tool_result_from_arguments("show_metrics", '{"metrics": [{"label": "a", "value": 1, "unit": "x"}], "x": 1}')
