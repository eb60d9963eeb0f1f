"""How numbers and dates read in a report: one place for units, currencies, changes and dates,
in the current locale (:mod:`reportkit.core.i18n`), with Babel's CLDR data.

``en_US`` reads as the report always has (``€12,345``, ``3.21%``, ``13 Oct 2026``, ``October
2026``); another locale uses its own separators, symbols, order and month names
(``190.680 €``, ``3,21 %``, ``13. Okt. 2026``, ``13.–15. Okt. 2026`` in ``de_DE``). Amounts of
1,000 or more are shown without cents, smaller ones with them, in every locale.

Numbers are handed to Babel as exact :class:`~decimal.Decimal` values of the floats, so
rounding is the same half-even rounding Python's own formatting does.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_currency, format_decimal, get_currency_symbol, parse_pattern

from reportkit.core.i18n import _, babel_locale, current

UNDEFINED = "n/a"  # the English word; undefined() gives it in the current language


def undefined() -> str:
    """'n/a' in the current language: a value that cannot be computed (never 0)."""
    return _("n/a")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _exact(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(float(value))


def _english() -> bool:
    """The house style of the English report (``en_US``): day-month-year dates."""
    return current() == "en_US"


# ---- numbers -------------------------------------------------------------------------------

def number(value, digits: int = 0, grouping: bool = True) -> str:
    """``12,345`` / ``12.345`` (de) / ``12 345`` (fr) with ``digits`` decimals."""
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * digits if digits else "")
    return format_decimal(_exact(value), pattern, locale=babel_locale())


def percent(fraction, digits: int = 2, signed: bool = False) -> str:
    """A fraction as a percentage in the locale's style: ``3.21%``, ``3,21 %`` (de);
    ``signed`` writes ``+`` before a rise (a fall always has its ``-``)."""
    loc = babel_locale()
    scaled = float(fraction) * 100  # scaled as a float, as Python's own "%" formatting does
    pattern = parse_pattern(loc.percent_formats[None].pattern)
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    digits_text = format_decimal(_exact(abs(scaled)), "0" + ("." + "0" * digits if digits else ""),
                                 locale=loc)
    negative = scaled < 0 or (scaled == 0 and math.copysign(1.0, scaled) < 0)
    sign = symbols["minusSign"] if negative else (symbols["plusSign"] if signed else "")
    text = pattern.prefix[0] + digits_text + pattern.suffix[0]
    return sign + text.replace("%", symbols["percentSign"])


def currency_symbol(currency: str) -> str:
    """The symbol of an ISO 4217 code in the current locale (``€``, ``$``, ``CHF``)."""
    return get_currency_symbol(currency, locale=babel_locale())


@lru_cache(maxsize=None)
def _money_pattern(locale: str, cents: bool) -> str:
    from reportkit.core.i18n import _locale
    pattern = _locale(locale).currency_formats["standard"].pattern.split(";")[0]
    return pattern if cents else re.sub(r"0\.0+", "0", pattern, count=1)


def money(value: float, currency: str) -> str:
    """``€12,345`` (1,000 or more: no cents), ``€12.34``; ``190.680 €`` in ``de_DE``. A symbol
    made of letters (``CHF``) is kept apart from the digits by a no-break space."""
    amount = _exact(value) if value != 0 else Decimal(0)  # -0.0 is no loss
    pattern = _money_pattern(current(), abs(amount) < 1000)
    text = format_currency(amount, currency, pattern, locale=babel_locale(), currency_digits=False)
    return _spaced(text, currency, pattern)


def money_tick(value: float, currency: str) -> str:
    """A chart's money tick: ``€1,000``, ``€2.50``, ``-€50``; ``1.000 €`` (de): cents only
    when the tick has them."""
    amount = _exact(value) if value != 0 else Decimal(0)
    pattern = _money_pattern(current(), not float(value).is_integer())
    text = format_currency(amount, currency, pattern, locale=babel_locale(), currency_digits=False)
    return _spaced(text, currency, pattern)


def _spaced(text: str, currency: str, pattern: str) -> str:
    symbol = currency_symbol(currency)
    if symbol[-1:].isalpha() and pattern.lstrip("-").startswith("¤") and symbol + "\u00a0" not in text:
        return text.replace(symbol, symbol + "\u00a0", 1)
    return text


def value(value, unit: str, currency: str = "EUR") -> str:
    """A KPI value as shown: '€12,345', '3.21%', '4.20', '12,345'; undefined is 'n/a'."""
    if is_missing(value):
        return undefined()
    if unit == "currency":
        return money(value, currency)
    if unit == "percent":
        return percent(value, 2)
    if unit == "ratio":
        return number(value, 2, grouping=False)
    return number(value, 0) if float(value).is_integer() or abs(value) >= 100 else number(value, 2)


def change(rel) -> str:
    """A relative change as '+7.7%' / '-3.0%'; undefined is 'n/a'."""
    if is_missing(rel):
        return undefined()
    return percent(rel, 1, signed=True)


def change_words(rel) -> str:
    """'up 7.7%', 'down 3.0%', 'unchanged'; 'n/a' when undefined."""
    if is_missing(rel):
        return undefined()
    if abs(rel) < 0.0005:
        return _("unchanged")
    size = percent(abs(rel), 1)
    return (_("up {change}") if rel > 0 else _("down {change}")).format(change=size)


def plural_count(amount) -> int:
    """The count a plural form is chosen by: a whole number itself, any other (2.5 visits,
    an estimate of 10,879.4) the plural (2), as English, German and Bulgarian treat decimals."""
    value = float(amount)
    return int(value) if value.is_integer() else 2


def join_words(items: list[str], last: str = "and") -> str:
    """``'a, b and c'`` in the current language (``'a, b und c'``, ``'a, b и c'``);
    ``last='or'``: ``'a, b or c'``."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    if _english():
        return ", ".join(items[:-1]) + f" {last} " + items[-1]
    from babel.lists import format_list
    return format_list(items, style="or" if last == "or" else "standard", locale=babel_locale())


def sentence(text: str | None) -> str | None:
    """A sentence as printed: its first letter a capital (a Bulgarian month, 'октомври', may
    open it) and no doubled full stop where a template's stop follows an abbreviation's
    ('31.12.2026 г.' + '.')."""
    if not text:
        return text
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return text[:1].upper() + text[1:]


# ---- dates ---------------------------------------------------------------------------------
# English keeps its own patterns (the report has always written 13 Oct 2026); other locales
# use CLDR's skeletons, so each reads the way its readers write dates.

def day(d: date) -> str:
    """``13 Oct 2026``; ``13. Okt. 2026`` (de), ``13.10.2026 г.`` (bg)."""
    if _english():
        return format_date(d, "d MMM y", locale="en_US")
    return format_skeleton("yMMMd", d, locale=babel_locale())


def day_month(d: date) -> str:
    """``13 Oct`` (no year); ``13. Okt.`` (de)."""
    if _english():
        return format_date(d, "d MMM", locale="en_US")
    return format_skeleton("MMMd", d, locale=babel_locale())


def month(d: date) -> str:
    """The month of ``d`` with its year: ``October 2026``; ``Oktober 2026`` (de)."""
    if _english():
        return format_date(d, "MMMM y", locale="en_US")
    return format_skeleton("yMMMM", d, locale=babel_locale())


def month_short(d: date) -> str:
    """``Oct 2026``; ``Okt. 2026`` (de)."""
    if _english():
        return format_date(d, "MMM y", locale="en_US")
    return format_skeleton("yMMM", d, locale=babel_locale())


def date_range(start: date, end: date) -> str:
    """An inclusive range: ``1 Oct 2026 – 15 Oct 2026``; ``1.–15. Okt. 2026`` (de)."""
    if _english():
        return f"{day(start)} – {day(end)}"
    return format_interval(start, end, "yMMMd", locale=babel_locale())


def day_span(start: date, end: date) -> str:
    """A short run of days: ``13 Oct 2026``, ``13–15 Oct 2026``, ``30 Sep–2 Oct 2026``."""
    if start == end:
        return day(start)
    if _english():
        if start.month == end.month and start.year == end.year:
            return f"{start.day}–{day(end)}"
        return f"{day_month(start)}–{day(end)}"
    return format_interval(start, end, "yMMMd", locale=babel_locale())


def moment(at: datetime) -> str:
    """A date and time: ``13 Oct 2026 14:05 UTC``; ``13. Okt. 2026, 14:05 UTC`` (de): the
    locale's way of joining a date and a time."""
    zone = at.tzname() or ""
    if _english():
        text = f"{day(at)} {time_of_day(at)}"
    else:
        joined = str(babel_locale().datetime_formats.get("medium", "{1} {0}"))
        text = joined.replace("{1}", day(at)).replace("{0}", time_of_day(at)).replace("'", "")
    return f"{text} {zone}".strip()


def time_of_day(at) -> str:
    """``14:05`` (24 hours in every locale a report supports)."""
    return f"{at:%H:%M}"


def weekday_day_month(d: date) -> str:
    """``Tue 13 Oct``; ``Di., 13. Okt.`` (de), ``вт, 13.10`` (bg): a chart's day tick with its weekday."""
    if _english():
        return format_date(d, "EEE d MMM", locale="en_US")
    return format_skeleton("MMMEd", d, locale=babel_locale())


def hours(h) -> str:
    """Hours of work as '42.5 h' ('42,5 Std.' in German); 'n/a' when undefined."""
    return undefined() if is_missing(h) else _("{hours} h").format(hours=number(h, 1))


def share(rel) -> str:
    """A share as a whole percent, '85%' ('85 %' in German); 'n/a' when undefined."""
    return undefined() if is_missing(rel) else percent(rel, 0)
