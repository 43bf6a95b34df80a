"""What the widgets show, as plain values and HTML strings: metrics, tables, the card, a JSON tree.

Nothing here touches ipywidgets, so every rendering is a pure function a test
can call and a notebook can display as static HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import typing
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel

from persona_kit.formatting import Formatter, formatter_for
from persona_kit.generate import Persona
from persona_kit.industries import industry_of
from persona_kit.models.modes import Mode

FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',sans-serif"
MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Noto Sans Mono',monospace"
_KEY_METRICS = 3


@dataclass(frozen=True, repr=False)
class Snapshot:
    """Static HTML a notebook renders as is: readable without a kernel or a widget manager."""

    html: str
    title: str

    def _repr_html_(self) -> str:
        return without_math(self.html)

    def __repr__(self) -> str:
        return f"<{self.title}>"


def escape(value: object) -> str:
    """Text made safe to put inside HTML."""
    return html.escape(str(value))


NO_MATH = "tex2jax_ignore mathjax_ignore"
"""The classes MathJax 2 and 3 skip (the pair pandas uses): what JupyterLab, Voilà and Notebook typeset otherwise."""


def without_math(fragment: str) -> str:
    """HTML wrapped so no renderer typesets it: "$2,832.64 and $1,712.33" is two amounts, not a formula.

    Escaping ``$`` as ``&#36;`` would not help: MathJax reads the text after the HTML is parsed.
    """
    return f'<div class="{NO_MATH}">{fragment}</div>'


# --- what a persona shows ------------------------------------------------------


def persona_metrics(persona: Persona) -> dict[str, str]:
    """The persona's metrics, label to formatted value, headline metrics first (``Industry.card_metrics``)."""
    return industry_of(persona).card_values(persona)


def headline_metrics(persona: Persona, mode: Mode) -> list[str]:
    """The metric labels the card header shows: the mode's default metrics where the persona has them."""
    metrics = persona_metrics(persona)
    wanted = [m.label for m in mode.default_metrics if m.label in metrics]
    return wanted or list(metrics)[:_KEY_METRICS]


def _item_model(annotation: Any) -> type[BaseModel] | None:
    """``Transaction`` from ``list[Transaction]``; None for a field that is not a list of models."""
    if typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def label(field: str) -> str:
    """A field name as a heading: ``recent_transactions`` -> ``Recent transactions``."""
    return field.replace("_", " ").capitalize()


def _cell(value: object, fmt: Formatter) -> str:
    if value is None:  # not applicable (a ticket not resolved yet)
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return fmt.day(value)
    if isinstance(value, float):  # every float in a child table is an amount of money
        return fmt.money(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt.number(value)
    return str(value)


def persona_tables(persona: Persona) -> dict[str, pd.DataFrame]:
    """One DataFrame per list field, values formatted with the persona's currency and dates."""
    fmt = formatter_for(persona)
    tables: dict[str, pd.DataFrame] = {}
    for name, field in type(persona).model_fields.items():
        item = _item_model(field.annotation)
        if item is None:
            continue
        columns = list(item.model_fields)
        rows = [[_cell(getattr(row, c), fmt) for c in columns] for row in getattr(persona, name)]
        tables[name] = pd.DataFrame(rows, columns=[label(c) for c in columns], dtype=object)
    return tables


# --- HTML ----------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS hex colour."""
    hexes = colour.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ink_on(background: str, dark: str) -> str:
    """White or the theme's dark text colour, whichever contrasts more with ``background``."""
    contrast_white = 1.05 / (_luminance(background) + 0.05)
    contrast_dark = (_luminance(background) + 0.05) / (_luminance(dark) + 0.05)
    return "#FFFFFF" if contrast_white >= contrast_dark else dark


def persona_card_html(persona: Persona, mode: Mode) -> str:
    """The dashboard header: company, name, who the customer is, headline metrics in theme colours."""
    theme, fmt, ident = mode.theme, formatter_for(persona), persona.identity
    metrics = persona_metrics(persona)
    card = industry_of(persona).card
    since = card.since(persona)
    facts = [f"age {ident.age}", f"{ident.address.city}, {ident.address.region}"]
    if since is not None:
        facts.append(f"{since[0]} {fmt.day(since[1])}")
    facts += card.header_facts(persona)
    chips = "".join(
        '<div style="background:rgba(255,255,255,0.16);border-radius:8px;padding:6px 12px;min-width:120px">'
        f'<div style="font-size:11px;opacity:0.85">{escape(k)}</div>'
        f'<div style="font-size:18px;font-weight:700">{escape(metrics[k])}</div></div>'
        for k in headline_metrics(persona, mode)
    )
    tagline = f" — {escape(mode.tagline)}" if mode.tagline else ""
    return (
        f'<div class="persona-card" data-mode="{escape(mode.id)}" style="font-family:{FONT};max-width:880px;'
        f"border-radius:12px;overflow:hidden;border:1px solid {theme.text_muted};background:{theme.background};"
        f'color:{theme.text}">'
        f'<div style="background:{theme.primary};color:{ink_on(theme.primary, theme.text)};padding:14px 20px;'
        f'border-bottom:4px solid {theme.secondary}">'
        '<div style="font-size:12px;letter-spacing:0.06em;text-transform:uppercase;opacity:0.9">'
        f"{escape(mode.company_name)}{tagline}</div>"
        '<div class="persona-name" style="font-size:24px;font-weight:700;margin-top:4px">'
        f"{escape(persona.name)}</div>"
        f'<div style="font-size:13px;opacity:0.9">{escape(" · ".join(facts))}</div>'
        f'<div style="font-size:12px;opacity:0.8">{escape(ident.email)} · {escape(ident.phone)}</div>'
        f'<div style="display:flex;flex-wrap:wrap;gap:10px;margin-top:12px">{chips}</div>'
        "</div></div>"
    )


def persona_metrics_html(persona: Persona, mode: Mode) -> str:
    """The metrics row under the header: one tile per metric the header does not already show."""
    theme = mode.theme
    shown = set(headline_metrics(persona, mode))
    tiles = "".join(
        f'<div style="background:{theme.surface};border:1px solid {theme.text_muted}40;'
        f'border-left:4px solid {theme.primary};border-radius:8px;padding:8px 12px;min-width:140px">'
        f'<div style="font-size:11px;color:{theme.text_muted}">{escape(name)}</div>'
        f'<div style="font-size:16px;font-weight:600;color:{theme.text}">{escape(value)}</div></div>'
        for name, value in persona_metrics(persona).items()
        if name not in shown
    )
    return (
        f'<div class="persona-metrics" style="font-family:{FONT};display:flex;flex-wrap:wrap;gap:8px;'
        f'max-width:880px;padding:8px 0">{tiles}</div>'
    )


def _table_html(title: str, frame: pd.DataFrame, numeric: set[str], mode: Mode) -> str:
    theme = mode.theme
    cell = "padding:4px 10px;white-space:nowrap;text-align:"
    align = ["right" if c in numeric else "left" for c in frame.columns]
    head = "".join(
        f'<th style="{cell}{a};border-bottom:2px solid {theme.primary};color:{theme.text}">{escape(c)}</th>'
        for c, a in zip(frame.columns, align, strict=True)
    )
    body = "".join(
        f'<tr style="background:{theme.surface if i % 2 else theme.background}">'
        + "".join(f'<td style="{cell}{a};color:{theme.text}">{escape(v)}</td>' for v, a in zip(row, align, strict=True))
        + "</tr>"
        for i, row in enumerate(frame.itertuples(index=False, name=None))
    )
    empty = "" if len(frame) else f'<p style="color:{theme.text_muted};margin:4px 0">None on file.</p>'
    return (
        f'<div class="persona-table" style="font-family:{FONT};margin:8px 0">'
        f'<div style="font-weight:600;color:{theme.primary};margin-bottom:4px">{escape(title)} ({len(frame)})</div>'
        f'<table style="border-collapse:collapse;font-size:13px"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{empty}</div>"
    )


def persona_tables_html(persona: Persona, mode: Mode) -> dict[str, str]:
    """Each list field as a themed HTML table, keyed by field name; amounts and counts right-aligned."""
    out: dict[str, str] = {}
    for name, frame in persona_tables(persona).items():
        item = _item_model(type(persona).model_fields[name].annotation)
        fields = item.model_fields.items() if item else ()
        numeric = {label(c) for c, f in fields if f.annotation in (float, int)}
        out[name] = _table_html(label(name), frame, numeric, mode)
    return out


def _json_node(key: str, value: object, depth: int, open_depth: int) -> str:
    name = f'<span style="color:#7C3AED">{escape(json.dumps(key, ensure_ascii=False))}</span>: ' if key else ""
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else ((str(i), v) for i, v in enumerate(value))
        brackets = "{}" if isinstance(value, dict) else "[]"
        count = f"{len(value)} {'keys' if isinstance(value, dict) else 'items'}"
        children = "".join(_json_node(k, v, depth + 1, open_depth) for k, v in items)
        opened = " open" if depth < open_depth else ""
        return (
            f'<details{opened} style="margin-left:{14 if depth else 0}px"><summary>{name}{brackets[0]}…{brackets[1]}'
            f' <span style="color:#64748B">{count}</span></summary>{children}</details>'
        )
    text = escape(json.dumps(value, ensure_ascii=False))
    return f'<div style="margin-left:{14 if depth else 0}px">{name}<span style="color:#0F766E">{text}</span></div>'


def json_tree_html(data: object, *, open_depth: int = 2) -> str:
    """JSON as a collapsible tree (``<details>`` per object and array), the top levels open."""
    return (
        f'<div class="json-tree" style="font-family:{MONO};font-size:12px">{_json_node("", data, 0, open_depth)}</div>'
    )
