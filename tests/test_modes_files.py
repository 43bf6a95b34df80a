"""Malformed mode files: every one raises ModeFileError naming the file and the problem, in linear time."""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from persona_kit import ModeFileError, load_modes_file, mode_from_dict
from persona_kit.models.modes import Mode

THEME = {"primary": "#6B3E26", "secondary": "#C08552", "background": "#FFF8F0", "surface": "#FFFFFF",
         "text": "#2B1A10", "text_muted": "#7A6A5F"}  # fmt: skip
MINIMAL = {"id": "coffee", "name": "Coffee Club", "company_name": "Bean There Roasters", "theme": THEME,
           "system_prompt": "You are the assistant of Bean There Roasters."}  # fmt: skip
TOML_MODE = """
id = "gym"
name = "Gym"
company_name = "Peak Fitness"
system_prompt = "You help gym members."
[theme]
primary = "#111111"
secondary = "#222222"
background = "#FFFFFF"
surface = "#FFFFFF"
text = "#000000"
text_muted = "#555555"
"""


def _json(**changes: object) -> str:
    return json.dumps({**MINIMAL, **changes}, ensure_ascii=False)


MALFORMED: list[tuple[str, str | bytes, str]] = [
    # structure and syntax
    ("deep.json", "[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    ("deep_object.json", '{"a":' * 50_000 + "1" + "}" * 50_000, "not valid JSON: nested too deeply"),
    ("deep.toml", "x = " + "[" * 50_000 + "]" * 50_000, "not valid TOML: nested too deeply"),
    ("hugeint.json", '{"id": ' + "9" * 5000 + "}", "not valid JSON: Exceeds the limit"),
    ("hugeint.toml", "id = " + "9" * 5000, "not valid TOML: Exceeds the limit"),
    ("empty.json", "", "not valid JSON: Expecting value"),
    ("empty.toml", "", "no modes defined"),
    ("emptylist.json", "[]", "no modes defined"),
    ("null.json", "null", "expected an object with mode fields, got NoneType"),
    ("number.json", "5", "expected an object with mode fields, got int"),
    ("modes_str.json", json.dumps({"modes": "coffee"}), "expected an object with mode fields, got str"),
    ("nested_list.json", json.dumps({"modes": [[MINIMAL]]}), r"\(mode #1\): expected an object .*, got list"),
    ("dupe_key.json", '{"id": "coffee", "id": "tea"}', "not valid JSON: duplicate key 'id' in an object"),
    ("dupe_key.toml", 'id = "a"\nid = "b"\n', "not valid TOML"),
    # encodings and bytes
    ("latin1.json", _json(company_name="Café Crème").encode("latin-1"), "not UTF-8 text: byte 0xe9 at offset"),
    ("utf16.json", _json().encode("utf-16"), "not UTF-8 text: byte 0xff at offset 0"),
    ("binary.json", bytes(range(256)), "not UTF-8 text: byte 0x80 at offset 128"),
    ("nul.json", b"\x00\x01\x02", "not valid JSON"),
    # wrong types at each level
    ("theme_list.json", _json(theme=[]), "theme: Input should be a valid dictionary"),
    ("theme_colour_int.json", _json(theme={**THEME, "text": 0}), "theme.text: Input should be a valid string"),
    ("tabs_dict.json", _json(tabs={}), "tabs: Input should be a valid list"),
    ("tab_str.json", _json(tabs=["home"]), "tabs.0: Input should be a valid dictionary"),
    ("tab_label.json", _json(tabs=[{"id": "a", "label": 5, "icon": "home"}]), "tabs.0.label: Input should be a"),
    ("metric_unit.json", _json(default_metrics=[{"label": "x", "value": "v", "unit": []}]), "default_metrics.0.unit"),
    ("prompt_list.json", _json(system_prompt=["hi"]), "system_prompt: Input should be a valid string"),
    ("id_int.toml", TOML_MODE.replace('id = "gym"', "id = 5"), "id: Input should be a valid string"),
    ("date_name.toml", TOML_MODE.replace('name = "Gym"', "name = 2026-01-01"), "name: Input should be a valid string"),
    ("kind.json", _json(persona_kind="airline"), "persona_kind: Input should be 'banking'"),
    ("extra.json", _json(colour="red"), "colour: Extra inputs are not permitted"),
    ("newline_key.json", json.dumps({**MINIMAL, "x\ny": 1}), r"x\\ny: Extra inputs are not permitted"),
    # ids
    ("dupe_ids.json", json.dumps([MINIMAL, {**MINIMAL, "id": "tea"}, MINIMAL]), "duplicate mode id\\(s\\): coffee"),
    ("builtin_kind.json", _json(id="banking", persona_kind="generic"), "must keep persona_kind 'banking'"),
    ("builtin_default_kind.json", _json(id="healthcare"), "must keep persona_kind 'healthcare' \\(got 'generic'\\)"),
    # what a dashboard would render
    ("js_image.json", _json(hero_image="javascript:alert(1)"), r"hero_image: 'javascript:alert\(1\)' is not"),
    ("js_upper.json", _json(background_image="JavaScript:alert(1)"), "background_image: .* is not an allowed image"),
    ("html_data.json", _json(chat_image="data:text/html;base64,PHNjcmlwdD4="), "chat_image: .* use an http\\(s\\) URL"),
    ("svg_data.json", _json(chat_image="data:image/svg+xml;base64,PHN2Zz4="), "chat_image: .* is not an allowed image"),
    ("other_site.json", _json(hero_image="//evil.example/x.png"), "hero_image"),
    ("quote_url.json", _json(hero_image='https://example.com/x.png" onerror="alert(1)'), "hero_image"),
    ("icon_markup.json", _json(tabs=[{"id": "a", "label": "A", "icon": "<b onclick=x>"}]), "tabs.0.icon: .* not an"),
    ("icon_control.json", _json(tabs=[{"id": "a", "label": "A", "icon": "star\u0007"}]), "tabs.0.icon"),
    ("icon_long.json", _json(tabs=[{"id": "a", "label": "A", "icon": "a" * 41}]), "tabs.0.icon: .*use an icon name"),
    ("icon_empty.json", _json(tabs=[{"id": "a", "label": "A", "icon": ""}]), "tabs.0.icon"),
    ("icon_rtl.json", _json(tabs=[{"id": "a", "label": "A", "icon": "\u202e\u2b50"}]), "tabs.0.icon"),
    ("icon_backtick.json", _json(tabs=[{"id": "a", "label": "A", "icon": "\u2b50`"}]), "tabs.0.icon"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "fragment"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_files_raise_mode_file_error(tmp_path: Path, name: str, content: str | bytes, fragment: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ModeFileError, match=fragment) as info:
        load_modes_file(path)
    assert time.perf_counter() - started < 2.0
    message = str(info.value)
    assert name in message
    assert "\n" not in message
    assert len(message) < 1500, "a message quotes what was wrong, not the whole input"


@pytest.mark.parametrize(
    "image",
    [
        "https://example.com/hero.png",
        "http://localhost:8000/static/bg.jpg?v=2#top",
        "/static/hero.png",
        "/",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/webp;base64,UklGRg==",
    ],
)
def test_allowed_images(image: str) -> None:
    assert mode_from_dict({**MINIMAL, "hero_image": image}).hero_image == image


ICONS = ["credit-card", "heart_pulse", "Home", "🏦", "⭐", "🇬🇧", "👨\u200d👩\u200d👧", "✈\ufe0f"]


@pytest.mark.parametrize("icon", ICONS)
def test_allowed_icons(icon: str) -> None:
    mode = mode_from_dict({**MINIMAL, "tabs": [{"id": "a", "label": "A", "icon": icon}]})
    assert mode.tabs[0].icon == icon


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + _json().encode("utf-8"))
    assert [m.id for m in load_modes_file(path)] == ["coffee"]


def test_a_built_in_id_may_be_rebranded_with_its_own_kind(tmp_path: Path) -> None:
    path = tmp_path / "rebrand.json"
    path.write_text(_json(id="banking", persona_kind="banking", company_name="Harbor Federal"), encoding="utf-8")
    (mode,) = load_modes_file(path)
    assert mode.company_name == "Harbor Federal"


def test_mode_from_dict_applies_the_same_rules() -> None:
    with pytest.raises(ModeFileError, match="<dict>: hero_image"):
        mode_from_dict({**MINIMAL, "hero_image": "javascript:alert(1)"})
    with pytest.raises(ModeFileError, match="expected an object"):
        mode_from_dict([MINIMAL])  # type: ignore[arg-type]


def test_many_problems_are_summarised(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    path.write_text(_json(tabs=[{"id": "a", "label": "A", "icon": "<b>"}] * 500), encoding="utf-8")
    with pytest.raises(ModeFileError, match="and 490 more") as info:
        load_modes_file(path)
    assert len(info.value.problems) == 500


def _load_time(tmp_path: Path, n: int) -> float:
    path = tmp_path / f"many{n}.json"
    path.write_text(json.dumps({"modes": [{**MINIMAL, "id": f"m{i}"} for i in range(n)] + [MINIMAL, MINIMAL]}))
    best = float("inf")
    gc.collect()
    gc.disable()  # a collection in the middle, with a whole test run's objects alive, is not what is measured
    try:
        for _ in range(3):
            started = time.perf_counter()
            with pytest.raises(ModeFileError, match=r"duplicate mode id\(s\): coffee$"):
                load_modes_file(path)
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return best


def test_duplicate_ids_are_found_in_linear_time(tmp_path: Path) -> None:
    """16,000 modes took 3.1 s with list.count (quadratic); a Counter takes milliseconds."""
    small, large = _load_time(tmp_path, 4_000), _load_time(tmp_path, 16_000)
    assert large < 2.5  # the quadratic check alone took 3.1 s here
    assert large / small < 10, f"4,000 modes: {small:.3f}s, 16,000 modes: {large:.3f}s (quadratic would be 16x)"


def test_loaded_modes_are_plain_modes(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(TOML_MODE, encoding="utf-8")
    (mode,) = load_modes_file(path)
    assert isinstance(mode, Mode) and mode.id == "gym"


def test_a_fifo_or_folder_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # reading it would block for ever
    with pytest.raises(ModeFileError, match=r"pipe\.json: cannot read file: not a regular file"):
        load_modes_file(fifo)
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(ModeFileError, match=r"dir\.json: cannot read file: not a regular file"):
        load_modes_file(tmp_path / "dir.json")


def test_an_oversized_file_is_refused_after_reading_only_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from persona_kit import modes

    path = tmp_path / "big.json"
    path.write_text(" " * 3 * 2**20 + _json(), encoding="utf-8")
    monkeypatch.setattr(modes, "MAX_MODES_FILE", 2**20)
    with pytest.raises(ModeFileError, match=r"big\.json: file is over 1 MiB"):
        load_modes_file(path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
FIELDS = st.sampled_from(["id", "name", "theme", "tabs", "default_metrics", "hero_image", "persona_kind", "modes"])


def _load_or_problem(path: Path) -> list[Mode] | ModeFileError:
    try:
        return load_modes_file(path)
    except ModeFileError as err:  # anything else fails the test
        return err


@given(changes=st.dictionaries(FIELDS, JSON_VALUES, max_size=3), top=st.booleans())
def test_any_json_is_a_mode_or_a_mode_file_error(
    tmp_path_factory: pytest.TempPathFactory, changes: dict[str, object], top: bool
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "modes.json"
    path.write_text(json.dumps({**MINIMAL, **changes} if top else [MINIMAL, changes]), encoding="utf-8")
    result = _load_or_problem(path)
    if isinstance(result, ModeFileError):
        assert "modes.json" in str(result) and "\n" not in str(result)
    else:
        assert all(isinstance(m, Mode) for m in result)


@given(st.binary(max_size=200), st.sampled_from([".json", ".toml"]))
def test_any_bytes_are_modes_or_a_mode_file_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"modes{suffix}"
    path.write_bytes(data)
    result = _load_or_problem(path)
    assert not isinstance(result, ModeFileError) or path.name in str(result)
