"""How full each printed page is: the lowest line of body text (charts' labels included: the
export keeps their text) against the page's content box, from the PDF itself (pypdf)."""

from __future__ import annotations

from pathlib import Path

MM = 72 / 25.4   # points per millimetre


def page_fills(path: Path, top_mm: float = 14, bottom_mm: float = 16) -> list[tuple[float, str]]:
    """Per page: (share of the content box from its top to the lowest body line, the first body
    line). The margins are the print stylesheet's @page ones; text in them (running header,
    footer, page numbers) is not body text."""
    from pypdf import PdfReader
    pages = []
    for page in PdfReader(str(path)).pages:
        top = float(page.mediabox.height) - top_mm * MM
        bottom = bottom_mm * MM
        lines: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size):
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]   # the text's baseline, in page points
            if text.strip() and bottom - 1 < y < top + 1:
                lines.append((y, text.strip()))
        page.extract_text(visitor_text=visit)
        if not lines:
            pages.append((0.0, ""))
            continue
        lines.sort(key=lambda line: -line[0])
        pages.append(((top - lines[-1][0]) / (top - bottom), lines[0][1]))
    return pages


def underfilled(path: Path, headings: set[str], least: float = 0.4) -> list[str]:
    """Pages under ``least`` full that are not a section's last page (the last page, or one
    whose next page opens with a section heading)."""
    fills = page_fills(path)
    return [f"page {i + 1}: {fill:.0%} full, next page opens with {fills[i + 1][1]!r}"
            for i, (fill, _) in enumerate(fills[:-1])
            if fill < least and fills[i + 1][1] not in headings]
