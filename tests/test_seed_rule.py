"""One seed rule everywhere: the API, Session, the CLI and the widgets read a seed the same way."""

from __future__ import annotations

import io

import pytest

from persona_kit import Session, generate_persona, generate_population
from persona_kit.cli import main


def shown(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0
    return out.getvalue()


@pytest.mark.parametrize("text", ["42", "0042", "ws-42", "3.5", "-1", "demo-1"])
def test_session_cli_and_api_agree(text: str) -> None:
    """README: `persona-kit show MODE --seed CONNECTION_ID` shows the session's persona."""
    session = Session(text, mode="insurance")
    assert session.persona == generate_persona("insurance", text)
    assert shown("show", "insurance", "--seed", text, "--json") == session.persona.model_dump_json(indent=2) + "\n"
    row = generate_population("insurance", 1, text).personas.iloc[0]
    assert row["first_name"] == session.persona.identity.first_name


def test_a_digit_session_id_is_that_integer() -> None:
    session = Session("42")
    assert session.seed == 42
    assert session.persona == generate_persona("banking", 42) == Session("x", seed="42").persona
    assert Session("ws-42").seed == "ws-42"


def test_a_digit_session_id_past_the_seed_range_is_refused_with_the_rule() -> None:
    with pytest.raises(ValueError, match="a string of digits is a number, and this one is over 2\\*\\*64-1"):
        Session("9" * 30)


def test_the_widgets_use_the_same_rule() -> None:
    pytest.importorskip("ipywidgets", reason="the notebook extra is not installed: pip install 'persona-kit[notebook]'")
    from persona_kit.widgets import PersonaExplorer, parse_seed

    explorer = PersonaExplorer(mode="healthcare")
    for text in ("42", "3.5", "ws-42"):
        explorer.seed_input.value = text
        assert explorer.persona == Session(text, mode="healthcare").persona
        assert parse_seed(text) == Session(text).seed
