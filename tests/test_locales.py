"""The client's language: catalogs complete and current, plural forms, the locale key's errors,
and every demo client rendered in German and Bulgarian through the real notebook (papermill
and nbconvert): no English text of the catalog left, numbers and dates as Babel writes them.

Expected numbers are written from the locales' conventions (German: '.' groups thousands, ','
before decimals, the euro after the amount behind a no-break space; Bulgarian: a no-break
space groups thousands, ',' before decimals, '%' right after the number) and Babel's own
functions for the dates, applied to the sidecar's values.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.dates import format_interval, format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from click.testing import CliRunner

from reportkit.core import catalogs, i18n
from reportkit.core.i18n import _, ngettext

NBSP = "\u00a0"
LOCALES = ("de_DE", "bg_BG")


# --- the catalogs -------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["de", "bg"])
def test_the_catalog_is_complete(language):
    status = catalogs.status(language)
    assert not status.missing, f"{language}: untranslated: {status.missing[:10]}"
    assert not status.fuzzy, f"{language}: fuzzy: {status.fuzzy[:10]}"
    assert not status.placeholders, f"{language}: placeholders differ: {status.placeholders[:10]}"
    assert not status.plural_forms, f"{language}: plural forms missing: {status.plural_forms[:10]}"
    assert not status.stale_mo, f"{language}: reportkit.mo is not the .po compiled: run make i18n"
    assert status.translated == len(catalogs.messages_in_code()) > 150


def test_the_template_catalog_is_current():
    # a text marked in the code but missing from reportkit.pot (make i18n not run) fails here
    with (catalogs.CATALOGS / "reportkit.pot").open("rb") as handle:
        pot = {catalogs._key(m) for m in read_po(handle) if m.id}
    assert pot == catalogs.messages_in_code()


@pytest.mark.parametrize("language,forms", [("de", 2), ("bg", 2)])
def test_the_catalogs_declare_their_plural_forms(language, forms):
    with catalogs.catalog_file(language).open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == forms and catalog.plural_expr == "(n != 1)"


def test_untranslated_locales_read_english_and_format_their_way():
    with i18n.using("fr_FR"):
        assert _("Revenue") == "Revenue"
        assert ngettext("{n} visit", "{n} visits", 2).format(n=2) == "2 visits"
    with i18n.using("de_DE"):
        assert _("Revenue") == "Umsatz"


# --- plural forms for 1, 2 and 5 ------------------------------------------------------------

@pytest.mark.parametrize("locale,expected", [
    ("en_US", ["due in 1 day", "due in 2 days", "due in 5 days", "overdue by 1 day", "overdue by 5 days"]),
    ("de_DE", ["fällig in 1 Tag", "fällig in 2 Tagen", "fällig in 5 Tagen", "1 Tag überfällig", "5 Tage überfällig"]),
    ("bg_BG", ["срок след 1 ден", "срок след 2 дни", "срок след 5 дни", "просрочено с 1 ден", "просрочено с 5 дни"]),
])
def test_an_action_items_days_take_the_right_form(locale, expected):
    from reportkit.work.files import ActionItem
    from reportkit.work.sections import OpenAction
    item = ActionItem("Approve the budget", date(2026, 11, 12))
    with i18n.using(locale):
        said = [OpenAction(item, n).when() for n in (-1, -2, -5, 1, 5)]
    assert said == expected


@pytest.mark.parametrize("locale,expected", [
    ("en_US", ["1 visit", "2 visits", "5 visits", "1 order", "5 orders"]),
    ("de_DE", ["1 Besuch", "2 Besuche", "5 Besuche", "1 Bestellung", "5 Bestellungen"]),
    ("bg_BG", ["1 посещение", "2 посещения", "5 посещения", "1 поръчка", "5 поръчки"]),
])
def test_an_outage_estimate_takes_the_right_form(locale, expected):
    from reportkit.analysis.quality import estimate_words
    with i18n.using(locale):
        said = [estimate_words({"estimate": {"sessions": n}}, "EUR") for n in (1, 2, 5)]
        said += [estimate_words({"estimate": {"transactions": n}}, "EUR") for n in (1, 5)]
    about = {"en_US": "about ", "de_DE": "etwa ", "bg_BG": "около "}[locale]
    assert said == [about + e for e in expected]


@pytest.mark.parametrize("locale,one,five,untracked", [
    ("en_US", "1 of 31 days", "5 of 31 days", "1 of 1 day untracked"),   # the form follows the total
    ("de_DE", "1 von 31 Tagen", "5 von 31 Tagen", "1 von 1 Tag ohne Tracking"),
    ("bg_BG", "1 от 31 дни", "5 от 31 дни", "1 от 1 ден без проследяване"),
])
def test_coverage_reasons_are_whole_phrases(locale, one, five, untracked):
    from reportkit.analysis.comparisons import _unfair_reason
    cov = lambda n, total=31, est=0: {"days_with_data": n, "days_estimated": est, "days_expected": total}  # noqa: E731
    with i18n.using(locale):
        assert _unfair_reason(cov(1), None, False) == one
        assert _unfair_reason(cov(5), None, False) == five
        assert _unfair_reason(cov(0, 1, 1), None, False) == untracked


# --- the locale key -----------------------------------------------------------------------

@pytest.mark.parametrize("value,words", [("de_XX", ["'de_XX' is not a locale Babel knows", "de_DE"]),
                                         ("de", ["without a country", "de_DE"])])
def test_a_bad_locale_is_refused_naming_file_and_key(tmp_path, value, words):
    from reportkit.cli import main
    params = tmp_path / "acme.yaml"
    params.write_text(yaml.safe_dump({"client_id": "acme", "client_name": "Acme", "business_model": "ecommerce",
                                      "period": "2024-03", "currency": "EUR", "locale": value}))
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 2, result.output
    assert str(params) in result.output and "'locale'" in result.output and "Traceback" not in result.output
    for word in words:
        assert word in result.output


def test_kpi_labels_translate_where_shown_and_custom_ones_stay_as_written():
    from reportkit.config import ClientConfig
    cfg = ClientConfig(client_id="acme", client_name="Acme", business_model="leadgen", period="2026-10",
                       currency="EUR", locale="de_DE",
                       custom_kpis=[{"key": "calls", "label": "Calls from ads", "numerator": "conversions"}])
    from reportkit.core.metrics import REGISTRY
    assert REGISTRY["revenue"].label == "Revenue"          # defined at import time, in English
    with i18n.using(cfg.locale):
        reg = cfg.registry()
        assert reg["revenue"].label == "Umsatz" and reg["conversions"].label == "Leads"
        assert reg["cpa"].label == "Kosten pro Lead (gesamt)"
        assert reg["calls"].label == "Calls from ads"
        # one of a result, for "pro …": the registry's word in German; a custom KPI's label
        assert reg["conversions"].one_of == "Lead" and reg["calls"].one_of == "Calls from ads"
        assert cfg.model_copy(update={"business_model": "ecommerce"}).registry()["transactions"].one_of == "Bestellung"
    assert cfg.registry()["conversions"].one_of == "lead" and cfg.registry()["calls"].one_of == "calls from ads"
    assert cfg.registry()["cpa"].label == "Cost per lead (blended)"


def test_the_email_speaks_the_reports_language():
    from reportkit.config.client import DeliveryOptions
    from reportkit.deliver.mail import build
    sidecar = {"client_name": "Acme", "currency": "EUR", "locale": "de_DE", "period_key": "2026-10",
               "period": {"start": "2026-10-01", "end": "2026-10-31"}, "summary": ["Ein Satz."],
               "kpis": {"revenue": {"label": "Umsatz", "value": 190680.0, "unit": "currency",
                                    "better": "higher", "change_previous": 0.111}}}
    msg = build(sidecar, DeliveryOptions(to=["jana@example.com"]), "we@example.com", "", "<id@x>", [])
    text = msg.get_body(("plain",)).get_content()
    assert msg["Subject"] == "Acme: Ihr Bericht für Oktober 2026"
    assert text.startswith("Hier ist Ihr Bericht für Oktober 2026.")
    # 190,680 → '190.680 €'; +0.111 → '+11,1 %' (German: ',' decimals, no-break space before '%')
    assert f"Umsatz: 190.680{NBSP}€ (+11,1{NBSP}% ggü. Vorzeitraum)" in text
    own = DeliveryOptions(to=["jana@example.com"], subject="Bericht {period}")
    assert build(sidecar, own, "we@example.com", "", "<id@x>", [])["Subject"] == "Bericht Oktober 2026"
    assert i18n.current() == "en_US"   # the message's locale ends with it


# --- every demo client in German and Bulgarian, through the real notebook ---------------------

class _Text(HTMLParser):
    """The text a reader sees: text nodes outside style/script, and the text of every chart
    (embedded SVG images, decoded); also the text of each element carrying data-kpi/data-field."""

    def __init__(self):
        super().__init__()
        self.nodes: list[str] = []
        self.cells: list[tuple[str, str, str]] = []
        self._skip = 0
        self._stack: list = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        src = attrs.get("src") or ""
        if tag == "img" and src.startswith("data:image/svg+xml;base64,"):
            svg = base64.b64decode(src.split(",", 1)[1]).decode()
            self.nodes += [unescape(t) for t in re.findall(r"<(?:text|title)[^>]*>([^<]+)<", svg)]
        if tag not in ("img", "br", "meta", "link", "input", "hr"):
            self._stack.append((attrs.get("data-kpi"), attrs.get("data-field"), []))

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if self._stack and tag not in ("img", "br", "meta", "link", "input", "hr"):
            kpi, field, text = self._stack.pop()
            if kpi and field:
                self.cells.append((kpi, field, " ".join("".join(text).split())))
            if self._stack:
                self._stack[-1][2].extend(text)

    def handle_data(self, data):
        if not self._skip:
            if data.strip():
                self.nodes.append(data.strip())
            if self._stack:
                self._stack[-1][2].append(data)


def _clean(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def _user_texts(root: Path, cfg) -> str:
    """Everything the params, work files, commentary and data say (shown as written)."""
    parts = [yaml.safe_dump(cfg.model_dump(mode="json"), allow_unicode=True)]
    for path in (root / "data" / "work").rglob("*"):
        if path.is_file() and cfg.client_id.split("_")[0] in str(path):
            parts.append(path.read_text(errors="replace"))
    for path in (root / "notes").rglob("*.md") if (root / "notes").exists() else []:
        parts.append(path.read_text())
    for path in (root / "data" / "benchmarks").glob("*.csv"):
        parts.append(path.read_text())
    return _clean("\n".join(parts))


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a msgid of two words or more (between its placeholders)."""
    pieces = [p.strip(" .,:;()–—-") for p in re.split(r"\{\w*\}", msgid)]
    return [p for p in pieces if len(re.findall(r"[A-Za-z]{2,}", p)) >= 2]


def _english_left(html: str, facts_words: str, user: str, language: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    nodes = [_clean(n) for n in parser.nodes]
    page = " | ".join(nodes)
    with catalogs.catalog_file(language).open("rb") as handle:
        catalog = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(handle) if m.id}
    left = []
    for msg in catalog.values():
        ids = [msg.id] if isinstance(msg.id, str) else list(msg.id)
        strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
        translated = " ".join(strings)
        for msgid in ids:
            if msgid in strings:
                continue   # the word is the same in this language (Status, Chat)
            for piece in _fragments(msgid) or ([msgid] if "{" not in msgid else []):
                if piece in translated or piece in user or piece in facts_words:
                    continue
                hit = piece in page if " " in piece else piece in nodes
                if hit:
                    left.append(piece)
    return sorted(set(left))


def _money(v: float, currency: str, locale: str) -> str:
    if abs(v) >= 1000:     # whole units from 1,000 on: Babel's amount without its ',00'
        return format_currency(round(v), currency, locale=locale).replace(",00", "")
    return format_currency(v, currency, locale=locale)


def _expected(value, unit: str, currency: str, locale: str) -> str:
    if value is None:
        return {"de_DE": "k. A.", "bg_BG": "н/д"}[locale]
    percent = {"de_DE": NBSP + "%", "bg_BG": "%"}[locale]
    if unit == "currency":
        return _money(value, currency, locale)
    if unit == "percent":
        return format_decimal(value * 100, "0.00", locale=locale) + percent
    if unit == "ratio":
        return format_decimal(value, "0.00", locale=locale)
    whole = float(value).is_integer() or abs(value) >= 100
    return format_decimal(value, "#,##0" if whole else "#,##0.00", locale=locale)


def _change(rel, locale: str) -> str:
    percent = {"de_DE": NBSP + "%", "bg_BG": "%"}[locale]
    return ("+" if rel >= 0 else "-") + format_decimal(abs(rel) * 100, "0.0", locale=locale) + percent


@pytest.fixture(scope="module")
def localized(tmp_path_factory, root):
    """Each demo client rendered in de_DE and bg_BG (a real Jupyter kernel, nbconvert)."""
    from reportkit.config.load import load
    from reportkit.run.render import render_client
    from reportkit.sources.demo import DEMO_CLIENTS
    out, done = tmp_path_factory.mktemp("localized"), {}
    for client_id in DEMO_CLIENTS:
        cfg = load(root / "params" / f"{client_id}.yaml")
        for locale in LOCALES:
            folder = out / locale
            result = render_client(cfg.model_copy(update={"locale": locale}), out=folder)
            assert result.status == "ok", (client_id, locale, result.error)
            (period,) = [p for p in folder.iterdir() if p.is_dir()]
            done[client_id, locale] = (cfg, period / f"{client_id}.html", period / f"{client_id}.json")
    return done


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_text_of_the_catalog_is_left(localized, root, locale):
    for (client_id, loc), (cfg, html, side) in localized.items():
        if loc != locale:
            continue
        sidecar = json.loads(side.read_text())
        names = " ".join(str(r.get(k, "")) for r in sidecar["channels"] for k in ("channel", "campaign"))
        left = _english_left(html.read_text(), _clean(names), _user_texts(root, cfg), locale.split("_")[0])
        assert not left, f"{client_id} in {locale}: English left: {left}"


def _user_cells(root: Path, cfg, sidecar: dict) -> list[str]:
    """Every text the params, work files, commentary, benchmarks and data give, cell by cell."""
    import csv
    cells: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            cells.append(value)
    walk(cfg.model_dump(mode="json"))
    for path in list((root / "data" / "work").rglob("*.csv")) + list((root / "data" / "benchmarks").glob("*.csv")):
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            for row in csv.reader(handle):
                cells += row
    for path in (root / "data" / "work").rglob("*.y*ml"):
        walk(yaml.safe_load(path.read_text()))
    for path in (root / "notes").rglob("*.md") if (root / "notes").exists() else []:
        cells += path.read_text().splitlines()
    for row in sidecar["channels"]:
        cells += [str(row.get("channel") or ""), str(row.get("campaign") or "")]
    for item in sidecar.get("benchmarks") or []:
        for c in item.get("comparisons") or []:
            cells += [str(c.get(k) or "") for k in ("label", "source", "caveat", "statistic", "industry", "channel")]
    cells.append(str(sidecar.get("source") or ""))
    cells += [part for c in cells for part in re.split(r"[;|\n]", c)]   # lists inside one cell (decisions)
    return sorted({_clean(c) for c in cells if c and c.strip()}, key=len, reverse=True)


ENGLISH_WORDS = ("the", "and", "with", "our", "we", "is", "are", "this", "from", "of", "for", "by", "to",
                 "was", "were", "on", "in", "per", "day", "days")
NATIVE = {"de": {"in", "was"}, "bg": set()}   # the same words in the report's own language


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_words_outside_the_users_own_text(localized, root, locale):
    # a text the code writes but never marked for translation is not in the catalog, so the
    # scan above cannot see it: every piece of text on the page (charts included) that holds
    # nothing from the params or the data must be free of English function words
    words = [w for w in ENGLISH_WORDS if w not in NATIVE[locale.split("_")[0]]]
    pattern = re.compile(r"\b(" + "|".join(words) + r")\b")
    for (client_id, loc), (cfg, html, side) in localized.items():
        if loc != locale:
            continue
        parser = _Text()
        parser.feed(html.read_text())
        cells = [c for c in _user_cells(root, cfg, json.loads(side.read_text())) if len(c) >= 4]
        ours = [n for n in map(_clean, parser.nodes)
                if not any(c in n or n in c for c in cells)]
        left = [n for n in ours if pattern.search(n)]
        assert not left, f"{client_id} in {locale}: English words in: {left[:8]}"


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_and_dates_as_babel_writes_them(localized, locale):
    for (client_id, loc), (cfg, html, side) in localized.items():
        if loc != locale:
            continue
        sidecar = json.loads(side.read_text())
        assert sidecar["locale"] == locale
        parser = _Text()
        parser.feed(html.read_text())
        checked = 0
        for key, field, text in parser.cells:
            kpi = sidecar["kpis"].get(key)
            if kpi is None or field not in ("value", "previous", "yoy", "change_previous", "change_yoy"):
                continue
            if field.startswith("change"):
                if kpi[field] is None:
                    continue
                assert _clean(_change(kpi[field], locale)) in _clean(text), (client_id, key, field, text)
            else:
                assert _clean(text) == _clean(_expected(kpi[field], kpi["unit"], sidecar["currency"], locale)), \
                    (client_id, key, field, text)
            checked += 1
        assert checked >= 3 * len(sidecar["kpis"]), (client_id, checked)
        iso = [n for n in map(_clean, parser.nodes) if re.search(r"\b\d{4}-\d{2}-\d{2}\b", n)]
        assert not iso, f"{client_id} in {locale}: dates not written the locale's way: {iso[:5]}"
        page = _clean(html.read_text())
        start = date.fromisoformat(sidecar["period"]["start"])
        assert _clean(format_skeleton("yMMMM", start, locale=locale)) in page   # 'Oktober 2026'
        for outage in sidecar["data_quality"].get("outages") or []:
            if outage["period"] == "current" and outage["start"] != outage["end"]:
                days = format_interval(date.fromisoformat(outage["start"]), date.fromisoformat(outage["end"]),
                                       "yMMMd", locale=locale)       # '13.–15. Okt. 2026'
                assert _clean(days) in page, (client_id, days)


@pytest.mark.slow
def test_the_german_report_says_its_words_in_german(localized):
    cfg, html, side = localized["acme_outdoor", "de_DE"]
    page = _clean(html.read_text())
    sidecar = json.loads(side.read_text())
    assert '<html lang="de-DE"' in html.read_text()
    for words in ("Was wir getan haben", "Umsatz", "Bestellungen", "Datenhinweise",
                  "Kanal: Organic Search"):   # a goal's scope: its column named in German
        assert words in page, words
    assert "Umsatz" in " ".join(sidecar["summary"])   # the sidecar's summary is the report's, in German
    cfg, html, side = localized["acme_outdoor", "bg_BG"]
    page = _clean(html.read_text())
    for words in ("Какво направихме", "Приходи", "Поръчки"):
        assert words in page, words


@pytest.mark.slow
def test_a_notebook_run_in_process_leaves_the_process_in_its_own_locale(tmp_path, root):
    # the in-process engine runs the client's cells (and its load_report's activate) in this
    # process: the German client's locale must not stay behind for what the process does next
    from reportkit.config.load import load
    from reportkit.run.engine import ENGINE_NAME
    from reportkit.run.render import render_client
    cfg = load(root / "params" / "acme_outdoor.yaml").model_copy(update={"locale": "de_DE"})
    result = render_client(cfg, out=tmp_path, engine=ENGINE_NAME)
    assert result.status == "ok", result.error
    assert i18n.current() == "en_US"
    html = next(tmp_path.rglob("acme_outdoor.html")).read_text()
    assert "Was wir getan haben" in html


def _gettext_modules():
    import ast
    package = Path(catalogs.PACKAGE)
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("i18n") and any(a.name == "_" for a in n.names)
               for n in ast.walk(tree)):
            yield path, tree


def test_no_text_is_hidden_from_the_extractor_or_shadowed():
    # pybabel does not see a _("...") inside an f-string's braces, and a function that assigns
    # the name _ (``for key, _ in ...``) calls its own variable instead of the translation
    import ast
    problems = []
    for path, tree in _gettext_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for value in ast.walk(node):
                    if isinstance(value, ast.Call) and getattr(value.func, "id", None) in ("_", "ngettext") \
                            and value.args and isinstance(value.args[0], ast.Constant):
                        problems.append(f"{path.name}:{value.lineno}: _() inside an f-string")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                scoped = {id(x) for c in ast.walk(node) if isinstance(c, (ast.ListComp, ast.SetComp, ast.DictComp,
                                                                         ast.GeneratorExp, ast.Lambda))
                          for x in ast.walk(c)}
                stores = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == "_"
                          and isinstance(n.ctx, ast.Store) and id(n) not in scoped]
                calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_"]
                if stores and calls:
                    problems.append(f"{path.name}:{stores[0].lineno}: {node.name} assigns _ and calls _()")
    assert not problems, problems


@pytest.mark.slow
def test_the_german_pdf_numbers_its_pages_in_german(tmp_path, root):
    # the PDF is Chromium's print of the German page: its margins (print CSS made in the
    # report's language) say "Seite x von y" and who prepared it
    from pypdf import PdfReader
    from reportkit.config.load import load
    from reportkit.run.render import render_client
    cfg = load(root / "params" / "acme_outdoor.yaml").model_copy(update={"locale": "de_DE"})
    result = render_client(cfg, out=tmp_path, pdf=True)
    assert result.status == "ok", result.error
    reader = PdfReader(str(next(tmp_path.rglob("acme_outdoor.pdf"))))
    pages = [page.extract_text() for page in reader.pages]
    assert f"Seite 1 von {len(pages)}" in pages[0] and "Page " not in " ".join(pages)
    assert "Erstellt von Northstar Digital" in pages[-1]
    assert "Zusammenfassung" in pages[0] and "190.680" in " ".join(pages)


@pytest.mark.parametrize("locale,acme,northwind", [
    # German and Bulgarian KPI labels are often plurals ("Leads", "Приходи"): a sentence about
    # one KPI gives it a colon, not a verb that would have to agree with it
    ("de_DE", "Umsatz: ebenfalls eine Veränderung, aber im Rahmen der üblichen Schwankungen",
     "Leads und Lead-Conversion-Rate haben sich ebenfalls verändert"),
    ("bg_BG", "Приходи: също има промяна, но в рамките на обичайните колебания",
     "Запитвания и коефициент на запитвания също се промениха"),
])
def test_the_kpis_within_normal_variation_are_named_in_the_reports_grammar(root, locale, acme, northwind):
    from reportkit import config, report
    from reportkit.present import analysis
    with i18n.using(locale):
        for client_id, expected in (("acme_outdoor", acme), ("northwind_b2b", northwind)):
            cfg = config.load(root / "params" / f"{client_id}.yaml")
            html = analysis.why_brief(report.build(cfg.model_copy(update={"locale": locale})))
            assert expected in html, (client_id, html)
