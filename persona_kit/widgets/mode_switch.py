"""ModeSwitchSimulator: switch modes as the dashboard does and see what the server sends and the AI gets."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ipywidgets as widgets

from persona_kit.engine.seeds import Seed
from persona_kit.errors import PersonaKitError
from persona_kit.generate import DEFAULT_AS_OF, DEFAULT_LOCALE, generate_persona
from persona_kit.models.modes import Mode
from persona_kit.modes import DEFAULT_MODE, ModeCatalogue
from persona_kit.prompt import build_system_prompt, prompt_size
from persona_kit.protocol import ModeSwitchMessage, mode_switch_message
from persona_kit.widgets.explorer import error_html, locale_dropdown, mode_dropdown, parse_seed, seed_box, seed_text
from persona_kit.widgets.render import FONT, MONO, Snapshot, escape, json_tree_html, persona_card_html

_PRE = f"font-family:{MONO};font-size:12px;white-space:pre-wrap;margin:4px 0;max-height:420px;overflow:auto"


def wire_text(message: ModeSwitchMessage) -> str:
    """A message exactly as it goes over the WebSocket: compact JSON, wire field names."""
    return message.model_dump_json()


class ModeSwitchSimulator:
    """Pick a mode (and seed, locale): see the ``mode_switch`` message and the system prompt it implies.

    ``message`` is the message model, ``wire`` its exact JSON text and
    ``wire_bytes`` that text's UTF-8 size; ``prompt`` is the system prompt the
    AI gets for the new mode and persona. ``message_view`` shows the message as
    a collapsible JSON tree, ``prompt_view`` the prompt.
    """

    def __init__(
        self,
        *,
        modes: ModeCatalogue | None = None,
        mode: str | Mode = DEFAULT_MODE,
        seed: Seed = 42,
        locale: str = DEFAULT_LOCALE,
        as_of: dt.date = DEFAULT_AS_OF,
    ) -> None:
        self.modes = modes or ModeCatalogue()
        self.as_of = as_of
        self.message: ModeSwitchMessage | None = None
        self.wire = ""
        self.prompt = ""
        self.error: str | None = None
        self.mode_picker = mode_dropdown(self.modes, mode)
        self.locale_picker = locale_dropdown(locale)
        self.seed_input = seed_box(seed)
        self.summary = widgets.HTML()
        self.card = widgets.HTML()
        self.message_view = widgets.HTML()
        self.prompt_view = widgets.HTML()
        self.message_view.add_class("pk-message")
        self.prompt_view.add_class("pk-prompt")
        for control in (self.mode_picker, self.locale_picker, self.seed_input):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.mode_picker, self.locale_picker]),
                self.seed_input,
                self.summary,
                self.card,
                self.message_view,
                self.prompt_view,
            ]
        )
        self.refresh()

    @property
    def mode(self) -> Mode:
        """The selected mode."""
        return self.modes.get(self.mode_picker.value)

    @property
    def wire_bytes(self) -> int:
        """Size of the ``mode_switch`` message on the wire, in bytes of UTF-8."""
        return len(self.wire.encode("utf-8"))

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Build the message and prompt for the current controls and re-render."""
        mode = self.mode
        try:
            seed = parse_seed(self.seed_input.value)
            persona = generate_persona(mode, seed, locale=self.locale_picker.value, as_of=self.as_of)
        except (PersonaKitError, ValueError) as err:
            self.message, self.wire, self.prompt, self.error = None, "", "", str(err)
            self.summary.value = error_html(err)
            self.card.value = self.message_view.value = self.prompt_view.value = ""
            return
        self.message = mode_switch_message(mode, persona)
        self.wire = wire_text(self.message)
        self.prompt = build_system_prompt(mode, persona)
        self.error = None
        self.summary.value = (
            f'<span style="font-family:{FONT};color:{mode.theme.text_muted}">switch to {escape(mode.id)} · seed '
            f"{escape(seed_text(self.seed_input.value))} · {escape(self.locale_picker.value)}: the dashboard "
            f"receives {self.wire_bytes:,} bytes; the AI gets a prompt of {escape(prompt_size(self.prompt))}</span>"
        )
        self.card.value = persona_card_html(persona, mode)
        tree = json_tree_html(json.loads(self.wire), open_depth=3)
        self.message_view.value = (
            f'<details open style="font-family:{FONT}"><summary style="font-weight:600">'
            f"mode_switch message · {self.wire_bytes:,} bytes</summary>{tree}"
            f'<details><summary>wire text</summary><pre style="{_PRE}">{escape(self.wire)}</pre></details></details>'
        )
        self.prompt_view.value = (
            f'<details open style="font-family:{FONT}"><summary style="font-weight:600">'
            f"system prompt · {escape(prompt_size(self.prompt))}"
            f'</summary><pre style="{_PRE}">{escape(self.prompt)}</pre></details>'
        )

    def snapshot(self) -> Snapshot:
        """A static rendering of what the widget shows."""
        body = self.card.value + self.message_view.value + self.prompt_view.value
        title = f"mode_switch to {self.mode.id}, {self.wire_bytes:,} bytes" if self.message else f"error: {self.error}"
        return Snapshot(f"<div>{self.summary.value}{body}</div>", title)

    def __repr__(self) -> str:
        return (
            f"ModeSwitchSimulator(mode={self.mode_picker.value!r}, seed={seed_text(self.seed_input.value)}, "
            f"locale={self.locale_picker.value!r})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, with a stable text form (the widget's model id changes every run)."""
        bundle: dict[str, Any] = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle
