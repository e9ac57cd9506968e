"""Shared fixtures: the built book served on localhost and a headless Chromium with no network.

Book tests (marker ``book``) need ``_build/html``; ``make test`` builds it from clean first.
Browser tests use Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) through
Playwright's Python package: Playwright's own browser download does not work offline.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build" / "html"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(
        "Chromium not found: install Debian's chromium (apt-get install chromium) or set "
        "CHROMIUM to the browser's path. .ci/run installs it when it is missing."
    )


@pytest.fixture(scope="session")
def book_dir() -> Path:
    if not (BUILD / "index.html").exists():
        raise RuntimeError(f"no built book in {BUILD}: run `make book` first")
    return BUILD


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_url(book_dir):
    """Base URL of the built book served from a thread on an ephemeral localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(book_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """A fresh page whose every request outside the book is blocked and recorded."""

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("requestfailed", self._on_failed)
        self.page.on("response", self._on_response)
        self.context.route("**/*", self._route)

    def _on_console(self, message):
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _on_failed(self, request):
        if request.url not in self.outside:
            self.failed.append(f"{request.url}: {request.failure}")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.base_url, "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def goto(self, path: str, theme: str | None = None):
        """Open a page of the book; with ``theme`` ("light" or "dark"), as a reader who
        chose that theme sees it: stored where the theme's own switcher stores it, so the
        page is in that theme from its first paint, with no colour transition under way."""
        if theme is not None:
            self.context.add_init_script(f"localStorage.setItem('mode', '{theme}'); "
                                         f"localStorage.setItem('theme', '{theme}');")
        self.page.goto(self.base_url + path, wait_until="load")
        # Widgets and MathJax render after load; give them a moment to finish or fail.
        self.page.wait_for_load_state("networkidle")
        if theme is not None:
            shown = self.page.evaluate("document.documentElement.dataset.theme")
            assert shown == theme, f"{path} opened in theme {shown!r}, not {theme!r}"
        self.settle()
        return self.page

    def settle(self):
        """Wait for every finite CSS transition and animation on the page to end, so what a
        test measures (contrast, positions) is what the reader sees once the page is still."""
        self.page.evaluate(
            """async () => {
              await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
              const finite = document.getAnimations().filter(
                a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
              await Promise.all(finite.map(a => a.finished.catch(() => null)));
            }""")

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, book_url):
    watch = PageWatch(browser, book_url)
    yield watch
    watch.close()
