"""ChatSimulator: chat with a persona's assistant in a notebook, the way the dashboard does.

A text box and Send button over a :class:`~persona_kit.session.Session`: what
is typed goes through ``Session.handle`` exactly as a WebSocket ``chat`` message
would. The reply streams into the transcript chunk by chunk, ``show_chart``
results are drawn with matplotlib and ``show_metrics`` results become metric
tiles, a trigger phrase re-skins the header for the new mode and clears the
conversation, and a ``chat_error`` is shown where the reply would be. The
grounding check can be shown beside each reply: grounded claims green with the
persona field they match, ungrounded ones red.

Drive it from code with :meth:`ChatSimulator.send`. :meth:`ChatSimulator.snapshot` is
the static rendering a saved notebook keeps: HTML, and a separate PNG output per chart
(so the HTML that ``nbval`` compares holds no image bytes).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from persona_kit.ai.grounding import GroundingCheck, GroundingReport
from persona_kit.conversation import Responder
from persona_kit.engine.seeds import Seed
from persona_kit.formatting import formatter_for
from persona_kit.generate import DEFAULT_LOCALE
from persona_kit.industries import industry_of
from persona_kit.models.modes import Mode, Theme
from persona_kit.modes import DEFAULT_MODE, ModeCatalogue
from persona_kit.protocol import (
    ChartResult,
    ChatChunkMessage,
    ChatClearedMessage,
    ChatErrorMessage,
    ErrorMessage,
    ModeSwitchMessage,
    OutboundMessage,
    ShowChartPayload,
    ShowMetricsPayload,
    ToolResultMessage,
)
from persona_kit.session import Session
from persona_kit.widgets.explorer import mode_dropdown, mode_options
from persona_kit.widgets.render import (
    FONT,
    Snapshot,
    escape,
    headline_metrics,
    ink_on,
    persona_metrics,
    without_math,
)
from persona_kit.widgets.tools import ChartImage, chart_png, metric_text, metrics_html

GREEN, GREEN_BG, RED, RED_BG = "#15803D", "#DCFCE7", "#B91C1C", "#FEE2E2"
_BUBBLE = "max-width:560px;padding:8px 12px;white-space:pre-wrap;font-size:14px;line-height:1.45"
Part = tuple[str, str] | ChartImage
"""A piece of the rendered chat: (HTML, plain text), or a chart."""

# --- HTML ----------------------------------------------------------------------


def marked_html(report: GroundingReport) -> str:
    """The reply text with each claim highlighted: green and titled with its field, or red."""
    out, pos = [], 0
    for c in sorted(report.claims, key=lambda c: c.start):
        if c.start < pos:
            continue
        colour, bg, state = (GREEN, GREEN_BG, "ok") if c.grounded else (RED, RED_BG, "bad")
        title = c.note
        style = f"background:{bg};border-bottom:2px solid {colour};border-radius:3px"
        out.append(escape(report.text[pos : c.start]))
        out.append(f'<span class="pk-mark-{state}" title="{escape(title)}" style="{style}">{escape(c.text)}</span>')
        pos = c.end
    return "".join(out) + escape(report.text[pos:])


def grounding_html(report: GroundingReport) -> str:
    """The claims of one reply: each grounded one green with the field it matched, each ungrounded one red."""
    rows = "".join(
        f'<div class="pk-claim-{"ok" if c.grounded else "bad"}" style="color:{GREEN if c.grounded else RED}">'
        f'{"✓" if c.grounded else "✗"} <b>{escape(c.text)}</b> <span style="opacity:0.75">{escape(c.kind)}</span>'
        f" → {escape(c.note)}</div>"
        for c in report.claims
    )
    summary = f"{len(report.grounded)}/{len(report.claims)} claims grounded" if report.claims else "no claims to check"
    if report.too_long:
        summary = f"not checked, {len(report.text):,} characters is too long"
    colour = GREEN if report.ok else RED
    return (
        f'<div class="pk-grounding" style="flex:none;width:320px;font-size:12px;line-height:1.5;padding:4px 10px;'
        f'border-left:3px solid {colour};background:#FFFFFF"><div style="font-weight:700;color:{colour}">'
        f"grounding check: {summary}</div>{rows}</div>"
    )


def header_html(session: Session) -> str:
    """A small dashboard header in the mode's theme: company, customer, headline figures."""
    mode, persona = session.mode, session.persona
    theme, metrics = mode.theme, persona_metrics(persona)
    figures = " · ".join(f"{k} {metrics[k]}" for k in headline_metrics(persona, mode)[:3])
    tagline = f" — {escape(mode.tagline)}" if mode.tagline else ""
    return (
        f'<div class="pk-chat-header" data-mode="{escape(mode.id)}" style="font-family:{FONT};max-width:900px;'
        f"background:{theme.primary};color:{ink_on(theme.primary, theme.text)};border-bottom:4px solid "
        f'{theme.secondary};border-radius:10px;padding:10px 16px"><div style="font-size:11px;letter-spacing:0.06em;'
        f'text-transform:uppercase;opacity:0.9">{escape(mode.company_name)}{tagline}</div>'
        f'<div style="font-size:18px;font-weight:700">Chat with {escape(persona.name)}</div>'
        f'<div style="font-size:12px;opacity:0.9">{escape(mode.name)} mode · session {escape(session.session_id)}'
        f" · {escape(figures)}</div></div>"
    )


def _box(theme: Theme, inner: str, cls: str = "pk-chat") -> str:
    return f'<div class="{cls}" style="font-family:{FONT};max-width:900px;color:{theme.text}">{inner}</div>'


def _bubble(text_html: str, theme: Theme, *, user: bool) -> str:
    if user:
        colours = f"margin-left:auto;background:{theme.primary};color:{ink_on(theme.primary, theme.text)}"
        return f'<div class="pk-user" style="display:flex;margin:6px 0"><div style="{colours};{_BUBBLE};border-radius:14px 14px 4px 14px">{text_html}</div></div>'  # noqa: E501
    colours = f"background:{theme.surface};color:{theme.text};border:1px solid {theme.text_muted}55"
    return f'<div class="pk-reply" style="{colours};{_BUBBLE};border-radius:14px 14px 14px 4px">{text_html}</div>'


def error_html(code: str, message: str, *, refused: bool = False) -> str:
    """A ``chat_error`` (or a refused message), shown where the reply would be."""
    what = "Message refused" if refused else "The reply failed"
    after = "Nothing changed." if refused else "The conversation so far is kept; try again."
    return (
        f'<div class="pk-chat-error" role="alert" style="max-width:560px;margin:6px 0;padding:8px 12px;'
        f'border:1px solid {RED};border-left:5px solid {RED};border-radius:8px;background:#FEF2F2;color:#7F1D1D">'
        f"<b>⚠ {what}</b> <code>{escape(code)}</code><div>{escape(message)}</div>"
        f'<div style="font-size:12px;opacity:0.8">{after}</div></div>'
    )


# --- the widget ----------------------------------------------------------------


@dataclass(eq=False)  # compared by identity: the same question asked twice is two exchanges
class Exchange:
    """One message the user sent and everything that came back for it."""

    text: str
    reply: str = ""
    done: bool = False
    tools: list[ShowChartPayload | ShowMetricsPayload] = field(default_factory=list)
    charts: list[Part] = field(default_factory=list)  # a chart, or the note saying why it could not be drawn
    error: tuple[str, str] | None = None  # (code, message)
    refused: bool = False
    report: GroundingReport | None = None


@dataclass(frozen=True, repr=False)
class ChatSnapshot:
    """A static rendering of the chat: HTML parts with the charts between them, in order."""

    parts: tuple[Part, ...]  # (html, plain text) or a chart
    title: str

    @property
    def html(self) -> str:
        """Everything as one HTML string, charts inline (for saving to a file)."""
        return without_math("".join(p.img_html() if isinstance(p, ChartImage) else p[0] for p in self.parts))

    def bundles(self) -> list[dict[str, str]]:
        """One display bundle per part: ``text/html`` and ``text/plain``, or ``image/png`` (base64) for a chart."""
        return [
            {"image/png": base64.b64encode(p.png).decode("ascii"), "text/plain": p.alt}
            if isinstance(p, ChartImage)
            else {"text/html": without_math(p[0]), "text/plain": p[1]}
            for p in self.parts
        ]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for bundle in self.bundles():
            display(bundle, raw=True)  # type: ignore[no-untyped-call]

    def __repr__(self) -> str:
        return f"<{self.title}>"


class ChatSimulator:
    """A text box and Send button over a :class:`Session`, rendering replies as the dashboard does.

    Give it a ``session``, or the arguments to make one (``responder=None``
    means the session's default: the offline simulator unless ``PERSONA_KIT_MODEL``
    is set). ``mode_picker``, ``header``, ``transcript``, ``input``, ``send_button``,
    ``clear_button`` and ``grounding_toggle`` are its widgets; ``exchanges`` the
    conversation shown, ``notice`` the line a mode switch or clear leaves.
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        session_id: str = "notebook",
        mode: str | Mode = DEFAULT_MODE,
        modes: ModeCatalogue | None = None,
        seed: Seed | None = None,
        locale: str = DEFAULT_LOCALE,
        responder: Responder | None = None,
        show_grounding: bool = False,
    ) -> None:
        if session is None:
            # The notice line says who the customer is after a switch: no greeting reply is needed here.
            session = Session(
                session_id, mode=mode, modes=modes, seed=seed, locale=locale, responder=responder, greeting=False
            )
        self.session = session
        self.exchanges: list[Exchange] = []
        self.notice = ""
        self._checker: GroundingCheck | None = None
        self._views: list[tuple[widgets.HTML, widgets.VBox]] = []
        self._syncing = False  # set while the mode picker follows a switch, so it does not switch again
        self.mode_picker = mode_dropdown(self.session.modes, self.mode)
        self.mode_picker.observe(self._on_pick, names="value")
        self.header = widgets.HTML()
        self.notice_view = widgets.HTML()
        self.transcript = widgets.VBox()
        self.input = widgets.Text(placeholder="Ask about the account, or: Presto-Change-O, you're an insurer")
        self.input.layout.width = "520px"
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane")
        self.clear_button = widgets.Button(description="Clear", icon="eraser")
        self.grounding_toggle = widgets.ToggleButton(value=show_grounding, description="Grounding", icon="check")
        for view, name in [(self.transcript, "transcript"), (self.input, "input"), (self.send_button, "send"),
                           (self.clear_button, "clear"), (self.grounding_toggle, "grounding")]:  # fmt: skip
            view.add_class(f"pk-chat-{name}")
        self.send_button.on_click(lambda _button: self.submit())
        self.clear_button.on_click(lambda _button: self.clear())
        self.input.on_msg(lambda _w, content, _b: self.submit() if content.get("event") == "submit" else None)
        self.grounding_toggle.observe(lambda _change: self._rerender(), names="value")
        controls = widgets.HBox([self.input, self.send_button, self.clear_button, self.grounding_toggle])
        self.widget = widgets.VBox([self.mode_picker, self.header, self.notice_view, self.transcript, controls])
        self.widget.add_class("pk-chat-widget")
        self.header.value = header_html(self.session)

    @property
    def mode(self) -> Mode:
        """The session's current mode."""
        return self.session.mode

    @property
    def show_grounding(self) -> bool:
        """Whether the grounding check is shown beside each reply."""
        return bool(self.grounding_toggle.value)

    @property
    def checker(self) -> GroundingCheck:
        """The grounding check for the current persona (indexed once per persona)."""
        persona = self.session.persona
        if self._checker is None or self._checker.persona is not persona:
            self._checker = GroundingCheck(persona)
        return self._checker

    def check(self, text: str) -> GroundingReport:
        """The grounding check of any reply text against the current persona."""
        return self.checker.check(text)

    # --- sending -------------------------------------------------------------------

    def submit(self) -> None:
        """Send what the text box holds (Send button or Enter) and empty it; blank input is ignored."""
        text = self.input.value
        if text.strip():
            self.input.value = ""
            self.send(text)

    def send(self, text: str) -> list[OutboundMessage]:
        """Send ``text`` as the dashboard would (a ``chat`` message as JSON text); show and return what comes back."""
        exchange = Exchange(text)
        self.exchanges.append(exchange)
        reply_view = widgets.HTML(self._reply_html(exchange))
        box = widgets.VBox([widgets.HTML(self._user_html(exchange)), reply_view])
        self._views.append((reply_view, box))
        self.transcript.children = (*self.transcript.children, box)
        received: list[OutboundMessage] = []
        self.send_button.disabled = True
        try:
            wire = json.dumps({"type": "chat", "payload": {"text": text}}, ensure_ascii=False)
            for message in self.session.handle(wire):  # the JSON text a dashboard sends, size limit included
                received.append(message)
                self._receive(exchange, message)
        finally:
            self.send_button.disabled = False
        return received

    def clear(self) -> list[OutboundMessage]:
        """Clear the conversation as the dashboard's clear button does (``clear_chat``)."""
        received = list(self.session.handle('{"type": "clear_chat"}'))
        for message in received:
            if isinstance(message, ChatClearedMessage):
                self._reset("The conversation was cleared; mode and customer stay.")
        return received

    def switch_mode(self, mode_id: str) -> list[OutboundMessage]:
        """Switch mode as the dashboard's mode picker does (``switch_mode``): header, customer, empty chat."""
        received = list(self.session.handle(json.dumps({"type": "switch_mode", "payload": {"mode_id": mode_id}})))
        for message in received:
            if isinstance(message, ModeSwitchMessage):
                self._switched("The mode picker")
            elif isinstance(message, ErrorMessage):
                refused = error_html(message.payload.code, message.payload.message, refused=True)
                self.notice_view.value = _box(self.mode.theme, refused)
        return received

    def _on_pick(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.mode.id:
            self.switch_mode(change["new"])

    def _switched(self, cause: str) -> None:
        mode = self.mode
        self.header.value = header_html(self.session)
        self._syncing = True
        try:  # a typed phrase can add a custom mode to the session's catalogue
            options = tuple(mode_options(self.session.modes))
            if tuple(self.mode_picker.options) != options:
                self.mode_picker.options = options
            self.mode_picker.value = mode.id
        finally:
            self._syncing = False
        self._reset(f"{cause} switched the dashboard to {mode.name}: {mode.company_name}, "
                    f"customer {self.session.persona.name}. The conversation was cleared.")  # fmt: skip

    def _receive(self, exchange: Exchange, message: OutboundMessage) -> None:
        if exchange not in self.exchanges:  # a greeting after a switch cleared the transcript: the notice says it
            return
        if isinstance(message, ModeSwitchMessage):
            self._switched(f"“{exchange.text}”")
            return
        if isinstance(message, ChatChunkMessage):
            exchange.reply += message.payload.text
            if message.payload.done:
                exchange.done = True
                exchange.report = self.check(exchange.reply)
            self._views[self.exchanges.index(exchange)][0].value = self._reply_html(exchange)
            return
        if isinstance(message, ToolResultMessage):
            exchange.tools.append(message.payload)
            if isinstance(message.payload, ShowChartPayload):
                exchange.charts.append(self._chart(message.payload.result))
            self._append(exchange, self._tool_parts(exchange)[len(exchange.tools) - 1])
        elif isinstance(message, ChatErrorMessage | ErrorMessage):
            exchange.error = (message.payload.code, message.payload.message)
            exchange.refused = isinstance(message, ErrorMessage)
            self._views[self.exchanges.index(exchange)][0].value = self._reply_html(exchange)
            self._append(exchange, self._tool_parts(exchange)[-1])

    def _chart(self, result: ChartResult) -> Part:
        """The chart drawn, or a short note saying why it could not be (a hostile chart never stops the chat)."""
        try:
            fmt = formatter_for(self.session.persona)
            declared = industry_of(self.session.persona).chart(result.title)
            return chart_png(result, self.mode.theme, fmt, declared)
        except Exception as err:  # matplotlib, a formatter or chart_problem refusing the chart: say so, go on
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            note = f"could not draw this chart: {reason[:160]}"
        style = f"color:{self.mode.theme.text_muted};font-size:13px;font-style:italic;margin:6px 0"
        return _box(self.mode.theme, f'<div class="pk-chart-note" style="{style}">{escape(note)}</div>'), f"[{note}]"

    def _reset(self, notice: str) -> None:
        self.exchanges, self._views, self.notice = [], [], notice
        self.transcript.children = ()
        self.notice_view.value = self._notice_html()

    # --- rendering -----------------------------------------------------------------

    def _notice_html(self) -> str:
        if not self.notice:
            return ""
        style = f"color:{self.mode.theme.text_muted};font-size:13px;font-style:italic;margin:6px 0"
        return _box(self.mode.theme, f'<div style="{style}">{escape(self.notice)}</div>', "pk-notice")

    def _reply_html(self, exchange: Exchange) -> str:
        theme = self.mode.theme
        if not exchange.reply and exchange.error:
            return ""
        if exchange.report is not None and self.show_grounding:
            bubble = _bubble(marked_html(exchange.report), theme, user=False)
            inner = f'<div style="display:flex;gap:12px;align-items:flex-start">{bubble}{grounding_html(exchange.report)}</div>'  # noqa: E501
        else:
            typing = "" if exchange.done or exchange.error else " …"
            inner = _bubble(escape(exchange.reply) + typing, theme, user=False)
        return _box(theme, f'<div style="margin:6px 0">{inner}</div>', "pk-reply-row")

    def _user_html(self, exchange: Exchange) -> str:
        return _box(self.mode.theme, _bubble(escape(exchange.text), self.mode.theme, user=True))

    def _tool_parts(self, exchange: Exchange) -> list[Part]:
        """The tool results (charts, metric tiles) and any error of an exchange, in order."""
        theme, locale = self.mode.theme, self.session.persona.identity.locale
        parts: list[Part] = []
        charts = iter(exchange.charts)
        for tool in exchange.tools:
            if isinstance(tool, ShowChartPayload):
                parts.append(next(charts))
            else:
                tiles = " · ".join(f"{m.label} {metric_text(m, locale)}" for m in tool.result.metrics)
                parts.append((_box(theme, metrics_html(tool.result, theme, locale)), f"[metrics: {tiles}]"))
        if exchange.error:
            (code, message), refused = exchange.error, exchange.refused
            parts.append((_box(theme, error_html(code, message, refused=refused)), f"[error {code}: {message}]"))
        return parts

    def _parts(self, exchange: Exchange) -> list[Part]:
        parts: list[Part] = [(self._user_html(exchange), f"You: {exchange.text}")]
        if reply := self._reply_html(exchange):
            plain = f"Assistant: {exchange.reply}"
            if exchange.report is not None and self.show_grounding:
                plain += "\n" + "\n".join(f"  [{line.strip()}]" for line in str(exchange.report).splitlines())
            parts.append((reply, plain))
        return parts + self._tool_parts(exchange)

    def _append(self, exchange: Exchange, part: Part) -> None:
        box = self._views[self.exchanges.index(exchange)][1]
        if isinstance(part, ChartImage):
            view: Any = widgets.Image(value=part.png, format="png", width=720)
        else:
            view = widgets.HTML(part[0])
        box.children = (*box.children, view)

    def _rerender(self) -> None:
        for exchange, (reply_view, _box_view) in zip(self.exchanges, self._views, strict=True):
            reply_view.value = self._reply_html(exchange)

    def snapshot(self) -> ChatSnapshot:
        """A static rendering of the header and conversation: HTML, with each chart a PNG between the parts."""
        parts: list[Part] = [(self.header.value, f"[{self.mode.company_name}]")]
        if self.notice:
            parts.append((self._notice_html(), f"({self.notice})"))
        for exchange in self.exchanges:
            parts += self._parts(exchange)
        merged: list[Part] = []
        for part in parts:
            last = merged[-1] if merged else None
            if isinstance(part, tuple) and isinstance(last, tuple):
                merged[-1] = (last[0] + part[0], f"{last[1]}\n{part[1]}")
            else:
                merged.append(part)
        charts = sum(isinstance(c, ChartImage) for e in self.exchanges for c in e.charts)
        title = f"chat snapshot: {self.mode.id}, {len(self.exchanges)} messages, {charts} charts"
        return ChatSnapshot(tuple(merged), title)

    def grounding_view(self, text: str) -> Snapshot:
        """Any reply text checked against the current persona, rendered as the toggle shows it."""
        report = self.check(text)
        inner = f'<div style="display:flex;gap:12px;align-items:flex-start">{_bubble(marked_html(report), self.mode.theme, user=False)}{grounding_html(report)}</div>'  # noqa: E501
        return Snapshot(_box(self.mode.theme, inner), f"grounding check: {len(report.grounded)}/{len(report.claims)}")

    def __repr__(self) -> str:
        return (
            f"ChatSimulator(session={self.session.session_id!r}, mode={self.mode.id!r}, "
            f"messages={len(self.exchanges)}, grounding={'on' if self.show_grounding else 'off'})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, with a stable text form (the widget's model id changes every run)."""
        bundle: dict[str, Any] = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle
