"""The client's language: the current locale of a report and its gettext catalogs.

A report is written in one locale (``locale:`` in params, default ``en_US``). The locale is
context-local (a :class:`contextvars.ContextVar`), set once where a report is built or
loaded (:func:`using` / :func:`activate`), so no function's signature carries it:
:mod:`reportkit.core.formatting` reads it for numbers and dates, :func:`_` and
:func:`ngettext` for words.

Texts are English in the code (the msgids) and translated from
``reportkit/locale/<lang>/LC_MESSAGES/reportkit.mo``; a language without a catalog reads
English. Write whole sentences with named placeholders, translated before they are filled::

    _("Revenue rose {change} to {value}.").format(change=..., value=...)
    ngettext("{n} day without data", "{n} days without data", n).format(n=n)

Module-level constants (KPI labels, status words) are marked with :func:`N_` (extracted,
not translated) and translated where they are shown, with ``_(constant)``.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

DEFAULT_LOCALE = "en_US"
DOMAIN = "reportkit"
CATALOGS = Path(__file__).resolve().parent.parent / "locale"
# Locales whose words are translated (a catalog ships for their language); any other locale
# Babel knows formats numbers and dates its way and reads English.
TRANSLATED = ("de_DE", "bg_BG")
# The locales named in the docs and tested; others Babel knows are accepted too.
TESTED_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "bg_BG")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("reportkit_locale", default=None)
# The locale of this process when no context set one: a notebook kernel's (activate). A
# kernel runs each cell in a copy of its context, so a context variable set by one cell is not
# seen by the next; the process default is.
_process_locale = DEFAULT_LOCALE


def parse_locale(name: str) -> str:
    """``'de_DE'`` (also ``'de-DE'``) as Babel's canonical ``language_TERRITORY``; a ValueError
    naming the problem when Babel does not know it or it lacks a territory."""
    text = str(name).strip()
    try:
        loc = Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"{text!r} is not a locale Babel knows; write language_COUNTRY, e.g. "
                         f"{', '.join(TESTED_LOCALES)}") from None
    if not loc.territory:
        raise ValueError(f"{text!r} names a language without a country; write e.g. "
                         f"{loc.language}_{_likely_territory(loc)}")
    return str(loc)


def _likely_territory(loc: Locale) -> str:
    from babel.core import get_global
    likely = get_global("likely_subtags").get(loc.language, "")
    return likely.split("_")[-1] if "_" in likely else "XX"


def current() -> str:
    """The current locale's name, e.g. ``'de_DE'``: the innermost :func:`using` block's, else
    the one :func:`activate` set, else ``en_US``."""
    return _current.get() or _process_locale


def babel_locale() -> Locale:
    """The current locale as a :class:`babel.Locale`."""
    return _locale(current())


@lru_cache(maxsize=None)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def activate(name: str) -> None:
    """Make ``name`` the locale of this process from now on, outside any :func:`using` block
    (a notebook's kernel: :func:`reportkit.notebook.load_report` calls it, so the cells after
    it write in the client's locale). A batch worker runs one client per process."""
    global _process_locale
    _process_locale = parse_locale(name)


@contextmanager
def process_locale_kept() -> Iterator[None]:
    """The process's locale as it was before the block, whatever the block activates (a
    notebook run by the in-process engine activates its client's locale in this process)."""
    global _process_locale
    saved = _process_locale
    try:
        yield
    finally:
        _process_locale = saved


@contextmanager
def using(name: str) -> Iterator[str]:
    """Within the block the current locale is ``name``; the one before is restored after."""
    token = _current.set(parse_locale(name))
    try:
        yield current()
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def translations(name: str) -> NullTranslations:
    """The compiled catalog for a locale's language (``de_DE`` -> ``de``); English (no
    translation) when none ships."""
    return Translations.load(str(CATALOGS), [name, _locale(name).language], DOMAIN)


def _(message: str) -> str:
    """``message`` in the current locale's language (itself when untranslated)."""
    if not message:
        return message
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the current language (German and Bulgarian: one and other);
    fill in ``{n}`` after: ``ngettext('{n} day', '{n} days', n).format(n=n)``."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated in ``context``, for a word that translates differently in
    different places (a table header 'change' vs. the verb)."""
    return translations(current()).pgettext(context, message)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: lower-cased where the language does that
    (English 'revenue', Bulgarian 'приходи'), as written where nouns keep their capital
    (German 'Umsatz')."""
    return label if babel_locale().language in ("de", "lb") else label.lower()


def N_(message: str) -> str:
    """Marks a constant for the catalog without translating it: translate it where it is
    shown, ``_(CONSTANT)``, so it reads in the locale current then, not at import time."""
    return message
