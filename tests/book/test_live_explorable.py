"""An explorable in a running JupyterLab recomputes its figure when a control moves.

This is the live rendering workshop attendees get from ``make lab``: a real JupyterLab
server on localhost, a real kernel, driven in headless Chromium.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

TOKEN = "reactive-lab-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on localhost serving one notebook that shows an explorable."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import reactive_lab as rl\nrl.queues.explorables.latency_vs_load().show()")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "live.ipynb")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "jupyter-lab"), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--allow-root", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.expose_app_in_browser=True"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("JupyterLab did not start within 60 s") from None
            time.sleep(0.5)
    yield f"{base}/lab/tree/live.ipynb?token={TOKEN}"
    server.terminate()
    server.wait(timeout=20)


_RUN_WHEN_READY = """async () => {
  const app = window.jupyterapp;
  await app.restored;
  let widget = app.shell.currentWidget;
  while (!widget || !widget.sessionContext) {
    await new Promise(resolve => setTimeout(resolve, 200));
    widget = app.shell.currentWidget;
  }
  await widget.sessionContext.ready;
  await app.commands.execute("notebook:run-all-cells");
}"""


def _figure_hash(page) -> str:
    src = page.locator(".rl-explorable img").first.get_attribute("src")
    return hashlib.sha1(src.encode()).hexdigest()


def _wait_for_new_figure(page, old: str, timeout_s: float = 20) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        new = _figure_hash(page)
        if new != old:
            return new
        page.wait_for_timeout(200)
    return old


def test_live_explorable_recomputes_when_controls_move(jupyterlab, browser):
    """Run the cell; moving the slider, then picking a server count, each shows a new figure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(jupyterlab)
        page.wait_for_function("window.jupyterapp !== undefined", timeout=60_000)
        # Run the notebook once its kernel is ready, through JupyterLab's own command.
        page.evaluate(_RUN_WHEN_READY)
        page.locator(".rl-explorable img").first.wait_for(state="visible", timeout=60_000)
        first = _figure_hash(page)
        page.locator(".rl-explorable .noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        after_slider = _wait_for_new_figure(page, first)
        assert after_slider != first, "moving the load slider did not redraw the figure"
        # A few choices are a row of toggle buttons: the third is 4 servers.
        page.locator(".rl-explorable .widget-toggle-button").nth(2).click()
        after_buttons = _wait_for_new_figure(page, after_slider)
        assert after_buttons != after_slider, "picking servers did not redraw the figure"
        assert "4 servers" in page.locator(".rl-explorable .rl-readout").first.inner_text()
    finally:
        context.close()
