"""The client-ready page around the notebook's outputs: table of contents, footer, title.

Used by :func:`reportkit.run.export.export_html` with the ``reportkit`` nbconvert template
(``templates/reportkit/``); the agency overview (:mod:`reportkit.deliver.overview`) uses the same
stylesheet so every page has one look.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape, unescape
from pathlib import Path

from urllib.parse import quote

from nbconvert.preprocessors import Preprocessor

from reportkit.present.text import user_text
from reportkit.core import formatting as fmt
from reportkit.core.i18n import _

TEMPLATE_DIR = Path(__file__).parent / "templates" / "reportkit"
STYLESHEET = TEMPLATE_DIR / "style.css"
# The one Content-Security-Policy of every page (reports via the template, the overview via
# standalone): nothing from the network, no scripts; images only as data: URIs.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.M)


def section_id(title: str) -> str:
    """A heading's id, as nbconvert makes them: spaces to '-', other unsafe characters URL-quoted."""
    return quote(re.sub(r"\s+", "-", title.strip()), safe="-_.~!$&'()*+,;=:@/?")


_HTML_H2 = re.compile(r'<h2 id="([^"]+)">([^<]+)</h2>')


APPENDIX_CLASS = "rk-in-appendix"   # an appendix section's h2: in the page, not in the contents


def appendix_heading(title: str, shown: str | None = None) -> str:
    """An appendix section's ``<h2>``: with its id (from ``title``), left out of the contents
    (which list the main part's sections and the appendix as one entry); ``shown``: the text
    it shows when not ``title`` (the title in the report's language)."""
    return f'<h2 id="{escape(section_id(title))}" class="{APPENDIX_CLASS}">{escape(shown or title)}</h2>'


def retitle(html: str, title: str | None = None) -> str:
    """``html`` with its first ``<h2>`` made an appendix heading, titled ``title`` (plain text;
    None: its own title): a section shown twice (short in the main part, in full in the
    appendix) keeps unique ids."""
    return _HTML_H2.sub(lambda m: appendix_heading(title or unescape(m.group(2))), html, count=1)


def section_titles(nb) -> list[tuple[str, str]]:
    """(title, id) of each section in order: the ``##`` headings of markdown cells and the
    ``<h2 id=...>`` headings that sections shown only when they have data put in their output."""
    found = []
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            found += [(m.group(1), section_id(m.group(1))) for m in _H2.finditer(cell.get("source", ""))]
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            found += [(unescape(m.group(2)), unescape(m.group(1))) for m in _HTML_H2.finditer(html)]
    return found


def toc_html(titles: list[tuple[str, str]]) -> str:
    """A short table of contents linking to the section headings' ids."""
    if not titles:
        return ""
    items = "".join(f'<li><a href="#{escape(anchor)}">{escape(t)}</a></li>' for t, anchor in titles)
    contents = escape(_("Contents"))
    return f'<nav class="rk-toc" aria-label="{contents}"><span class="rk-toc-title">{contents}</span><ol>{items}</ol></nav>'


def _heading_with_id(match: re.Match) -> str:
    title = match.group(1)
    # an HTML block runs to the next blank line: without one, a paragraph right under the
    # heading would be taken as raw HTML and its **bold** and [links](...) shown as typed
    return f'<h2 id="{escape(section_id(title))}">{escape(title)}</h2>\n'


class TableOfContents(Preprocessor):
    """Add the table of contents as an output right after the report header, and give each
    section heading its id as plain HTML (no nbconvert "¶" anchor link in the page)."""

    def preprocess(self, nb, resources):
        titles = section_titles(nb)
        for cell in nb.cells:
            if cell.get("cell_type") == "markdown":
                cell.source = _H2.sub(_heading_with_id, cell.source)
        html = toc_html(titles)
        if not html:
            return nb, resources
        output = {"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}
        from nbformat import from_dict
        for cell in nb.cells:
            outputs = cell.get("outputs", [])
            if any("rk-header" in str(o.get("data", {}).get("text/html", "")) for o in outputs):
                outputs.append(from_dict(output))
                return nb, resources
        nb.cells.insert(0, from_dict({"cell_type": "code", "id": "reportkit-contents", "source": "", "metadata": {},
                                      "execution_count": None, "outputs": [output]}))
        return nb, resources


def _day(iso: str | None) -> str:
    return fmt.day(date.fromisoformat(iso)) if iso else _("unknown")


def _stamp(iso: str) -> str:
    return fmt.moment(datetime.fromisoformat(iso))


def footer_parts(agency_name: str, sidecar: dict) -> list[str]:
    """Plain-text footer items (escaped by the template): who, data source, freshness, when;
    in the report's language (the caller's current locale)."""
    dq = sidecar.get("data_quality") or {}
    return [_("Prepared by {agency}").format(agency=agency_name),
            _("Data: {source}").format(source=sidecar.get("source") or dq.get("source") or _("unknown source")),
            _("data up to {date}").format(date=_day(dq.get("data_to"))),
            _("generated {moment}").format(moment=_stamp(sidecar["generated_at"]))]


def resources(cfg, sidecar: dict) -> dict:
    """The template's extra resources for one client's page."""
    p = sidecar["period"]
    running = _("{client} · {start} – {end}").format(client=cfg.client_name, start=_day(p["start"]), end=_day(p["end"]))
    return {"reportkit_csp": CSP,
            "reportkit_title": f"{cfg.client_name} · {_day(p['start'])} – {_day(p['end'])} · {cfg.agency.name}",
            "reportkit_accent": cfg.agency.accent_color,
            "reportkit_footer": footer_parts(cfg.agency.name, sidecar),
            "reportkit_print_css": print_margins_css(running, _("Prepared by {agency}").format(agency=cfg.agency.name),
                                                     cover=cfg.pdf.cover)}


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element (no quote, backslash,
    line break or '<' ends it)."""
    out = "".join(f"\\{ord(c):X} " if c in '"\\<>&\n\r\f' else c for c in text)
    return f'"{out}"'


def print_margins_css(header: str, footer: str, cover: bool = False) -> str:
    """The printed page's running header (client and period, top left) and footer (who prepared
    it, bottom left; the page number x of y, bottom right), in the report's language; none of
    them on a cover page."""
    box = "font: 8pt -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #5f6368;"
    return ("@media print { @page { @top-left { content: " + css_string(header) + "; " + box + " } "
            "@bottom-left { content: " + css_string(footer) + "; " + box + " } "
            "@bottom-right { content: " + _page_count_css() + "; font: 8pt sans-serif; color: #5f6368; } } "
            "@page :first { @top-left { content: none; }"
            + (" @bottom-left { content: none; } @bottom-right { content: none; }" if cover else "") + " } }")


def _page_count_css() -> str:
    """'Page 2 of 9' in the report's language, as CSS content (counters for the numbers)."""
    parts = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    return " ".join({"{page}": "counter(page)", "{pages}": "counter(pages)"}.get(p) or css_string(p)
                    for p in parts if p)


def header(logo_html: str, agency_name: str, title: str, subtitle_html: str) -> str:
    """The top of every page: the agency's logo and name, the page's title, a subtitle line.

    ``agency_name`` and ``title`` are plain text (escaped and isolated here); ``logo_html`` and
    ``subtitle_html`` are HTML the caller escaped."""
    return (f'<div class="rk-header"><div class="rk-brand">{logo_html}<span class="rk-agency">'
            f'{user_text(agency_name)}</span></div><h1 class="rk-client">{user_text(title)}</h1>'
            f'<div class="rk-period">{subtitle_html}</div></div>')


def standalone(title: str, body: str, footer: list[str], accent: str = "#1f5fa8", extra_css: str = "") -> str:
    """A self-contained page with the report stylesheet (for pages not made by nbconvert).

    ``title`` and ``footer`` are plain text (escaped here); ``body`` is HTML the caller escaped;
    ``extra_css`` is the page's own rules after the stylesheet (a constant of the caller).
    """
    css = STYLESHEET.read_text(encoding="utf-8")
    accent = accent if re.fullmatch(r"#[0-9a-fA-F]{6}", accent) else "#1f5fa8"
    foot = "".join(f"<span>{escape(part)}</span>" for part in footer)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="generator" content="reportkit">\n<title>{escape(title)}</title>\n'
            f'<style>\n{css}\n:root {{ --accent: {escape(accent)}; }}\n{extra_css}</style>\n</head>\n'
            f'<body>\n<main>\n{body}\n</main>\n<footer class="rk-footer">{foot}</footer>\n</body>\n</html>\n')
