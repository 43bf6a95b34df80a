"""``show_chart`` and ``show_metrics`` results built from a persona.

Current values come straight from the persona. A persona holds no history, so
a trend is drawn backwards from today's value: each earlier month moves away
from it by a deterministic amount keyed by the persona's content (BLAKE2b,
never ``hash()`` or a global RNG), and the last point is always the exact
current value. No point is ever zero; multi-series labels read ``2025-01 - Checking``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel.numbers import get_currency_precision

from persona_kit.ai.intents import ChartType
from persona_kit.generate import Persona
from persona_kit.protocol import ToolResultMessage, tool_result_message

HISTORY_MONTHS = 6
"""Months in a trend chart, the current month included."""


def persona_key(persona: Persona) -> bytes:
    """A digest of the persona's content: the key every derived history is drawn from."""
    return hashlib.blake2b(persona.model_dump_json().encode("utf-8"), digest_size=16, person=b"pk.ai.chart").digest()


def unit_draw(key: bytes, *parts: object) -> float:
    """A deterministic number in [0, 1) for ``parts`` under ``key``."""
    label = "\x1f".join(str(p) for p in parts).encode("utf-8")
    digest = hashlib.blake2b(label, digest_size=8, key=key).digest()
    return int.from_bytes(digest, "big") / 2**64


def month_labels(as_of: dt.date, months: int = HISTORY_MONTHS) -> list[str]:
    """``YYYY-MM`` for the ``months`` months ending with the month of ``as_of``, oldest first."""
    out = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(as_of.year * 12 + as_of.month - 1 - back, 12)
        out.append(f"{year:04d}-{month + 1:02d}")
    return out


@cache
def _decimals(currency: str) -> int:
    return int(get_currency_precision(currency))


def money_value(amount: float, currency: str) -> float:
    """An amount rounded to the currency's minor unit, as a chart or metric value."""
    return round(amount, _decimals(currency))


@dataclass(frozen=True)
class Trend:
    """How a history is drawn back from the current value."""

    spread: float = 0.25
    """Largest relative distance of the oldest month from today's value."""
    jitter: float = 0.04
    """Month-to-month wobble, relative to today's value."""
    low: float | None = None
    high: float | None = None
    integer: bool = False
    decimals: int = 2


def trend(key: bytes, name: str, current: float, shape: Trend, months: int = HISTORY_MONTHS) -> list[float]:
    """A history of ``months`` values, oldest first, trending to ``current`` (the last value, exact)."""
    scale = abs(current) or 1.0
    drift = (unit_draw(key, name, "drift") * 2 - 1) * shape.spread * scale
    values: list[float] = []
    for back in range(months - 1, 0, -1):
        wobble = (unit_draw(key, name, back) * 2 - 1) * shape.jitter * scale
        value = current - drift * back / (months - 1) + wobble
        if shape.low is not None:
            value = max(shape.low, value)
        if shape.high is not None:
            value = min(shape.high, value)
        values.append(_nonzero(value, current, shape))
    values.append(float(current) if not shape.integer else float(round(current)))
    return values


def cumulative(key: bytes, name: str, current: float, months: int, decimals: int = 2) -> list[float]:
    """A running total over ``months`` months that only grows and ends exactly at ``current`` (> 0)."""
    steps = [0.2 + unit_draw(key, name, i) for i in range(months)]
    total = sum(steps)
    running, out = 0.0, []
    for step in steps[:-1]:
        running += step
        out.append(max(round(current * running / total, decimals), 10.0**-decimals))
    out.append(current)
    return out


def _nonzero(value: float, current: float, shape: Trend) -> float:
    rounded = float(round(value)) if shape.integer else round(value, shape.decimals)
    if rounded == 0:
        step = 1.0 if shape.integer else 10.0**-shape.decimals
        return step if current >= 0 else -step
    return rounded


def series_points(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> list[tuple[str, float]]:
    """Points grouped by label; with more than one series each label reads ``"2025-01 - Checking"``."""
    if len(series) == 1:
        return list(zip(labels, series[0][1], strict=True))
    return [(f"{label} - {name}", values[i]) for i, label in enumerate(labels) for name, values in series]


def chart_result(chart_type: ChartType, title: str, points: Sequence[tuple[str, float]]) -> ToolResultMessage | None:
    """A ``show_chart`` tool result; zero points are dropped, and no points means no chart."""
    data = [{"label": label, "value": value} for label, value in points if value != 0]
    if not data:
        return None
    return tool_result_message("show_chart", {"chart_type": chart_type, "title": title, "data": data})


def metrics_result(metrics: Sequence[tuple[str, float | int | str, str]]) -> ToolResultMessage:
    """A ``show_metrics`` tool result: ``(label, value, unit)`` per card."""
    cards = [{"label": label, "value": value, "unit": unit} for label, value, unit in metrics]
    return tool_result_message("show_metrics", {"metrics": cards})
