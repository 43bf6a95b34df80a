"""Mode catalogue: built-ins from data files, custom modes from JSON/TOML/dicts, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from persona_kit import (
    GenericPersona,
    ModeCatalogue,
    ModeFileError,
    UnknownModeError,
    builtin_modes,
    generate_persona,
    get_mode,
    load_modes_file,
    mode_from_dict,
)
from persona_kit.modes import BUILTIN_MODE_IDS

MINIMAL = {
    "id": "coffee",
    "name": "Coffee Club",
    "company_name": "Bean There Roasters",
    "theme": {
        "primary": "#6B3E26",
        "secondary": "#C08552",
        "background": "#FFF8F0",
        "surface": "#FFFFFF",
        "text": "#2B1A10",
        "text_muted": "#7A6A5F",
    },
    "system_prompt": "You are the assistant of Bean There Roasters.",
}


def test_builtin_modes_have_reference_fields() -> None:
    modes = builtin_modes()
    assert list(modes) == list(BUILTIN_MODE_IDS) == ["banking", "insurance", "healthcare", "telecom"]
    for mode_id, mode in modes.items():
        assert mode.persona_kind == mode_id
        assert mode.tabs and mode.default_metrics and mode.system_prompt


def test_custom_mode_from_dict_gets_generic_persona() -> None:
    mode = mode_from_dict(MINIMAL)
    persona = generate_persona(mode, 5)
    assert isinstance(persona, GenericPersona)
    catalogue = ModeCatalogue([mode])
    assert catalogue.ids == [*BUILTIN_MODE_IDS, "coffee"]
    assert generate_persona("coffee", 5, modes=catalogue) == persona


def test_json_and_toml_files(tmp_path: Path) -> None:
    js = tmp_path / "modes.json"
    js.write_text(json.dumps({"modes": [MINIMAL, {**MINIMAL, "id": "tea"}]}))
    assert [m.id for m in load_modes_file(js)] == ["coffee", "tea"]
    toml = tmp_path / "mode.toml"
    toml.write_text(
        """
[[modes]]
id = "gym"
name = "Gym"
company_name = "Peak Fitness"
system_prompt = "You help gym members."
[modes.theme]
primary = "#111111"
secondary = "#222222"
background = "#FFFFFF"
surface = "#FFFFFF"
text = "#000000"
text_muted = "#555555"
"""
    )
    (gym,) = load_modes_file(toml)
    assert gym.company_name == "Peak Fitness" and gym.persona_kind == "generic"


def test_bad_field_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**MINIMAL, "theme": {**MINIMAL["theme"], "primary": "blue"}}))
    with pytest.raises(ModeFileError) as info:
        load_modes_file(bad)
    message = str(info.value)
    assert "bad.json" in message and "theme.primary" in message


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("broken.json", "{not json", "not valid JSON"),
        ("broken.toml", "id = ", "not valid TOML"),
        ("modes.yaml", "id: x", "unsupported extension"),
        ("missing.json", None, "cannot read file"),
        ("empty.json", "[]", "no modes defined"),
        ("dupe.json", json.dumps([MINIMAL, MINIMAL]), "duplicate mode id"),
        ("nofield.json", json.dumps({"id": "x"}), "system_prompt: Field required"),
        ("list.json", json.dumps([1]), "expected an object"),
        ("badid.json", json.dumps({**MINIMAL, "id": "Has Spaces"}), "id: String should match pattern"),
    ],
)
def test_malformed_mode_files(tmp_path: Path, name: str, content: str | None, fragment: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(ModeFileError, match=fragment) as info:
        load_modes_file(path)
    assert name in str(info.value)


def test_unknown_mode_error_lists_ids() -> None:
    with pytest.raises(UnknownModeError) as info:
        get_mode("bakery")
    assert info.value.known == sorted(BUILTIN_MODE_IDS)
    catalogue = ModeCatalogue([mode_from_dict(MINIMAL)])
    with pytest.raises(UnknownModeError, match="coffee"):
        catalogue.get("bakery")
    with pytest.raises(UnknownModeError):
        catalogue.get(None)


def test_builtin_modes_cannot_be_corrupted_by_callers() -> None:
    modes = builtin_modes()
    del modes["healthcare"]
    assert "healthcare" in builtin_modes()
    assert generate_persona("healthcare", 1).kind == "healthcare"


def test_rebrand_of_a_builtin_survives_adding_modes() -> None:
    rebranded = builtin_modes()["banking"].model_copy(update={"company_name": "Harbor Federal"})
    catalogue = ModeCatalogue([rebranded]).with_modes(mode_from_dict(MINIMAL))
    assert catalogue.get("banking").company_name == "Harbor Federal"
    assert catalogue.get("coffee").company_name == "Bean There Roasters"


def test_a_custom_mode_cannot_change_a_builtin_persona_kind() -> None:
    with pytest.raises(ValueError, match="must keep persona_kind 'banking'"):
        ModeCatalogue([mode_from_dict({**MINIMAL, "id": "banking"})])
