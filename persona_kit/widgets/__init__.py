"""Notebook front end: explore personas and mode switches with ipywidgets (the ``notebook`` extra).

Each widget is a plain class that owns its ipywidgets and renders into HTML
strings, so a test can set a control's value and read what the outputs now
hold, with no browser and no kernel. Display a widget for the live view, or
its ``snapshot()`` for static HTML that a saved notebook keeps.
"""

from __future__ import annotations

try:
    import ipywidgets  # noqa: F401  (fail here, politely, before any submodule needs it)
except ImportError as err:
    msg = "persona_kit.widgets needs the notebook extra: pip install 'persona-kit[notebook]'"
    raise ImportError(msg) from err

from persona_kit.widgets.chat import ChatSimulator
from persona_kit.widgets.explorer import PersonaExplorer, parse_seed
from persona_kit.widgets.mode_switch import ModeSwitchSimulator, wire_text
from persona_kit.widgets.render import (
    Snapshot,
    headline_metrics,
    json_tree_html,
    persona_card_html,
    persona_metrics,
    persona_metrics_html,
    persona_tables,
    persona_tables_html,
)

__all__ = [
    # widgets
    "ChatSimulator",
    "ModeSwitchSimulator",
    "PersonaExplorer",
    # renderings
    "Snapshot",
    "headline_metrics",
    "json_tree_html",
    "persona_card_html",
    "persona_metrics",
    "persona_metrics_html",
    "persona_tables",
    "persona_tables_html",
    # helpers
    "parse_seed",
    "wire_text",
]
