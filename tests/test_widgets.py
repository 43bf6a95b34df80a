"""The notebook widgets, driven the way a user drives them: set a control, read the outputs."""

from __future__ import annotations

import importlib
import re
import sys

import pytest

pytest.importorskip("ipywidgets", reason="the notebook extra is not installed: pip install 'persona-kit[notebook]'")

from persona_kit import ModeCatalogue, generate_persona, get_mode, mode_from_dict, supported_locales
from persona_kit.formatting import Formatter
from persona_kit.modes import BUILTIN_MODE_IDS
from persona_kit.prompt import build_system_prompt
from persona_kit.protocol import mode_switch_message, parse_outbound
from persona_kit.widgets import (
    ModeSwitchSimulator,
    PersonaExplorer,
    json_tree_html,
    parse_seed,
    persona_card_html,
    persona_metrics,
    persona_tables,
)

LIST_FIELDS = {
    "banking": ["recent_transactions"],
    "insurance": ["active_policies", "claims_history"],
    "healthcare": ["upcoming_appointments", "active_prescriptions"],
}


THEME = {
    "primary": "#7C3AED",
    "secondary": "#A78BFA",
    "background": "#FAF5FF",
    "surface": "#FFFFFF",
    "text": "#1F1033",
    "text_muted": "#6B5B85",
}


def _mode(mode_id: str = "loyalty", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": mode_id,
        "name": "Loyalty",
        "company_name": "Orbit Rewards",
        "tagline": "Points that travel",
        "theme": THEME,
        "system_prompt": "You are Orbit Rewards' assistant.",
        "default_metrics": [{"label": "Loyalty points", "value": "points", "unit": "points"}],
    }
    data.update(overrides)
    return data


@pytest.fixture
def custom_modes() -> ModeCatalogue:
    return ModeCatalogue([mode_from_dict(_mode())])


def _text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_import_without_ipywidgets_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # None in sys.modules makes the import fail
    monkeypatch.delitem(sys.modules, "persona_kit.widgets")
    with pytest.raises(ImportError, match=re.escape("pip install 'persona-kit[notebook]'")):
        importlib.import_module("persona_kit.widgets")


def test_default_explorer_shows_banking_card_in_theme_colours() -> None:
    explorer = PersonaExplorer()
    persona = generate_persona("banking", 42)
    assert explorer.persona == persona
    card = explorer.card.value
    assert 'data-mode="banking"' in card
    assert "Summit National Bank" in card
    assert persona.name in card
    assert "#1E3A8A" in card  # banking primary
    money = Formatter("en_US", "USD").money
    text = _text(card)
    assert f"Checking {money(persona.checking_balance)}" in text
    assert f"Savings {money(persona.savings_balance)}" in text
    assert f"Credit score {persona.credit_score}" in text


def test_metrics_row_holds_the_metrics_the_header_does_not() -> None:
    explorer = PersonaExplorer()
    persona = explorer.persona
    assert persona is not None
    metrics = persona_metrics(persona)
    row = _text(explorer.metrics.value)
    assert f"Available credit {metrics['Available credit']}" in row
    assert f"Credit limit {metrics['Credit limit']}" in row
    assert "Checking" not in row


@pytest.mark.parametrize("mode_id", ["insurance", "healthcare"])
def test_switching_mode_rerenders_card_and_tables(mode_id: str) -> None:
    explorer = PersonaExplorer()
    before = explorer.card.value
    explorer.mode_picker.value = mode_id
    assert explorer.card.value != before
    assert f'data-mode="{mode_id}"' in explorer.card.value
    assert explorer.mode.company_name in explorer.card.value
    assert explorer.mode.theme.primary in explorer.card.value
    assert explorer.persona == generate_persona(mode_id, 42)
    assert list(explorer.tables) == LIST_FIELDS[mode_id]
    views = explorer.tables_view.children
    assert len(views) == len(LIST_FIELDS[mode_id])
    for view, name in zip(views, LIST_FIELDS[mode_id], strict=True):
        table = explorer.tables[name]
        assert _text(view.value).startswith(f"{name.replace('_', ' ').capitalize()} ({len(table)})")
        assert view.value.count("<tr") == len(table) + 1  # header row + one row per item


@pytest.mark.parametrize(
    ("locale", "currency", "day"),
    [("en_US", "$", "Jul 1, 2026"), ("de_DE", "€", "01.07.2026"), ("ja_JP", "￥", "2026/07/01")],
)
def test_locale_formats_money_and_dates_in_tables(locale: str, currency: str, day: str) -> None:
    explorer = PersonaExplorer(mode="banking", locale=locale)
    persona = explorer.persona
    assert persona is not None
    assert persona.identity.locale == locale
    table = explorer.tables["recent_transactions"]
    fmt = Formatter(locale, persona.identity.currency)
    assert list(table["Amount"]) == [fmt.money(t.amount) for t in persona.recent_transactions]
    assert list(table["Date"]) == [fmt.day(t.date) for t in persona.recent_transactions]
    assert all(currency in cell for cell in table["Amount"])
    assert day in explorer.status.value


def test_changing_locale_in_the_dropdown_reformats() -> None:
    explorer = PersonaExplorer(mode="insurance")
    explorer.locale_picker.value = "de_DE"
    assert explorer.persona == generate_persona("insurance", 42, locale="de_DE")
    policies = explorer.tables["active_policies"]
    assert all(cell.endswith("€") for cell in policies["Premium"])
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", cell) for cell in policies["Renewal date"])


def test_every_list_field_becomes_a_table_with_every_row() -> None:
    for mode_id, fields in LIST_FIELDS.items():
        for seed in range(5):
            persona = generate_persona(mode_id, seed)
            tables = persona_tables(persona)
            assert list(tables) == fields
            for name in fields:
                assert len(tables[name]) == len(getattr(persona, name))


def test_empty_list_field_is_an_empty_table_with_columns() -> None:
    for seed in range(200):
        persona = generate_persona("insurance", seed)
        if not persona.claims_history:
            break
    else:
        pytest.fail("no insurance persona without claims among 200 seeds")
    table = persona_tables(persona)["claims_history"]
    assert table.empty
    assert list(table.columns) == ["Claim id", "Date", "Type", "Amount", "Status", "Paid amount", "Policy number"]


def test_seed_and_index_inputs_pick_the_persona() -> None:
    explorer = PersonaExplorer(mode="healthcare")
    explorer.seed_input.value = "7"
    assert explorer.persona == generate_persona("healthcare", 7)
    explorer.index_input.value = 12345
    assert explorer.persona == generate_persona("healthcare", 7, index=12345)
    card = explorer.card.value
    explorer.index_input.value = 0
    explorer.index_input.value = 12345
    assert explorer.card.value == card  # same key, same card


def test_text_seed_is_a_string_seed() -> None:
    explorer = PersonaExplorer()
    explorer.seed_input.value = "session-4f2a"
    assert explorer.persona == generate_persona("banking", "session-4f2a")
    assert "seed &#x27;session-4f2a&#x27;" in explorer.status.value


@pytest.mark.parametrize(("typed", "message"), [(str(2**64), "seed must be"), ("", "a text seed must not be blank")])
def test_bad_seed_shows_an_error_instead_of_raising(typed: str, message: str) -> None:
    explorer = PersonaExplorer()
    explorer.seed_input.value = typed
    assert explorer.persona is None
    assert explorer.error is not None
    assert message in explorer.error
    assert "pk-error" in explorer.status.value
    assert explorer.card.value == ""
    assert explorer.tables == {}
    assert explorer.tables_view.children == ()
    assert message in explorer.snapshot_html()
    explorer.seed_input.value = "42"
    assert explorer.persona == generate_persona("banking", 42)
    assert explorer.error is None


@pytest.mark.parametrize(
    ("typed", "seed"), [("42", 42), ("18446744073709551615", 2**64 - 1), ("abc", "abc"), ("-1", "-1"), (" 7", " 7")]
)
def test_parse_seed(typed: str, seed: object) -> None:
    assert parse_seed(typed) == seed


def test_dropdowns_offer_every_mode_and_locale(custom_modes: ModeCatalogue) -> None:
    explorer = PersonaExplorer(modes=custom_modes)
    values = [value for _label, value in explorer.mode_picker.options]
    assert values == [*BUILTIN_MODE_IDS, "loyalty"]
    labels = {value: label for label, value in explorer.mode_picker.options}
    assert labels["loyalty"] == "Loyalty — Orbit Rewards (custom)"
    assert "(custom)" not in labels["banking"]
    assert [value for _label, value in explorer.locale_picker.options] == supported_locales()


def test_custom_mode_renders_a_generic_persona(custom_modes: ModeCatalogue) -> None:
    explorer = PersonaExplorer(modes=custom_modes)
    explorer.mode_picker.value = "loyalty"
    persona = explorer.persona
    assert persona is not None
    assert persona.kind == "generic"
    assert persona == generate_persona("loyalty", 42, modes=custom_modes)
    card = _text(explorer.card.value)
    assert "Orbit Rewards" in card
    assert "#7C3AED" in explorer.card.value
    assert f"Loyalty points {persona_metrics(persona)['Loyalty points']}" in card  # the mode's default metric
    assert explorer.tables == {}
    assert explorer.tables_view.children == ()


def test_header_text_colour_stays_readable_on_a_light_primary() -> None:
    light = mode_from_dict(_mode(theme={**THEME, "primary": "#FDE68A"}))
    persona = generate_persona(light, 1)
    card = persona_card_html(persona, light)
    assert "background:#FDE68A;color:#1F1033" in card
    dark = mode_from_dict(_mode())
    assert "background:#7C3AED;color:#FFFFFF" in persona_card_html(persona, dark)


def test_mode_text_is_escaped() -> None:
    hostile = mode_from_dict(_mode(company_name="<script>alert(1)</script>", tagline="a & b"))
    card = persona_card_html(generate_persona(hostile, 3), hostile)
    assert "<script>" not in card
    assert "&lt;script&gt;" in card
    assert "a &amp; b" in card


def test_display_bundle_has_the_live_widget_and_a_stable_text_form() -> None:
    explorer = PersonaExplorer(mode="insurance", seed="s-1", index=3, locale="fr_FR")
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "PersonaExplorer(mode='insurance', seed='s-1', index=3, locale='fr_FR')"
    explorer.seed_input.value = "99"
    assert repr(explorer) == "PersonaExplorer(mode='insurance', seed=99, index=3, locale='fr_FR')"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id


def test_snapshot_is_static_html_of_card_metrics_and_tables() -> None:
    explorer = PersonaExplorer(mode="healthcare", seed=3)
    snap = explorer.snapshot()
    persona = explorer.persona
    assert persona is not None
    html = snap._repr_html_()
    assert explorer.card.value in html
    assert explorer.metrics.value in html
    assert html.count('class="persona-table"') == 2
    assert repr(snap) == f"<persona snapshot: healthcare, {persona.name}>"
    assert "0x" not in repr(snap)


# --- ModeSwitchSimulator -------------------------------------------------------------


def test_mode_switch_shows_the_exact_wire_message_and_its_size() -> None:
    sim = ModeSwitchSimulator()
    persona = generate_persona("banking", 42)
    expected = mode_switch_message(get_mode("banking"), persona)
    assert sim.message == expected
    assert sim.wire == expected.model_dump_json()
    assert parse_outbound(sim.wire) == expected
    assert sim.wire_bytes == len(sim.wire.encode("utf-8"))
    assert f"mode_switch message · {sim.wire_bytes:,} bytes" in sim.message_view.value
    assert f"receives {sim.wire_bytes:,} bytes" in sim.summary.value


def test_mode_switch_json_view_is_collapsible_and_uses_wire_names() -> None:
    sim = ModeSwitchSimulator(mode="insurance")
    view = sim.message_view.value
    assert "<details open" in view
    assert "<summary" in view
    assert "&quot;defaultMetrics&quot;" in view  # the dashboard's field name, not default_metrics
    assert "&quot;active_policies&quot;" in view
    assert "system_prompt" not in sim.wire  # the prompt stays on the server


def test_switching_the_dropdown_switches_message_and_prompt() -> None:
    sim = ModeSwitchSimulator()
    before = (sim.wire, sim.prompt)
    sim.mode_picker.value = "healthcare"
    assert (sim.wire, sim.prompt) != before
    assert sim.message is not None
    assert sim.message.payload.mode.id == "healthcare"
    persona = generate_persona("healthcare", 42)
    assert sim.message.payload.persona == persona
    assert sim.prompt == build_system_prompt(get_mode("healthcare"), persona)
    assert 'data-mode="healthcare"' in sim.card.value
    assert _text(sim.prompt_view.value).startswith("system prompt ·")
    assert sim.prompt.startswith(get_mode("healthcare").system_prompt.strip())
    assert persona.name in sim.prompt


def test_mode_switch_counts_bytes_not_characters() -> None:
    sim = ModeSwitchSimulator(locale="ja_JP")
    assert sim.wire_bytes > len(sim.wire)  # Japanese names and the yen sign take several UTF-8 bytes


def test_mode_switch_to_a_custom_mode_sends_a_generic_persona(custom_modes: ModeCatalogue) -> None:
    sim = ModeSwitchSimulator(modes=custom_modes)
    sim.mode_picker.value = "loyalty"
    assert sim.message is not None
    assert sim.message.payload.persona.kind == "generic"
    assert sim.message.payload.mode.company_name == "Orbit Rewards"
    assert sim.prompt.startswith("You are Orbit Rewards' assistant.")


def test_mode_switch_bad_seed_shows_an_error() -> None:
    sim = ModeSwitchSimulator()
    sim.seed_input.value = "   "
    assert sim.message is None
    assert sim.wire == sim.prompt == ""
    assert "pk-error" in sim.summary.value
    assert sim.error is not None
    assert repr(sim.snapshot()) == f"<error: {sim.error}>"
    sim.seed_input.value = "7"
    assert sim.message == mode_switch_message(get_mode("banking"), generate_persona("banking", 7))


def test_mode_switch_display_bundle_and_snapshot() -> None:
    sim = ModeSwitchSimulator(mode="insurance", seed="abc")
    assert sim._repr_mimebundle_()["text/plain"] == "ModeSwitchSimulator(mode='insurance', seed='abc', locale='en_US')"
    assert repr(sim.snapshot()) == f"<mode_switch to insurance, {sim.wire_bytes:,} bytes>"
    assert sim.message_view.value in sim.snapshot()._repr_html_()


def test_json_tree_escapes_and_nests() -> None:
    tree = json_tree_html({"a": [1, {"b": "<i>x</i>"}], "c": None}, open_depth=1)
    assert tree.count("<details") == 3
    assert tree.count("<details open") == 1
    assert "<i>" not in tree
    assert "&quot;&lt;i&gt;x&lt;/i&gt;&quot;" in tree
    assert "null" in tree
