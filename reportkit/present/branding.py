"""The agency's branding on every page: the logo as an embedded data: URI (never a link).

The logo file is checked by its bytes, not its name: a PNG, JPEG, GIF, WebP or SVG file
under :data:`MAX_LOGO_BYTES`. An SVG inside ``<img>`` cannot run scripts or load
anything, and the page's Content-Security-Policy allows images from ``data:`` only.
"""

from __future__ import annotations

import base64
from html import escape

from reportkit.config import Agency
from reportkit.paths import resolve_path
from reportkit.errors import ConfigError

MAX_LOGO_BYTES = 150_000  # a logo is shown ~36 px high: anything bigger wastes the size budget
FIX = "use a PNG, JPEG, GIF, WebP or SVG file under 150 KB, e.g. agency: {logo: assets/logo.png}"


def sniff_image_type(data: bytes) -> str | None:
    """The MIME type of image bytes by their signature, or None when not a known image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


def logo_data_uri(agency: Agency) -> str | None:
    """``data:image/...;base64,...`` of the agency logo, None when no logo is set.

    Raises ConfigError naming ``agency.logo`` when the file is missing, too large or not an image.
    """
    if not agency.logo:
        return None
    path = resolve_path(agency.logo)
    where = f"key 'agency.logo' ({agency.logo})"
    if not path.is_file():
        raise ConfigError(where, f"logo file not found at {path}", FIX)
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        raise ConfigError(where, f"logo file is {len(data):,} bytes, more than {MAX_LOGO_BYTES:,}", FIX)
    mime = sniff_image_type(data)
    if mime is None:
        raise ConfigError(where, "the file is not a PNG, JPEG, GIF, WebP or SVG image", FIX)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def logo_img(agency: Agency) -> str:
    """An ``<img>`` element of the logo (alt text: the agency's name), or '' when none."""
    uri = logo_data_uri(agency)
    if uri is None:
        return ""
    return f'<img class="rk-logo" src="{escape(uri)}" alt="{escape(agency.name)} logo">'
