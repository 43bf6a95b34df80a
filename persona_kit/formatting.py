"""Locale-aware formatting shared by the prompt, the simulator and the grounding check.

One formatter for all three is the point: a value quoted in a reply is
grounded only if it is spelled exactly as the prompt spelled it. Babel (CLDR
data) supplies the currency and date patterns for each locale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

from persona_kit.data import locale_spec

if TYPE_CHECKING:
    from persona_kit.models.identity import Address


@cache
def _decimals(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


def format_money(amount: float, currency: str, locale: str) -> str:
    """``-$1,234.50``, ``1.234,50 €``, ``￥1,235`` — the locale's own currency pattern."""
    return str(format_currency(round(amount, _decimals(currency)), currency, locale=locale))


def format_address(address: Address, locale: str) -> str:
    """One line in the locale's own order: ``12 Elm St, Springfield, IL 62701``, ``Hauptstraße 5, 10115 Berlin``."""
    fields = {"street": address.street, "city": address.city, "region": address.region, "postcode": address.postcode}
    return locale_spec(locale).address_format.format_map(fields).strip()


def format_day(value: dt.date, locale: str) -> str:
    """A date in the locale's medium style: ``Jul 1, 2026``, ``01.07.2026``, ``2026/07/01``."""
    return str(_babel_date(value, format="medium", locale=locale))


def format_number(value: float, locale: str) -> str:
    """A plain number with the locale's grouping: ``1,234`` / ``1.234`` / ``1 234``."""
    return str(format_decimal(value, locale=locale))


def format_share(value: float, locale: str) -> str:
    """A ratio as a percentage, no decimals: ``23%``."""
    return str(format_percent(value, format="#,##0%", locale=locale))


@dataclass(frozen=True)
class Formatter:
    """Formatting bound to one persona's locale and currency."""

    locale: str
    currency: str

    def money(self, amount: float) -> str:
        """Amount in the persona's currency."""
        return format_money(amount, self.currency, self.locale)

    def day(self, value: dt.date) -> str:
        """Date in the persona's locale."""
        return format_day(value, self.locale)

    def number(self, value: float) -> str:
        """Grouped number."""
        return format_number(value, self.locale)

    def share(self, value: float) -> str:
        """Percentage."""
        return format_share(value, self.locale)


def formatter_for(persona: object) -> Formatter:
    """The formatter for a persona model (any kind)."""
    identity = getattr(persona, "identity", None)
    if identity is None:
        msg = f"expected a persona model with an identity block, got {type(persona).__name__}"
        raise TypeError(msg)
    return Formatter(identity.locale, identity.currency)
