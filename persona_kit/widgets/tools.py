"""How the dashboard's two tools render in a notebook: ``show_chart`` as a matplotlib chart, ``show_metrics`` as tiles.

A ``show_chart`` result carries only a chart type, a title and labelled values,
so the axes of the simulator's own charts come from the industry's declared
charts (``Industry.charts``); for any other chart (a real model's) they are read
from it: months on the x axis when the labels are months (``2026-03``, or
``2026-03 - Checking`` for one line per series), the persona's currency on the
y axis when the title names money. Charts are drawn
on a bare :class:`matplotlib.figure.Figure` (no pyplot, no global figure) with
a fixed style, so a notebook's own matplotlib settings cannot change them.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persona_kit.formatting import Formatter, format_money, format_number
from persona_kit.industries.registry import ChartDef
from persona_kit.models.modes import Theme
from persona_kit.protocol import ChartResult, MetricsResult, MetricValue
from persona_kit.widgets.render import escape, ink_on

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

PALETTE = ("#F59E0B", "#64748B", "#EC4899", "#0EA5E9", "#84CC16", "#A855F7", "#EF4444", "#14B8A6")
"""Colours after the theme's primary and secondary, for further series and pie slices."""

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_SERIES = re.compile(r"^(\d{4}-\d{2}) - (.+)$")
_MONEY_WORDS = re.compile(r"balance|spend|coverage|premium|deductible|pocket|claim|credit|amount|value|cost|pa(?:id|y)")
_VALUE_AXIS = (("score", "score (points)"), ("point", "points"), ("refill", "refills left"), ("visit", "visits"))
_CATEGORY_AXIS = (
    ("by category", "category"), ("by policy", "policy"), ("claim", "month - claim id"), ("refill", "medication"),
    ("deductible", "deductible"), ("out-of-pocket", "out-of-pocket maximum"), ("credit", "credit limit"),
)  # fmt: skip
_ANNOTATE_ALL = 8  # a single line of at most this many points gets every value written on it
_STYLE: dict[RcKeyType, Any] = {
    "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold", "axes.labelsize": 10, "axes.grid": True,
    "axes.grid.axis": "y", "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
    "legend.frameon": False, "savefig.dpi": 100, "savefig.facecolor": "white",
    # Axis titles at the axis ends, muted: centred, "category" under the middle tick read as "Gas category".
    "xaxis.labellocation": "right", "yaxis.labellocation": "top", "axes.labelcolor": "#64748B",
    "axes.labelpad": 6,
}  # fmt: skip


@dataclass(frozen=True, repr=False)
class ChartImage:
    """A rendered ``show_chart`` result: PNG bytes and a text alternative."""

    png: bytes
    alt: str

    def img_html(self) -> str:
        """The chart as an ``<img>`` with the PNG inline."""
        data = base64.b64encode(self.png).decode("ascii")
        return f'<img class="pk-chart" alt="{escape(self.alt)}" src="data:image/png;base64,{data}">'

    def __repr__(self) -> str:
        return f"<{self.alt}>"


def chart_series(chart: ChartResult) -> tuple[list[str], dict[str, list[float]]] | None:
    """Months and one value list per series, for labels like ``2025-01 - Checking`` covering every month."""
    matches = [_SERIES.match(p.label) for p in chart.data]
    series: dict[str, dict[str, float]] = {}
    for match, point in zip(matches, chart.data, strict=True):
        if match is None:
            return None
        series.setdefault(match.group(2), {})[match.group(1)] = float(point.value)
    months = list(dict.fromkeys(m.group(1) for m in matches if m))
    if len(series) < 2 or any(len(values) != len(months) for values in series.values()):
        return None
    return months, {name: [values[month] for month in months] for name, values in series.items()}


def axis_labels(chart: ChartResult, currency: str, declared: ChartDef | None = None) -> tuple[str, str]:
    """Labels for the category (x) and value (y) axes: as the industry declares them for its own charts
    (``Industry.charts``), else read from the title and the point labels (a model's charts)."""
    if declared is not None:
        return declared.x, declared.y.format(currency=currency)
    title = chart.title.casefold()
    if chart_series(chart) is not None or all(_MONTH.match(p.label) for p in chart.data):
        x = "month"
    else:
        x = next((label for word, label in _CATEGORY_AXIS if word in title), "item")
    y = next((label for word, label in _VALUE_AXIS if word in title), "")
    return x, y or (f"amount ({currency})" if _MONEY_WORDS.search(title) else "value")


def _hex(rgba: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgba[:3])


def chart_figure(chart: ChartResult, theme: Theme, fmt: Formatter, declared: ChartDef | None = None) -> Figure:
    """The chart as a matplotlib Figure: titled, axes labelled, values in the persona's locale and currency."""
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    x_label, y_label = axis_labels(chart, fmt.currency, declared)
    money = y_label.startswith("amount")
    colours = [theme.primary, theme.secondary, *PALETTE]

    def text(value: float) -> str:
        return fmt.money(value) if money else fmt.number(round(value) if float(value).is_integer() else value)

    with mpl.rc_context():
        mpl.rcdefaults()  # a notebook's own style must not change the dashboard's charts
        mpl.rcParams.update(_STYLE)
        fig = Figure(figsize=(7.2, 3.6))
        ax = fig.add_subplot()
        labels, values = [p.label for p in chart.data], [float(p.value) for p in chart.data]
        if chart.chart_type == "pie":
            wedges, _texts, shares = ax.pie(
                values, colors=[colours[i % len(colours)] for i in range(len(values))], startangle=90,
                counterclock=False, autopct=lambda pct: f"{pct:.0f}%" if pct >= 5 else "", pctdistance=0.72,
                wedgeprops={"edgecolor": "white", "linewidth": 1.5},
            )  # fmt: skip
            for wedge, share in zip(wedges, shares, strict=True):
                share.set_color(ink_on(_hex(wedge.get_facecolor()), theme.text))
            legend = [f"{label}: {text(value)}" for label, value in zip(labels, values, strict=True)]
            ax.legend(wedges, legend, title=x_label, loc="center left", bbox_to_anchor=(1.0, 0.5))
            ax.set_aspect("equal")
        else:
            split = chart_series(chart)
            xs, lines = split if split else (labels, {"": values})
            pos = list(range(len(xs)))
            width = 0.8 / len(lines)
            for i, (name, ys) in enumerate(lines.items()):
                colour = colours[i % len(colours)]
                if chart.chart_type == "bar":
                    offset = (i - (len(lines) - 1) / 2) * width
                    bars = ax.bar([p + offset for p in pos], ys, width, color=colour, label=name or None)
                    ax.bar_label(bars, labels=[text(y) for y in ys], padding=2, fontsize=8, color=theme.text)
                    continue
                ax.plot(pos, ys, marker="o", linewidth=2, color=colour, label=name or None)
                if chart.chart_type == "area":
                    ax.fill_between(pos, ys, alpha=0.25, color=colour)
                marked = pos if len(lines) == 1 and len(pos) <= _ANNOTATE_ALL else pos[-1:]
                for p in marked:
                    ax.annotate(text(ys[p]), (p, ys[p]), textcoords="offset points", xytext=(0, 7), ha="center",
                                fontsize=8, color=theme.text)  # fmt: skip
            crowded = sum(len(x) for x in xs) > 60 or max(len(x) for x in xs) > 24
            ax.set_xticks(pos, xs, rotation=25 if crowded else 0, ha="right" if crowded else "center")
            ax.set(xlabel=x_label, ylabel=y_label)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(round(v, 2))))
            ax.margins(x=0.08, y=0.2)
            if chart.chart_type in {"bar", "area"} and min(values) >= 0:
                ax.set_ylim(0, max(values) * 1.15)
            if len(lines) > 1:
                ax.legend()
        ax.set_title(chart.title, color=theme.text)
        fig.tight_layout()
    return fig


def chart_png(chart: ChartResult, theme: Theme, fmt: Formatter, declared: ChartDef | None = None) -> ChartImage:
    """The chart rendered to PNG, without a timestamp or software tag: same chart, same bytes."""
    import matplotlib as mpl

    fig = chart_figure(chart, theme, fmt, declared)
    buffer = io.BytesIO()
    with mpl.rc_context(_STYLE):
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return ChartImage(buffer.getvalue(), f"{chart.chart_type} chart: {chart.title} ({len(chart.data)} points)")


def metric_text(metric: MetricValue, locale: str) -> str:
    """A metric's value as its tile shows it: money in the locale's pattern, else the value and its unit."""
    value, unit = metric.value, metric.unit
    if isinstance(value, str):
        return value if unit.casefold() in value.casefold() else f"{value} {unit}".strip()
    if re.fullmatch(r"[A-Z]{3}", unit):
        return format_money(value, unit, locale)
    number = format_number(value, locale)
    return f"{number}%" if unit == "%" else f"{number} {unit}".strip()


def metrics_html(result: MetricsResult, theme: Theme, locale: str) -> str:
    """``show_metrics`` as a row of tiles in the mode's colours."""
    tiles = "".join(
        f'<div class="pk-tile" style="background:{theme.surface};border:1px solid {theme.text_muted}40;'
        f'border-top:4px solid {theme.primary};border-radius:8px;padding:8px 12px;min-width:130px">'
        f'<div style="font-size:11px;color:{theme.text_muted}">{escape(m.label)}</div>'
        f'<div style="font-size:18px;font-weight:700;color:{theme.text}">{escape(metric_text(m, locale))}</div></div>'
        for m in result.metrics
    )
    return f'<div class="pk-metrics" style="display:flex;flex-wrap:wrap;gap:8px;margin:6px 0">{tiles}</div>'
