"""User text into HTML: escaped, and isolated from the text around it.

Everything a person typed -- the client's and agency's names, goal names, the work log, plan,
action items and communication entries -- goes into the page through :func:`user_text`:
HTML-escaped (a ``<script>`` shows as text) and wrapped in ``<bdi>``, so its writing direction
stays inside it. A right-to-left name, or a right-to-left override that got past the input
checks, never reverses the figures that follow it in the same line (the stylesheet's
``unicode-bidi: isolate`` covers whole cells and headings; ``<bdi>`` covers a name inside a
sentence). Attribute values (``title=``, ``alt=``) take :func:`html.escape` alone.

A generated sentence is one string (the sidecar keeps it as the client reads it); its
figures record the user text typed into it, and :func:`sentence_html` isolates each of
those where the sentence is put into the page.
"""

from __future__ import annotations

import re
from html import escape


def user_text(value) -> str:
    """``value`` as escaped, direction-isolated HTML ("" for an empty value)."""
    text = escape(str(value)) if value is not None else ""
    return f"<bdi>{text}</bdi>" if text else ""


def _spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where ``names`` occur in ``text`` as whole words, longest first, none overlapping."""
    spans: list[tuple[int, int]] = []
    for name in sorted(set(names), key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if all(m.end() <= a or m.start() >= b for a, b in spans):
                spans.append(m.span())
    return sorted(spans)


def sentence_html(text: str | None, figures: list[dict] | None = None) -> str:
    """A generated sentence as escaped HTML, each user text typed into it (its figures of
    format "text" that hold a letter: a goal, channel or work item's name, not a count) in
    ``<bdi>``."""
    if not text:
        return ""
    names = [f["text"] for f in figures or [] if f.get("format") == "text" and f.get("text")
             and any(c.isalpha() for c in f["text"])]
    out, at = [], 0
    for start, end in _spans(text, names):
        out += [escape(text[at:start]), user_text(text[start:end])]
        at = end
    return "".join(out) + escape(text[at:])
