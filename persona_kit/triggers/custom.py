"""Modes built from a chat request: a custom mode for an industry no mode covers, a mode renamed for a company."""

from __future__ import annotations

import hashlib
import re

from persona_kit.models.modes import CUSTOM_KIND, Metric, Mode, Tab, Theme
from persona_kit.modes import ModeCatalogue

MAX_COMPANY_CHARS = 60
"""A company name (typed in chat, or given to :func:`custom_mode` or :func:`with_company`) is cut to this length."""
MAX_INDUSTRY_CHARS = 60
"""An industry name is cut to this many characters: a word can be as long as the message."""
MAX_SLUG_CHARS = 48

CUSTOM_THEME = Theme(
    primary="#334155",
    secondary="#6366F1",
    background="#F8FAFC",
    surface="#FFFFFF",
    text="#0F172A",
    text_muted="#64748B",
)


def _slug(text: str) -> str:
    """An id-safe slug. Text that is not plain ASCII, or whose slug is cut to fit an id, also gets a short stable
    digest of the whole text, so ids stay distinct ("x" * 49 and "x" * 50 are two industries)."""
    folded = text.casefold()
    whole = "-".join(re.findall(r"[a-z0-9]+", folded))
    slug = whole[:MAX_SLUG_CHARS].strip("-")
    if slug and folded.isascii() and len(whole) <= MAX_SLUG_CHARS:
        return slug
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=4, person=b"persona_kit.md").hexdigest()
    return f"{slug}-{digest}" if slug else digest


def custom_mode(industry: str, company_name: str | None = None) -> Mode:
    """A custom mode for an industry no mode covers, with a generic persona.

    The industry is cut to ``MAX_INDUSTRY_CHARS`` and the company to ``MAX_COMPANY_CHARS`` characters. Both are
    kept as typed (HTML included): the wire is JSON, and whoever renders them as HTML escapes them.
    """
    label = " ".join(industry.split())[:MAX_INDUSTRY_CHARS].strip()
    if not label:
        msg = "industry must name something, e.g. 'airline'"
        raise ValueError(msg)
    title = " ".join(word[:1].upper() + word[1:] for word in label.split())
    company = _company_name(company_name) or f"{title} Co."
    return Mode(
        id=f"custom-{_slug(label)}",
        name=title,
        company_name=company,
        tagline=f"Your {label} partner",
        persona_kind=CUSTOM_KIND,
        theme=CUSTOM_THEME,
        tabs=[
            Tab(id="overview", label="Overview", icon="home"),
            Tab(id="activity", label="Activity", icon="activity"),
            Tab(id="rewards", label="Rewards", icon="star"),
        ],
        system_prompt=(
            f"You are the virtual assistant of {company}, a {label} business. You help the customer with their "
            "account: account value, activity, loyalty points and status tier. Answer with the customer's exact "
            "figures from the context below, be concise and friendly, and never invent accounts or numbers. "
            "When a chart or metrics help, call show_chart or show_metrics."
        ),
        default_metrics=[
            Metric(label="Account value", value="amount", unit="currency"),
            Metric(label="Loyalty points", value="count", unit="points"),
            Metric(label="Status tier", value="tier", unit=""),
        ],
    )


def _company_name(name: str | None) -> str | None:
    return " ".join(name.split())[:MAX_COMPANY_CHARS].strip() or None if name else None


def with_company(mode: Mode, company_name: str) -> Mode:
    """``mode`` branded for another company (cut to ``MAX_COMPANY_CHARS``): its name, and the prompt that says it."""
    company_name = _company_name(company_name) or mode.company_name
    prompt = mode.system_prompt.replace(mode.company_name, company_name)
    return mode.model_copy(update={"company_name": company_name, "system_prompt": prompt})


def mode_for(industry: str, mode_id: str | None, company_name: str | None, modes: ModeCatalogue) -> Mode:
    """The mode a request asks for: a catalogue mode (renamed if a company was given) or a new custom one."""
    mode: Mode | None = None
    if mode_id is not None and mode_id in modes:
        mode = modes.get(mode_id)
    if mode is None:
        wanted = industry.casefold()
        mode = next((m for m in modes if wanted in (m.id.casefold(), m.name.casefold())), None)
    if mode is None:
        return custom_mode(industry, company_name)
    return with_company(mode, company_name) if company_name else mode


__all__ = ["CUSTOM_THEME", "MAX_COMPANY_CHARS", "MAX_INDUSTRY_CHARS", "custom_mode", "mode_for", "with_company"]
