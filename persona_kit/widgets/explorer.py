"""PersonaExplorer: pick a mode, locale, seed and index; see the persona as the dashboard shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets
import pandas as pd
from babel import Locale

from persona_kit import supported_locales
from persona_kit.engine.seeds import INDEX_LIMIT, Seed
from persona_kit.engine.seeds import parse_seed as engine_parse_seed
from persona_kit.errors import PersonaKitError
from persona_kit.formatting import formatter_for
from persona_kit.generate import DEFAULT_AS_OF, DEFAULT_LOCALE, Persona, check_as_of, generate_persona
from persona_kit.models.modes import Mode
from persona_kit.modes import BUILTIN_MODE_IDS, DEFAULT_MODE, ModeCatalogue
from persona_kit.widgets.render import (
    Snapshot,
    escape,
    persona_card_html,
    persona_metrics_html,
    persona_tables,
    persona_tables_html,
)

MAX_INDEX = INDEX_LIMIT - 1
_CONTROL = {"layout": {"width": "400px"}, "style": {"description_width": "56px"}}


def parse_seed(text: str) -> Seed:
    """A seed typed into a text box, read by the one seed rule (:func:`persona_kit.engine.seeds.parse_seed`)."""
    return engine_parse_seed(text)


def seed_text(text: str) -> str:
    """How a typed seed reads back: ``42`` or ``'session-7'`` (the raw text when it is not a seed)."""
    try:
        return repr(parse_seed(text))
    except (PersonaKitError, ValueError):
        return repr(text)


def mode_options(modes: ModeCatalogue) -> list[tuple[str, str]]:
    """(label, id) of every mode in the catalogue, custom ones marked: a mode dropdown's options."""
    return [(f"{m.name} — {m.company_name}{'' if m.id in BUILTIN_MODE_IDS else ' (custom)'}", m.id) for m in modes]


def mode_dropdown(modes: ModeCatalogue, mode: str | Mode) -> Any:
    """A dropdown of every mode in the catalogue, custom ones marked."""
    dropdown = widgets.Dropdown(options=mode_options(modes), value=modes.get(mode).id, description="Mode", **_CONTROL)
    dropdown.add_class("pk-mode")
    return dropdown


def locale_dropdown(locale: str) -> Any:
    """A dropdown of the supported locales, each named in its own language."""
    options = [(f"{Locale.parse(loc).display_name} · {loc}", loc) for loc in supported_locales()]
    dropdown = widgets.Dropdown(options=options, value=locale, description="Locale", **_CONTROL)
    dropdown.add_class("pk-locale")
    return dropdown


def seed_box(seed: Seed) -> Any:
    """A text box for a seed: an integer or any text (it updates on Enter or when it loses focus)."""
    box = widgets.Text(value=str(seed), description="Seed", continuous_update=False, **_CONTROL)
    box.add_class("pk-seed")
    return box


def error_html(err: Exception | str) -> str:
    """An input problem, shown where the output would be."""
    return f'<span class="pk-error" style="color:#B91C1C">⚠ {escape(err)}</span>'


class PersonaExplorer:
    """Pick a mode, locale, seed and index; see the persona card, metrics row and tables.

    ``mode_picker``, ``locale_picker``, ``seed_input`` and ``index_input`` are the
    controls; ``status``, ``card``, ``metrics`` and ``tables_view`` (one HTML
    table per list field) hold the rendered output, ``persona`` and ``tables``
    the values behind it. Display the
    explorer (last expression of a cell) for the live widget, or
    :meth:`snapshot` for static HTML.
    """

    def __init__(
        self,
        *,
        modes: ModeCatalogue | None = None,
        mode: str | Mode = DEFAULT_MODE,
        seed: Seed = 42,
        index: int = 0,
        locale: str = DEFAULT_LOCALE,
        as_of: dt.date = DEFAULT_AS_OF,
    ) -> None:
        self.modes = modes or ModeCatalogue()
        self.as_of = check_as_of(as_of)
        self.persona: Persona | None = None
        self.error: str | None = None
        self.tables: dict[str, pd.DataFrame] = {}
        self.mode_picker = mode_dropdown(self.modes, mode)
        self.locale_picker = locale_dropdown(locale)
        self.seed_input = seed_box(seed)
        self.index_input = widgets.BoundedIntText(value=index, min=0, max=MAX_INDEX, description="Index", **_CONTROL)
        self.status = widgets.HTML()
        self.card = widgets.HTML()
        self.metrics = widgets.HTML()
        self.tables_view = widgets.VBox()
        self.index_input.add_class("pk-index")
        self.card.add_class("pk-card")
        self.tables_view.add_class("pk-tables")
        controls = [self.mode_picker, self.locale_picker, self.seed_input, self.index_input]
        for control in controls:
            control.observe(self._on_change, names="value")
        rows = [widgets.HBox(controls[:2]), widgets.HBox(controls[2:])]
        self.widget = widgets.VBox([*rows, self.status, self.card, self.metrics, self.tables_view])
        self.refresh()

    @property
    def mode(self) -> Mode:
        """The selected mode."""
        return self.modes.get(self.mode_picker.value)

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Generate the persona for the current controls and re-render every output."""
        mode = self.mode
        try:
            persona = generate_persona(
                mode,
                parse_seed(self.seed_input.value),
                index=self.index_input.value,
                locale=self.locale_picker.value,
                as_of=self.as_of,
            )
        except (PersonaKitError, ValueError) as err:
            self.persona, self.error, self.tables = None, str(err), {}
            self.status.value = error_html(err)
            self.card.value = self.metrics.value = ""
            self.tables_view.children = ()
            return
        self.persona, self.error = persona, None
        self.tables = persona_tables(persona)
        key = [
            mode.id,
            f"seed {seed_text(self.seed_input.value)}",
            f"index {self.index_input.value}",
            self.locale_picker.value,
            f"as of {formatter_for(persona).day(self.as_of)}",
        ]
        self.status.value = f'<span style="color:{mode.theme.text_muted}">{escape(" · ".join(key))}</span>'

        self.card.value = persona_card_html(persona, mode)
        self.metrics.value = persona_metrics_html(persona, mode)
        self.tables_view.children = tuple(widgets.HTML(value=v) for v in persona_tables_html(persona, mode).values())

    def snapshot_html(self) -> str:
        """Card, metrics row and every table as one static HTML string (or the error)."""
        if self.persona is None:
            return f'<div class="pk-error">{escape(self.error)}</div>'
        tables = "".join(persona_tables_html(self.persona, self.mode).values())
        return f"<div>{self.card.value}{self.metrics.value}{tables}</div>"

    def snapshot(self) -> Snapshot:
        """A static rendering of what the widget shows, for saved notebooks and readers on the web."""
        title = f"{self.mode.id}, {self.persona.name}" if self.persona else f"error: {self.error}"
        return Snapshot(self.snapshot_html(), f"persona snapshot: {title}")

    def __repr__(self) -> str:
        return (
            f"PersonaExplorer(mode={self.mode_picker.value!r}, seed={seed_text(self.seed_input.value)}, "
            f"index={self.index_input.value}, locale={self.locale_picker.value!r})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, with a stable text form (the widget's model id changes every run)."""
        bundle: dict[str, Any] = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle
