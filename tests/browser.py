"""Helpers for tests in a real browser: the system Chromium driven by Playwright.

Never `playwright install`: Playwright launches the Debian `chromium` (executable_path).
A missing Chromium or Playwright skips these tests on a workstation and FAILS them in CI
(CI=true), so they can never be skipped silently where it matters.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
VIEWPORTS = [(390, 844), (1280, 800)]


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; .ci/run installs chromium)")
    pytest.skip(reason)


def require_chromium() -> str:
    from reportkit.deliver.pdf import ChromiumMissing, find_chromium
    try:
        return find_chromium()
    except ChromiumMissing as error:
        _missing(f"Chromium is not installed: {error}")


@contextmanager
def browser():
    """A headless system Chromium under Playwright."""
    executable = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


class PageLog:
    """Everything a page did that a client-ready report must not do."""

    def __init__(self, page):
        self.console_errors, self.page_errors, self.requests, self.dialogs = [], [], [], []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        self.failed = {}
        page.on("requestfailed", lambda r: self.failed.__setitem__(r.url, r.failure))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]


def open_page(b, path: Path, width: int, height: int):
    page = b.new_page(viewport={"width": width, "height": height})
    log = PageLog(page)
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, log


def screenshot(page, folder: Path, name: str) -> Path:
    """A full-page PNG in ``folder`` (the ``artifacts`` fixture: never the checkout)."""
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
