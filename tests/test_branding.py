"""The agency logo: embedded as a data: URI, checked by its bytes."""

import base64

import pytest

from reportkit.present.branding import MAX_LOGO_BYTES, logo_data_uri, logo_img, sniff_image_type
from reportkit.config import Agency
from reportkit.errors import ConfigError

PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_png_logo_becomes_a_data_uri(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1PX)
    uri = logo_data_uri(Agency(name="A", logo=str(logo)))
    assert uri == "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    img = logo_img(Agency(name='Q&A "Digital"', logo=str(logo)))
    assert 'alt="Q&amp;A &quot;Digital&quot; logo"' in img and 'class="rk-logo"' in img


def test_svg_is_recognised_by_content_not_name(tmp_path):
    logo = tmp_path / "logo.png"                     # misnamed: the bytes decide
    logo.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert logo_data_uri(Agency(logo=str(logo))).startswith("data:image/svg+xml;base64,")
    assert sniff_image_type(b"GIF89a....") == "image/gif"
    assert sniff_image_type(b"\xff\xd8\xff\xe0") == "image/jpeg"


def test_no_logo_means_no_image():
    assert logo_data_uri(Agency()) is None and logo_img(Agency()) == ""


@pytest.mark.parametrize("content,problem", [
    (None, "logo file not found"),
    (b"<html><script>alert(1)</script></html>", "not a PNG, JPEG, GIF, WebP or SVG"),
    (PNG_1PX + b"\0" * MAX_LOGO_BYTES, "more than 150,000"),
])
def test_bad_logo_names_the_key_and_the_fix(tmp_path, content, problem):
    logo = tmp_path / "logo.png"
    if content is not None:
        logo.write_bytes(content)
    with pytest.raises(ConfigError) as error:
        logo_data_uri(Agency(logo=str(logo)))
    text = str(error.value)
    assert "agency.logo" in text and problem in text and "fix:" in text


@pytest.mark.slow
def test_validate_reports_a_bad_logo_with_exit_status_2(tmp_path, root):
    import subprocess
    import sys
    params = tmp_path / "acme.yaml"
    params.write_text((root / "params" / "acme_outdoor.yaml").read_text()
                      .replace("logo: assets/northstar_logo.svg", "logo: assets/missing.png"))
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", str(params)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 2
    assert "agency.logo" in proc.stderr and "logo file not found" in proc.stderr
    assert "Traceback" not in proc.stderr
