"""How numbers read in a report: one place for units, currencies and changes."""

from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "AUD": "A$",
                    "CAD": "C$", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "PLN": "PLN "}
UNDEFINED = "n/a"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    value = abs(value)
    digits = 0 if value >= 1000 else 2
    return f"{sign}{symbol}{value:,.{digits}f}"


def value(value, unit: str, currency: str = "EUR") -> str:
    """A KPI value as shown: '€12,345', '3.21%', '4.20', '12,345'; undefined is 'n/a'."""
    if is_missing(value):
        return UNDEFINED
    if unit == "currency":
        return money(value, currency)
    if unit == "percent":
        return f"{value * 100:.2f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.2f}"


def change(rel) -> str:
    """A relative change as '+7.7%' / '-3.0%'; undefined is 'n/a'."""
    if is_missing(rel):
        return UNDEFINED
    return f"{rel * 100:+.1f}%"


def change_words(rel) -> str:
    """'up 7.7%', 'down 3.0%', 'unchanged'; 'n/a' when undefined."""
    if is_missing(rel):
        return UNDEFINED
    if abs(rel) < 0.0005:
        return "unchanged"
    return f"{'up' if rel > 0 else 'down'} {abs(rel) * 100:.1f}%"


def hours(h) -> str:
    """Hours of work as '42.5 h'; 'n/a' when undefined."""
    return UNDEFINED if is_missing(h) else f"{h:,.1f} h"


def share(rel) -> str:
    """A share as a whole percent, '85%'; 'n/a' when undefined."""
    return UNDEFINED if is_missing(rel) else f"{rel * 100:.0f}%"
