"""The report's look inside a notebook: every HTML display carries its own styles, scoped.

JupyterLab (or VS Code, or ``jupyter nbconvert --to html``) shows a cell's HTML output without
the report's stylesheet, so the KPI cards would be stacked text and the tables uncoloured.
:class:`Styled` wraps one section's HTML in ``<div class="rk-nb">`` with a ``<style>`` holding
the rules of ``templates/reportkit/style.css`` that this HTML uses, every selector prefixed
with ``.rk-nb`` (``:root`` and ``body`` become ``.rk-nb`` itself; the page's own frame —
``html``, ``main``, the footer, print rules — is left out): nothing leaks into the notebook's
own interface or into the analyst's other outputs.

The client's page already has the whole stylesheet in its ``<head>``: the exporter calls
:func:`unwrap` on every output first (``run.export.Unstyled``), so the exported page is
exactly what it was without this wrapper (one ``<style>``, valid HTML).
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportkit.present.page import STYLESHEET

SCOPE = "rk-nb"
_OPEN = f'<div class="{SCOPE}"'
_STYLE = f'<style class="{SCOPE}-style">'
_CLOSE = "</div>"
_ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_SELECTOR_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
_DROPPED = ("html", "main", "footer")        # the page's frame, not a section's
# Inside a notebook a section sits on white like the report's <main>, in any notebook theme.
_NOTEBOOK_RULES = [((), f".{SCOPE} {{ background: #fff; color: #202124; }}")]


def _blocks(css: str):
    """(prelude, body) of each top-level block of ``css``; nested braces stay in ``body``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    at, depth, start = 0, 0, 0
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                yield css[at:start].strip(), css[start + 1:i]
                at = i + 1


def _scope_selector(selector: str) -> str | None:
    if selector in (":root", "body"):
        return f".{SCOPE}"
    if selector.split(".")[0].split(" ")[0] in _DROPPED:
        return None
    return f".{SCOPE} {selector}"


def _scoped_rules(css: str) -> list[tuple[tuple[frozenset, ...], str]]:
    """Each rule of ``css`` scoped, with the class sets of its selectors (to pick rules by the
    classes an HTML fragment uses). ``@media print`` (and its ``@page``) is left out."""
    rules = []
    for prelude, body in _blocks(css):
        if prelude.startswith("@media"):
            if "print" in prelude:
                continue
            inner = _scoped_rules(body)
            for classes, rule in inner:
                rules.append((classes, f"{prelude} {{ {rule} }}"))
            continue
        if prelude.startswith("@"):
            continue
        kept = [s for s in (_scope_selector(p.strip()) for p in prelude.split(",")) if s]
        if kept:
            classes = tuple(frozenset(_SELECTOR_CLASS.findall(s)) - {SCOPE} for s in kept)
            rules.append((classes, f"{', '.join(kept)} {{ {' '.join(body.split())} }}"))
    return rules


@lru_cache(maxsize=1)
def _rules() -> list[tuple[tuple[frozenset, ...], str]]:
    return _scoped_rules(STYLESHEET.read_text(encoding="utf-8")) + _NOTEBOOK_RULES


def scoped_css(html: str | None = None) -> str:
    """The stylesheet's rules scoped under ``.rk-nb``; with ``html``, only the rules whose
    selectors use classes that ``html`` has (rules on bare elements are always kept)."""
    if html is None:
        return "\n".join(rule for _, rule in _rules())
    used = {c for attr in _CLASS_ATTR.findall(html) for c in attr.split()}
    return "\n".join(rule for classes, rule in _rules()
                     if not classes or any(c <= used for c in classes))


def wrap(html: str, accent: str | None = None) -> str:
    """``html`` inside its scope, with its styles (and the agency's accent colour)."""
    style = f' style="--accent: {accent}"' if accent and _ACCENT.fullmatch(accent) else ""
    return f"{_OPEN}{style}>{_STYLE}\n{scoped_css(html)}\n</style>{html}{_CLOSE}"


def unwrap(html: str) -> str:
    """What :func:`wrap` was given (any other HTML unchanged): for the client's page, whose
    ``<head>`` has the whole stylesheet."""
    if not html.startswith(_OPEN) or not html.endswith(_CLOSE):
        return html
    end = html.find("</style>")
    if end < 0 or _STYLE not in html[:end]:
        return html
    return html[end + len("</style>"):-len(_CLOSE)]


class Styled:
    """One section's HTML for IPython's display: ``_repr_html_`` gives it with its styles
    (:func:`wrap`), so it looks in a notebook as in the client's page."""

    def __init__(self, html: str, accent: str | None = None):
        self.html, self.accent = html, accent

    def _repr_html_(self) -> str:
        return wrap(self.html, self.accent)

    def __repr__(self) -> str:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.html)).strip()
        return text[:200] + ("…" if len(text) > 200 else "")
