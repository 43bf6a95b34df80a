"""The industry registry: one record per persona kind, and nothing outside an industry's package names it."""

from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path

import pytest

from persona_kit import generate_persona, get_mode, protocol_json_schema
from persona_kit.ai import simulate_reply
from persona_kit.ai.answers import simulator_for
from persona_kit.data import data_dir, supported_locales
from persona_kit.industries import PACKAGES, builtin_mode_ids, industries, industry, industry_of, persona_models
from persona_kit.modes import ModeCatalogue, builtin_modes
from persona_kit.triggers import custom_mode

PACKAGE = Path(__file__).resolve().parents[1] / "persona_kit"
KINDS = list(industries())
# The three first industries' models stay importable from persona_kit itself (the 0.1 public API).
LEGACY_EXPORTS = {"banking", "insurance", "healthcare", "generic"}


def _persona(kind: str, seed: int = 7) -> object:
    if kind in builtin_mode_ids():
        return generate_persona(kind, seed)
    gym = custom_mode("gym")
    return generate_persona(gym.id, seed, modes=ModeCatalogue([gym]))


def test_every_package_is_registered_once_in_order() -> None:
    assert tuple(industries()) == PACKAGES
    assert len(set(PACKAGES)) == len(PACKAGES)


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_holds_everything_about_its_industry(kind: str) -> None:
    record = industry(kind)
    assert record.model.model_fields["kind"].default == kind
    record.stats()  # the calibration file validates
    assert (data_dir() / "stats" / f"{kind}.json").is_file()
    assert (data_dir() / "modes" / f"{kind}.json").is_file() == record.builtin_mode
    if record.builtin_mode:
        mode = builtin_modes()[kind]
        assert mode.persona_kind == kind
        labels = {m.label for m in record.metrics}
        assert {m.label for m in mode.default_metrics} <= labels, "mode_switch metrics come from the registry"
        assert record.synonyms, "a built-in industry can be asked for by name"
    persona = _persona(kind)
    assert industry_of(persona) is record  # type: ignore[arg-type]
    assert list(record.card_values(persona)) == list(record.card_metrics)


@pytest.mark.parametrize("kind", KINDS)
def test_the_widget_card_shows_the_registry_metrics(kind: str) -> None:
    pytest.importorskip("ipywidgets", reason="the widgets need the notebook extra")
    from persona_kit.widgets.render import persona_metrics

    assert list(persona_metrics(_persona(kind))) == list(industry(kind).card_metrics)  # type: ignore[arg-type]


def test_the_wire_union_and_schema_follow_the_registry() -> None:
    schema = protocol_json_schema()
    union = schema["$defs"]["ModeSwitchPayload"]["properties"]["persona"]
    refs = [option["$ref"].rsplit("/", 1)[1] for option in union["oneOf"]]
    assert refs == [model.__name__ for model in persona_models()]
    assert set(union["discriminator"]["mapping"]) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_show_metrics_cards_are_the_registry_metrics(kind: str) -> None:
    persona = _persona(kind)
    mode = get_mode(kind) if kind in builtin_mode_ids() else custom_mode("gym")
    reply = simulate_reply(mode, persona, [], "show my key metrics")  # type: ignore[arg-type]
    (tool,) = [t for t in reply.tools if t.payload.tool == "show_metrics"]
    assert [m.label for m in tool.payload.result.metrics] == list(industry(kind).tool_metrics)  # type: ignore[union-attr]


CHART_QUESTIONS = [
    "show my balance as a chart", "chart my checking balance", "credit score chart", "chart my credit",
    "spending pie chart", "chart my transactions", "premium chart", "coverage chart", "claims chart",
    "risk score chart", "premium over time chart", "deductible chart", "out of pocket chart",
    "out of pocket spending this year as a line chart", "refills chart", "points chart", "account value chart",
    "chart my data usage", "chart my bills", "chart my devices", "chart my tickets",
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_the_simulator_draws_is_declared(kind: str) -> None:
    titles = set()
    for seed in range(12):
        persona = _persona(kind, seed)
        mode = get_mode(kind) if kind in builtin_mode_ids() else custom_mode("gym")
        for question in CHART_QUESTIONS:
            reply = simulate_reply(mode, persona, [], question)  # type: ignore[arg-type]
            titles |= {t.payload.result.title for t in reply.tools if t.payload.tool == "show_chart"}  # type: ignore[union-attr]
    assert titles, "the simulator draws charts for every industry"
    assert {t for t in titles if industry(kind).chart(t) is None} == set()


def _named(path: Path) -> set[str]:
    """Quoted kind ids (exact string tokens) and persona class names a module mentions."""
    out = set()
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            out.add(token.string.strip("\"'"))
        elif token.type == tokenize.NAME and token.string[:1].isupper():  # class names, not np.generic
            out.add(token.string)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_no_module_outside_an_industry_names_it(kind: str) -> None:
    model = industry(kind).model.__name__
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "industries/__init__.py":  # the registration line
            continue
        if rel.startswith(f"industries/{kind}/"):
            continue
        if rel.startswith("industries/") and rel.count("/") > 1:  # another industry: "healthcare" may be a category
            named = _named(path) & {model}
            offenders += [f"{rel}: {sorted(named)}"] if named else []
            continue
        if rel == "__init__.py" and kind in LEGACY_EXPORTS:
            continue
        if rel == "models/modes.py" and kind == "generic":  # CUSTOM_KIND, the kind custom modes default to
            continue
        named = _named(path) & {kind, model}
        if named:
            offenders.append(f"{rel}: {sorted(named)}")
    assert offenders == []


def test_golden_files_exist_for_every_builtin_industry() -> None:
    for kind in builtin_mode_ids():
        doc = json.loads((data_dir() / "golden" / f"{kind}.json").read_text(encoding="utf-8"))
        assert {c["locale"] for c in doc["cases"]} == set(supported_locales())


@pytest.mark.parametrize("kind", KINDS)
def test_simulator_parts_are_loaded_lazily_and_complete(kind: str) -> None:
    sim = simulator_for(_persona(kind))  # type: ignore[arg-type]
    assert sim.grammar.topics, "an industry has topics of its own"
    assert set(sim.grammar.subject_topics) == set(sim.grammar.subject_default)
