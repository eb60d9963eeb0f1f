"""User text into HTML: escaped, and isolated from the text around it.

Everything a person typed -- the client's and agency's names, goal names, the work log, plan,
action items and communication entries -- goes into the page through :func:`user_text`:
HTML-escaped (a ``<script>`` shows as text) and wrapped in ``<bdi>``, so its writing direction
stays inside it. A right-to-left name, or a right-to-left override that got past the input
checks, never reverses the figures that follow it in the same line (the stylesheet's
``unicode-bidi: isolate`` covers whole cells and headings; ``<bdi>`` covers a name inside a
sentence). Attribute values (``title=``, ``alt=``) take :func:`html.escape` alone.
"""

from __future__ import annotations

from html import escape


def user_text(value) -> str:
    """``value`` as escaped, direction-isolated HTML ("" for an empty value)."""
    text = escape(str(value)) if value is not None else ""
    return f"<bdi>{text}</bdi>" if text else ""
