"""Numbers, money and dates in the client's locale (core.formatting with Babel's data).

Expected strings are written out by hand from CLDR's conventions: German groups thousands
with '.', writes decimals with ',' and puts the euro after the amount behind a no-break space;
French groups with a narrow no-break space (U+202F); Bulgarian groups with a no-break space.
"""

from datetime import date, datetime, timezone

import pytest

from reportkit.core import formatting as fmt
from reportkit.core import i18n

NBSP, NNBSP = "\u00a0", "\u202f"


def test_english_reads_as_it_always_has():
    # en_US is the default: the report's English output is pinned by the other tests too
    assert i18n.current() == "en_US"
    assert fmt.money(190680, "EUR") == "€190,680"        # 1,000 or more: no cents
    assert fmt.money(12.5, "EUR") == "€12.50"
    assert fmt.money(-1234.4, "USD") == "-$1,234"
    assert fmt.money(-0.0, "EUR") == "€0.00"             # no minus for nothing
    assert fmt.value(0.0321, "percent") == "3.21%"
    assert fmt.value(4.2, "ratio") == "4.20"
    assert fmt.value(12345, "count") == "12,345"
    assert fmt.value(2.5, "count") == "2.50"
    assert fmt.value(None, "count") == "n/a"
    assert fmt.change(0.0769) == "+7.7%"
    assert fmt.change(-0.03) == "-3.0%"
    assert fmt.change_words(0.0769) == "up 7.7%"
    assert fmt.change_words(0.0004) == "unchanged"
    assert fmt.day(date(2026, 10, 13)) == "13 Oct 2026"
    assert fmt.month(date(2026, 10, 1)) == "October 2026"
    assert fmt.date_range(date(2026, 10, 1), date(2026, 10, 15)) == "1 Oct 2026 – 15 Oct 2026"
    assert fmt.day_span(date(2026, 10, 13), date(2026, 10, 15)) == "13–15 Oct 2026"
    assert fmt.day_span(date(2026, 9, 30), date(2026, 10, 2)) == "30 Sep–2 Oct 2026"


def test_rounding_is_pythons_half_even_on_the_float():
    # 2.675 is stored as 2.67499999…: Python's "%.2f" gives 2.67, and so must the report
    assert fmt.value(2.675, "count") == f"{2.675:,.2f}" == "2.67"
    assert fmt.value(0.125, "ratio") == f"{0.125:.2f}" == "0.12"   # exactly half: to even


def test_german():
    with i18n.using("de_DE"):
        assert fmt.money(190680, "EUR") == f"190.680{NBSP}€"
        assert fmt.money(12.5, "EUR") == f"12,50{NBSP}€"
        assert fmt.value(0.0321, "percent") == f"3,21{NBSP}%"
        assert fmt.change(0.0769) == f"+7,7{NBSP}%"
        assert fmt.value(4.2, "ratio") == "4,20"
        assert fmt.value(12345, "count") == "12.345"
        assert fmt.date_range(date(2026, 10, 13), date(2026, 10, 15)) == "13.–15. Okt. 2026"
        assert fmt.month(date(2026, 10, 1)) == "Oktober 2026"
        assert fmt.day(date(2026, 3, 5)) == "5. März 2026"
    assert fmt.money(190680, "EUR") == "€190,680"   # the block's locale ends with it


def test_french_spanish_british():
    with i18n.using("fr_FR"):
        assert fmt.money(190680, "EUR") == f"190{NNBSP}680{NBSP}€"
        assert fmt.month(date(2026, 10, 1)) == "octobre 2026"
    with i18n.using("es_ES"):
        assert fmt.money(190680, "EUR") == f"190.680{NBSP}€"
        assert fmt.month(date(2026, 10, 1)) == "octubre de 2026"
    with i18n.using("en_GB"):
        assert fmt.money(190680, "GBP") == "£190,680"
        assert fmt.day(date(2026, 10, 13)) == "13 Oct 2026"


def test_bulgarian():
    # CLDR's Bulgarian abbreviated date is numeric with the year's "г." (after a narrow nbsp)
    with i18n.using("bg_BG"):
        assert fmt.money(190680, "EUR") == f"190{NBSP}680{NBSP}€"
        assert fmt.money(1500, "BGN") == f"1{NBSP}500{NBSP}лв."
        assert fmt.value(0.0321, "percent") == "3,21%"
        assert fmt.month(date(2026, 10, 1)) == f"октомври 2026{NNBSP}г."
        assert fmt.day(date(2026, 10, 13)) == f"13.10.2026{NNBSP}г."


def test_a_lettered_symbol_stands_apart_from_the_digits():
    assert fmt.money(1234, "CHF") == f"CHF{NBSP}1,234"
    assert fmt.money_tick(-50, "EUR") == "-€50"
    assert fmt.money_tick(2.5, "EUR") == "€2.50"


def test_a_moment_names_its_zone():
    at = datetime(2026, 11, 2, 14, 5, tzinfo=timezone.utc)
    assert fmt.moment(at) == "2 Nov 2026 14:05 UTC"
    with i18n.using("de_DE"):
        assert fmt.moment(at).endswith("14:05 UTC") and "Nov." in fmt.moment(at)


@pytest.mark.parametrize("bad", ["de_XX", "klingon", "de", ""])
def test_a_locale_babel_does_not_know_is_refused(bad):
    with pytest.raises(ValueError, match="e.g."):
        i18n.parse_locale(bad)


def test_locale_spellings_are_normalised():
    assert i18n.parse_locale("de-DE") == "de_DE"
    assert i18n.parse_locale(" bg_BG ") == "bg_BG"


def test_a_sentence_opens_with_a_capital_and_ends_with_one_stop():
    # Bulgarian months are lower-case and its dates end with the abbreviation "г."
    assert fmt.sentence("октомври 2026 г.: 2 от 3 цели до 31.12.2026 г..") == "Октомври 2026 г.: 2 от 3 цели до 31.12.2026 г."
    assert fmt.sentence("We wait...") == "We wait..."          # an ellipsis is left alone
    assert fmt.sentence("In October 2026 our revenue came to €1.") == "In October 2026 our revenue came to €1."
