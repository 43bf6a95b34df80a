"""The ChatSimulator widget, driven as a user drives it (type, Send, toggle) and read back from its outputs."""

from __future__ import annotations

import base64
import importlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

pytest.importorskip("ipywidgets", reason="the notebook extra is not installed: pip install 'persona-kit[notebook]'")
pytest.importorskip("matplotlib", reason="the notebook extra is not installed: pip install 'persona-kit[notebook]'")

from persona_kit import Session, get_mode
from persona_kit.ai import SimulatorResponder, check_reply, simulate_reply, word_chunks
from persona_kit.formatting import Formatter
from persona_kit.protocol import (
    ChartResult,
    MetricValue,
    OutboundMessage,
    chat_chunk_message,
    chat_start_message,
    tool_result_message,
)
from persona_kit.session import SessionView
from persona_kit.widgets import ChatSimulator
from persona_kit.widgets.chat import GREEN, RED, ChatSnapshot
from persona_kit.widgets.tools import ChartImage, axis_labels, chart_figure, chart_png, metric_text

PNG = b"\x89PNG\r\n\x1a\n"
BANKING, INSURANCE = get_mode("banking").theme, get_mode("insurance").theme
USD = Formatter("en_US", "USD")


def _text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def _chat(**kwargs: object) -> ChatSimulator:
    return ChatSimulator(session_id="demo-1", responder=SimulatorResponder(), **kwargs)  # type: ignore[arg-type]


def _reply_view(chat: ChatSimulator, i: int = -1) -> str:
    """The HTML of the assistant's reply (with any grounding panel) of the i-th exchange."""
    value: str = chat.transcript.children[i].children[1].value
    return value


def _views(chat: ChatSimulator, i: int = -1) -> list[object]:
    return list(chat.transcript.children[i].children)


@dataclass
class Spy:
    """The simulator's reply; before handing over each message it records what the chat shows."""

    chat: ChatSimulator | None = None
    seen: list[str] = field(default_factory=list)

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        for message in SimulatorResponder().respond(session, text):
            assert self.chat is not None
            self.seen.append(_text(_reply_view(self.chat)))
            yield message


class OneNumberOff:
    """The simulator's reply with the last digit of its first amount changed: what a careless model might say."""

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        altered = False
        for message in SimulatorResponder().respond(session, text):
            if message.type == "chat_chunk" and not altered and "$" in message.payload.text:
                word = message.payload.text
                i = max(i for i, ch in enumerate(word) if ch.isdigit())
                altered = True
                yield chat_chunk_message(word[:i] + str((int(word[i]) + 1) % 10) + word[i + 1 :])
            else:
                yield message


class Breaks:
    """A responder that fails half-way through its reply."""

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        yield chat_start_message()
        yield chat_chunk_message("Your checking balance ")
        raise RuntimeError("the model fell over")


def test_import_without_ipywidgets_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    for name in ("persona_kit.widgets", "persona_kit.widgets.chat"):
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match=re.escape("pip install 'persona-kit[notebook]'")):
        importlib.import_module("persona_kit.widgets.chat")


def test_header_is_the_mode_and_customer_in_theme_colours() -> None:
    chat = _chat()
    header = chat.header.value
    assert 'data-mode="banking"' in header
    assert f"background:{BANKING.primary}" in header
    text = _text(header)
    assert "Summit National Bank" in text
    assert f"Chat with {chat.session.persona.name}" in text
    assert "session demo-1" in text
    assert repr(chat) == "ChatSimulator(session='demo-1', mode='banking', messages=0, grounding=off)"


def test_send_streams_the_reply_chunk_by_chunk() -> None:
    spy = Spy()
    chat = ChatSimulator(session_id="demo-1", responder=spy)
    spy.chat = chat
    messages = chat.send("What's my spending by category?")
    reply = simulate_reply(chat.mode, chat.session.persona, [], "What's my spending by category?").text
    words = word_chunks(reply)
    assert [m.type for m in messages] == ["chat_start", *["chat_chunk"] * (len(words) + 1)]
    # Before message k+1 is handed over, the bubble shows the first k-1 words (chat_start came first) and "…".
    assert spy.seen[0] == spy.seen[1] == "…"
    for k in range(2, len(words) + 2):
        assert spy.seen[k] == _text("".join(words[: k - 1])) + " …"
    assert _text(_reply_view(chat)) == _text(reply)  # done: the whole reply, no typing mark
    assert chat.exchanges[-1].reply == reply
    assert chat.exchanges[-1].done
    assert [turn.content for turn in chat.session.history] == ["What's my spending by category?", reply]


def _money(chat: ChatSimulator, amount: float) -> str:
    """An amount as the persona's formatter spells it (what replies and tiles show)."""
    from persona_kit.formatting import formatter_for

    return formatter_for(chat.session.persona).money(amount)


def test_send_button_and_enter_send_the_text_box_and_empty_it() -> None:
    chat = _chat()
    chat.input.value = "What's my checking balance?"
    chat.send_button.click()
    assert chat.input.value == ""
    persona = chat.session.persona
    assert f"Your checking balance is {_money(chat, persona.checking_balance)}." in _text(_reply_view(chat))
    chat.input.value = "and my savings?"
    chat.input._handle_custom_msg({"event": "submit"}, [])  # what the browser sends on Enter
    assert chat.input.value == ""
    assert f"Your savings balance is {_money(chat, persona.savings_balance)}." in _text(_reply_view(chat))
    chat.input.value = "   "
    chat.send_button.click()
    assert len(chat.exchanges) == 2  # blank input is not sent
    assert not chat.send_button.disabled


def test_the_same_question_twice_is_two_exchanges() -> None:
    chat = _chat(show_grounding=True)
    chat.send("What's my credit score?")
    chat.send("What's my credit score?")
    assert len(chat.exchanges) == len(chat.transcript.children) == 2
    assert _reply_view(chat, 0) == _reply_view(chat, 1)
    assert f"✓ {chat.session.persona.credit_score} count → credit_score" in _text(_reply_view(chat, 1))


def test_user_text_is_escaped() -> None:
    chat = _chat()
    chat.send("<script>alert(1)</script> & what's my balance?")
    html = chat.snapshot().html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_chart_tool_result_is_drawn_under_the_reply() -> None:
    chat = _chat()
    messages = chat.send("Show my spending as a pie chart")
    tool = next(m for m in messages if m.type == "tool_result")
    assert tool.payload.tool == "show_chart"
    exchange = chat.exchanges[-1]
    assert exchange.tools == [tool.payload]
    (chart,) = exchange.charts
    assert chart.png.startswith(PNG)
    assert chart.alt == f"pie chart: Spending by category ({len(tool.payload.result.data)} points)"
    assert len(tool.payload.result.data) >= 3
    image = _views(chat)[2]
    assert type(image).__name__ == "Image"
    assert image.value == chart.png  # type: ignore[attr-defined]
    assert [type(v).__name__ for v in _views(chat)] == ["HTML", "HTML", "Image"]


def test_metrics_tool_result_becomes_tiles_in_the_locale() -> None:
    chat = _chat()
    chat.send("Show my key metrics")
    tiles = _views(chat)[2].value  # type: ignore[attr-defined]
    assert tiles.count('class="pk-tile"') == 5
    assert f"border-top:4px solid {BANKING.primary}" in tiles
    text = _text(tiles)
    p = chat.session.persona
    utilization = round(100 * p.credit_used / p.credit_limit)
    for shown in [
        f"Checking {_money(chat, p.checking_balance)}",
        f"Savings {_money(chat, p.savings_balance)}",
        f"Credit score {p.credit_score}",
        f"Credit utilization {utilization}%",
    ]:
        assert shown in text


def test_grounding_toggle_marks_claims_with_their_field() -> None:
    chat = _chat()
    chat.send("What's my checking balance?")
    assert "pk-mark" not in _reply_view(chat)
    assert "pk-grounding" not in _reply_view(chat)
    chat.grounding_toggle.value = True
    view = _reply_view(chat)
    assert 'class="pk-mark-ok" title="checking_balance"' in view
    assert f"border-bottom:2px solid {GREEN}" in view
    assert "grounding check: 1/1 claims grounded" in _text(view)
    assert f"✓ {_money(chat, chat.session.persona.checking_balance)} amount → checking_balance" in _text(view)
    assert repr(chat).endswith("grounding=on)")
    chat.grounding_toggle.value = False
    assert "pk-mark" not in _reply_view(chat)


def test_grounding_panel_names_the_category_row_each_count_belongs_to() -> None:
    # Session "s1": Gas, Utilities and others share a count of 1; each line's count names its own category.
    chat = ChatSimulator(session_id="s1", responder=SimulatorResponder(), show_grounding=True)
    chat.send("Show my spending by category")
    lines = [line for line in chat.exchanges[-1].reply.splitlines() if line.startswith("- ")]
    categories = [line[2:].split(":")[0] for line in lines]
    assert len(categories) >= 3
    shown = re.findall(r"→ derived\.spending\[([^\]]+)\]\.count", _text(_reply_view(chat)))
    assert shown == categories


def test_grounding_catches_an_altered_number_in_red() -> None:
    chat = ChatSimulator(session_id="demo-1", responder=OneNumberOff(), show_grounding=True)
    chat.send("What's my checking balance?")
    true = chat.session.persona.checking_balance
    altered = _money(chat, true + 0.01)
    assert chat.exchanges[-1].reply == f"Your checking balance is {altered}."
    view = _reply_view(chat)
    assert 'class="pk-mark-bad" title="not in the persona"' in view
    assert f"border-bottom:2px solid {RED}" in view
    assert f"✗ {altered} amount → not in the persona" in _text(view)
    assert "0/1 claims grounded" in _text(view)
    report = chat.exchanges[-1].report
    assert report is not None
    assert not report.ok
    assert report == check_reply(chat.session.persona, f"Your checking balance is {altered}.")
    # the same check for any text, without sending it
    truth = f"Your checking balance is {_money(chat, true)}."
    assert "1/1 claims grounded" in _text(chat.grounding_view(truth)._repr_html_())


def test_trigger_phrase_switches_mode_rerenders_header_and_clears() -> None:
    chat = _chat(show_grounding=True)
    chat.send("What's my checking balance?")
    messages = chat.send("Presto-Change-O, you're an insurer")
    assert [m.type for m in messages] == ["mode_switch"]
    assert chat.mode.id == "insurance"
    assert 'data-mode="insurance"' in chat.header.value
    assert f"background:{INSURANCE.primary}" in chat.header.value
    assert "Harborline Mutual Insurance" in chat.header.value
    assert chat.exchanges == []
    assert chat.transcript.children == ()
    assert chat.session.history == ()
    assert "switched the dashboard to Insurance" in chat.notice
    assert "Harborline Mutual Insurance" in _text(chat.notice_view.value)
    chat.send("Show my coverage as a chart")
    assert _money(chat, chat.session.persona.total_coverage) in chat.exchanges[-1].reply
    assert chat.exchanges[-1].charts
    assert chat.checker.persona is chat.session.persona  # grounding follows the new persona
    assert chat.exchanges[-1].report is not None
    assert chat.exchanges[-1].report.ok
    assert f"background:{INSURANCE.primary}" in _views(chat)[0].value  # type: ignore[attr-defined]


def test_trigger_with_a_company_or_an_unknown_industry() -> None:
    chat = _chat()
    chat.send("Presto-Change-O, you're a bank called Harbor Federal")
    assert chat.mode.id == "banking"
    assert "Harbor Federal" in chat.header.value
    chat.send("Presto-Change-O, you're an airline")
    assert chat.mode.id == "custom-airline"
    assert 'data-mode="custom-airline"' in chat.header.value
    assert "Airline Co." in _text(chat.header.value)


def test_mode_picker_switches_mode_and_follows_a_typed_trigger() -> None:
    chat = _chat()
    chat.send("What's my checking balance?")
    assert chat.mode_picker.value == "banking"
    assert chat.mode_picker in chat.widget.children
    chat.mode_picker.value = "healthcare"  # what choosing it in the browser does
    assert chat.mode.id == "healthcare"
    assert 'data-mode="healthcare"' in chat.header.value
    assert chat.exchanges == []
    assert chat.session.history == ()
    assert chat.notice.startswith("The mode picker switched the dashboard to Healthcare")
    chat.send("Presto-Change-O, you're an insurer")
    assert chat.mode_picker.value == "insurance"
    chat.send("Presto-Change-O, you're an airline")  # a custom mode joins the picker
    assert chat.mode_picker.value == "custom-airline"
    assert ("Airline — Airline Co. (custom)", "custom-airline") in chat.mode_picker.options
    persona = chat.session.persona
    chat.mode_picker.value = "banking"
    chat.mode_picker.value = "custom-airline"
    assert chat.session.persona == persona  # same session, same customer for the mode
    assert [m.type for m in chat.switch_mode("insurance")] == ["mode_switch"]
    assert chat.mode_picker.value == "insurance"


def test_switching_to_an_unknown_mode_is_refused_and_changes_nothing() -> None:
    chat = _chat()
    assert [m.type for m in chat.switch_mode("airline")] == ["error"]
    assert chat.mode.id == "banking"
    assert "Message refused unknown_mode" in _text(chat.notice_view.value)


def test_chat_error_is_shown_and_the_conversation_kept() -> None:
    pytest.importorskip("openai", reason="the ai extra is not installed")
    from persona_kit.ai import OpenAIResponder

    chat = ChatSimulator(session_id="demo-1", responder=OpenAIResponder(environ={}))
    messages = chat.send("What's my checking balance?")
    assert [m.type for m in messages] == ["chat_start", "chat_error"]  # the dashboards show errors in a bubble
    assert chat.exchanges[-1].error is not None
    assert chat.exchanges[-1].error[0] == "not_configured"
    error = _views(chat)[-1].value  # type: ignore[attr-defined]
    assert 'class="pk-chat-error" role="alert"' in error
    assert "The reply failed not_configured" in _text(error)
    assert "set OPENAI_API_KEY and PERSONA_KIT_MODEL" in _text(error)
    assert _reply_view(chat) == ""  # no empty bubble left behind
    assert chat.session.history == ()


def test_a_reply_cut_off_keeps_its_text_and_says_so() -> None:
    chat = ChatSimulator(session_id="demo-1", responder=Breaks())
    chat.send("What's my checking balance?")
    assert _text(_reply_view(chat)) == "Your checking balance"
    assert chat.exchanges[-1].error is not None
    assert chat.exchanges[-1].error[0] == "responder_failed"
    assert "RuntimeError" in _text(_views(chat)[-1].value)  # type: ignore[attr-defined]
    assert chat.exchanges[-1].report is None
    assert chat.session.history == ()


@pytest.mark.parametrize(("text", "code"), [("", "invalid_message"), ("x" * 70_000, "too_large")])
def test_a_refused_message_is_shown(text: str, code: str) -> None:
    chat = _chat()
    messages = chat.send(text)
    assert [m.type for m in messages] == ["error"]
    assert chat.exchanges[-1].error is not None
    assert chat.exchanges[-1].error[0] == code
    assert "Message refused" in _text(_views(chat)[-1].value)  # type: ignore[attr-defined]


def test_clear_button_clears_the_conversation() -> None:
    chat = _chat()
    chat.send("What's my checking balance?")
    chat.clear_button.click()
    assert chat.exchanges == []
    assert chat.transcript.children == ()
    assert chat.session.history == ()
    assert chat.mode.id == "banking"
    assert "cleared" in chat.notice


def test_an_existing_session_is_used_as_is() -> None:
    session = Session("ws-9", mode="healthcare", responder=SimulatorResponder())
    chat = ChatSimulator(session)
    assert chat.session is session
    chat.send("Show my deductible as a chart")
    p = session.persona
    points = (p.deductible_met > 0) + (p.deductible > p.deductible_met)  # met, remaining; no zero bars
    assert chat.exchanges[-1].charts[0].alt == f"bar chart: Deductible progress ({points} points)"
    assert len(session.history) == 2


def test_the_real_model_code_path_shows_the_same_chat() -> None:
    pytest.importorskip("openai", reason="the ai extra is not installed")
    from persona_kit.ai import OpenAIResponder, simulator_client

    view = Session("demo-1", responder=SimulatorResponder()).view()
    real = ChatSimulator(session_id="demo-1", responder=OpenAIResponder(simulator_client(view.mode, view.persona)))
    offline = _chat()
    for text in ["What's my checking balance?", "Show my balance history as a line chart", "Show my key metrics"]:
        assert real.send(text) == offline.send(text)
    assert real.snapshot().bundles() == offline.snapshot().bundles()


def test_snapshot_is_html_with_each_chart_a_png_output_between() -> None:
    chat = _chat(show_grounding=True)
    for text in ["What's my checking balance?", "Show my spending as a pie chart", "Show my key metrics"]:
        chat.send(text)
    snap = chat.snapshot()
    assert isinstance(snap, ChatSnapshot)
    assert repr(snap) == "<chat snapshot: banking, 3 messages, 1 charts>"
    kinds = ["image/png" if "image/png" in b else "text/html" for b in snap.bundles()]
    assert kinds == ["text/html", "image/png", "text/html"]
    first, chart, last = snap.bundles()
    assert base64.b64decode(chart["image/png"]).startswith(PNG)
    pie = chat.exchanges[1].tools[0].result
    assert chart["text/plain"] == f"pie chart: Spending by category ({len(pie.data)} points)"
    assert "image" not in first["text/html"]
    assert first["text/plain"].splitlines()[:3] == [
        "[Summit National Bank]",
        "You: What's my checking balance?",
        f"Assistant: Your checking balance is {_money(chat, chat.session.persona.checking_balance)}.",
    ]
    assert "-> checking_balance" in first["text/plain"]
    assert f"[metrics: Checking {_money(chat, chat.session.persona.checking_balance)}" in last["text/plain"]
    assert snap.html.count('<img class="pk-chart"') == 1
    assert "0x" not in "".join(b["text/plain"] for b in snap.bundles())


def test_snapshots_are_deterministic_and_display_as_separate_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    def run() -> ChatSnapshot:
        chat = _chat()
        chat.send("Show my balance history as a line chart")
        chat.send("Presto-Change-O, you're an insurer")
        chat.send("Show my premium by policy as a bar chart")
        return chat.snapshot()

    first, second = run(), run()
    assert first.bundles() == second.bundles()
    shown: list[tuple[dict[str, str], bool]] = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw=False: shown.append((bundle, raw)))
    first._ipython_display_()
    assert shown == [(bundle, True) for bundle in first.bundles()]
    assert "Switched" not in shown[0][0]["text/plain"]  # the banking conversation was cleared by the switch
    assert "(“Presto-Change-O, you're an insurer” switched the dashboard" in shown[0][0]["text/plain"]


def test_no_snapshot_is_typeset_as_math() -> None:
    """Two amounts in one output ("$2,832.64 and ... $1,712.33") must not become a LaTeX formula."""
    from persona_kit.widgets import PersonaExplorer
    from persona_kit.widgets.render import NO_MATH

    chat = _chat(show_grounding=True)
    chat.send("Show my balance history as a line chart")
    assert chat.exchanges[-1].reply.count("$") >= 2
    outputs = [b["text/html"] for b in chat.snapshot().bundles() if "text/html" in b]
    outputs += [chat.snapshot().html, chat.grounding_view(chat.exchanges[-1].reply)._repr_html_()]
    outputs.append(PersonaExplorer().snapshot()._repr_html_())
    for html in outputs:
        assert html.startswith(f'<div class="{NO_MATH}">'), html[:80]
    assert set(NO_MATH.split()) == {"tex2jax_ignore", "mathjax_ignore"}  # MathJax 2 and 3 (JupyterLab 4, Voila)


def test_display_bundle_has_the_live_widget_and_a_stable_text_form() -> None:
    chat = _chat()
    chat.send("hello")
    bundle = chat._repr_mimebundle_()
    assert bundle["text/plain"] == "ChatSimulator(session='demo-1', mode='banking', messages=1, grounding=off)"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == chat.widget.model_id


# --- the charts themselves --------------------------------------------------------------------


def _chart(chart_type: str, title: str, points: list[tuple[str, float]]) -> ChartResult:
    return ChartResult.model_validate(
        {"chart_type": chart_type, "title": title, "data": [{"label": k, "value": v} for k, v in points]}
    )


SPENDING = [("Groceries", 154.76), ("Utilities", 114.06), ("Dining", 80.5), ("Transport", 42.0)]
MONTHS = [("2026-05", 700.0), ("2026-06", 720.5), ("2026-07", 731.25)]


@pytest.mark.parametrize("chart_type", ["line", "bar", "area"])
def test_every_chart_has_a_title_and_labelled_axes(chart_type: str) -> None:
    fig = chart_figure(_chart(chart_type, "Spending by category", SPENDING), BANKING, USD)
    (ax,) = fig.axes
    assert ax.get_title() == "Spending by category"
    assert ax.get_xlabel() == "category"
    assert ax.get_ylabel() == "amount (USD)"
    assert [t.get_text() for t in ax.get_xticklabels()] == [k for k, _ in SPENDING]
    written = {t.get_text() for t in ax.texts}
    assert "$154.76" in written  # values are written on the chart in the persona's currency
    assert ax.get_ylim()[0] <= 42.0
    # Axis titles sit at the axis ends, not centred under a tick label ("Dining" over "category").
    assert (ax.xaxis.label.get_position()[0], ax.xaxis.label.get_horizontalalignment()) == (1, "right")
    assert (ax.yaxis.label.get_position()[1], ax.yaxis.label.get_horizontalalignment()) == (1, "right")


def test_pie_chart_legend_names_each_slice_with_its_value() -> None:
    fig = chart_figure(_chart("pie", "Spending by category", SPENDING), BANKING, USD)
    (ax,) = fig.axes
    assert ax.get_title() == "Spending by category"
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_title().get_text() == "category"
    assert [t.get_text() for t in legend.get_texts()] == [f"{k}: {USD.money(v)}" for k, v in SPENDING]
    assert {t.get_text() for t in ax.texts} >= {"40%", "29%", "21%", "11%"}


def test_multi_series_line_chart_has_one_line_per_series_and_a_legend() -> None:
    points = [(f"{m} - {s}", v + (0 if s == "Checking" else 5000)) for m, v in MONTHS for s in ("Checking", "Savings")]
    fig = chart_figure(_chart("line", "Checking and savings balance by month", points), BANKING, USD)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["Checking", "Savings"]
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["Checking", "Savings"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [m for m, _ in MONTHS]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("month", "amount (USD)")


@pytest.mark.parametrize(
    ("title", "points", "labels"),
    [
        ("Credit score by month", MONTHS, ("month", "score (points)")),
        ("Loyalty points by month", MONTHS, ("month", "points")),
        ("Refills remaining", [("Lisinopril", 3.0)], ("medication", "refills left")),
        (
            "Claims by amount",
            [("2025-03 - CLM-1", 500.0), ("2025-06 - CLM-2", 90.0)],
            ("month - claim id", "amount (EUR)"),
        ),
        ("Steps walked", [("Mon", 4000.0)], ("item", "value")),
    ],
)
def test_axis_labels_come_from_title_and_labels(title: str, points: list[tuple[str, float]], labels: object) -> None:
    assert axis_labels(_chart("bar", title, points), "EUR") == labels


def test_charts_are_deterministic_and_ignore_the_notebook_style() -> None:
    import matplotlib as mpl

    chart = _chart("bar", "Spending by category", SPENDING)
    first = chart_png(chart, BANKING, USD)
    with mpl.rc_context({"axes.titlesize": 30, "axes.facecolor": "black", "figure.dpi": 300}):
        second = chart_png(chart, BANKING, USD)
    assert isinstance(first, ChartImage)
    assert first.png == second.png
    assert repr(first) == "<bar chart: Spending by category (4 points)>"


@pytest.mark.parametrize(
    ("metric", "locale", "shown"),
    [
        (MetricValue(label="Checking", value=2242.8, unit="USD"), "en_US", "$2,242.80"),
        (MetricValue(label="Savings", value=36210.67, unit="EUR"), "de_DE", "36.210,67\xa0€"),
        (MetricValue(label="Credit score", value=840, unit="points"), "en_US", "840 points"),
        (MetricValue(label="Loyalty points", value=65059, unit="points"), "de_DE", "65.059 points"),
        (MetricValue(label="Credit utilization", value=2, unit="%"), "en_US", "2%"),
        (MetricValue(label="Status tier", value="Gold", unit="tier"), "en_US", "Gold tier"),
    ],
)
def test_metric_values_read_as_the_dashboard_shows_them(metric: MetricValue, locale: str, shown: str) -> None:
    assert metric_text(metric, locale) == shown


# --- hostile charts: drawn sensibly, or a short note; never an exception ------------------------------------------


@dataclass
class Charts:
    """Answers every message with one ``show_chart`` result, as a careless or hostile model might send it."""

    result: dict[str, object]

    def respond(self, session: SessionView, text: str) -> Iterator[OutboundMessage]:
        yield chat_start_message()
        yield chat_chunk_message("Here it is.")
        yield tool_result_message("show_chart", self.result)
        yield chat_chunk_message("", done=True)


def _points(values: list[float], labels: list[str] | None = None) -> list[dict[str, object]]:
    return [{"label": labels[i] if labels else f"item {i}", "value": v} for i, v in enumerate(values)]


INF, NAN = float("inf"), float("nan")
HOSTILE_CHARTS: dict[str, tuple[dict[str, object], str | None]] = {
    "negative pie": ({"chart_type": "pie", "title": "Split", "data": _points([5, -3, 2])}, "a pie needs values of"),
    "zero-sum pie": ({"chart_type": "pie", "title": "Split", "data": _points([0, 0])}, "add up to zero"),
    "undefined TeX label": (
        {"chart_type": "bar", "title": "Spending", "data": _points([1, 2], [r"$\undefinedcmd$", "b"])},
        None,
    ),
    "broken TeX title": ({"chart_type": "pie", "title": "$x^$", "data": _points([1, 2], ["$x^$", "$5 and $6"])}, None),
    "overflow": ({"chart_type": "area", "title": "Balance", "data": _points([1e308, 1e308])}, "finite figures"),
    "10,000 points": ({"chart_type": "line", "title": "Balance", "data": _points([1.0] * 10_000)}, "10,000 points"),
    "huge labels": (
        {"chart_type": "bar", "title": "T" * 100_000, "data": _points([1, 2], ["x" * 100_000, "y"])},
        None,
    ),
}


@pytest.mark.parametrize("value", [INF, NAN], ids=["infinity", "NaN"])
def test_a_non_finite_chart_is_refused_by_the_session_and_shown_as_an_error(value: float) -> None:
    chat = ChatSimulator(
        session_id="demo-1", responder=Charts({"chart_type": "bar", "title": "S", "data": _points([value, 1])})
    )
    received = chat.send("show me a chart")
    assert [m.type for m in received] == ["chat_start", "chat_chunk", "chat_error"]  # persona_kit.replies refuses it
    assert "not finite" in _text(chat.snapshot().html)


@pytest.mark.parametrize(("result", "note"), HOSTILE_CHARTS.values(), ids=HOSTILE_CHARTS.keys())
def test_a_hostile_chart_is_drawn_or_noted_never_raised(result: dict[str, object], note: str | None) -> None:
    chat = ChatSimulator(session_id="demo-1", responder=Charts(result))
    received = chat.send("show me a chart")
    assert [m.type for m in received] == ["chat_start", "chat_chunk", "tool_result", "chat_chunk"]
    snapshot = chat.snapshot()
    images = [p for p in snapshot.parts if isinstance(p, ChartImage)]
    shown = _text(snapshot.html)
    if note is None:
        assert len(images) == 1
        assert images[0].png.startswith(PNG)
        assert len(images[0].alt) < 200
    else:
        assert images == []
        assert "could not draw this chart: " in shown
        assert note in shown
        assert "chat snapshot: banking, 1 messages, 0 charts" in repr(snapshot)
    assert "Here it is." in shown  # the reply around the chart still shows
