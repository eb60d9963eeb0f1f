"""PDF printing around Chromium: paper size, a failing browser, a missing one."""

import os
import stat

import pytest

from reportkit.deliver import pdf
from reportkit.errors import InputError, RenderError


def test_print_copy_sets_the_paper_last_in_head():
    page = "<html><head><style>@page { margin: 1cm; }</style></head><body>x</body></html>"
    copy = pdf._print_copy(page, "Letter")
    assert copy.index("@page { size: 8.5in 11in; }") < copy.index("</head>")
    assert copy.index("margin: 1cm") < copy.index("size: 8.5in 11in")   # later rule wins
    assert "size: 210mm 297mm" in pdf._print_copy(page, "A4")


def test_unknown_paper_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="pdf.paper"):
        pdf.write_pdf(tmp_path / "a.html", tmp_path / "a.pdf", paper="A3")


def test_a_failing_browser_keeps_the_earlier_pdf(tmp_path, monkeypatch):
    # a real executable that fails like a broken Chromium would (exit 1, a message on stderr)
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("REPORTKIT_CHROMIUM", str(broken))
    (tmp_path / "r.html").write_text("<html><head></head><body>r</body></html>")
    earlier = tmp_path / "r.pdf"
    earlier.write_bytes(b"%PDF-1.4 earlier good pdf")
    with pytest.raises(RenderError, match="exit 1.*cannot open display"):
        pdf.write_pdf(tmp_path / "r.html", earlier)
    assert earlier.read_bytes() == b"%PDF-1.4 earlier good pdf"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_missing_browser_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTKIT_CHROMIUM", str(tmp_path / "nothing"))
    with pytest.raises(pdf.ChromiumMissing) as error:
        pdf.find_chromium()
    assert "apt-get install chromium" in str(error.value) and error.value.exit_code == 2
    assert os.environ["REPORTKIT_CHROMIUM"].endswith("nothing")
