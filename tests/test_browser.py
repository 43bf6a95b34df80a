"""End to end in a real browser: JupyterLab runs 01_persona_explorer and the widget answers its mode dropdown.

JupyterLab is served on loopback (random free port, token auth) from a copy of
notebooks/, so the committed outputs are never overwritten; Debian's Chromium
is driven headless by Playwright. Screenshots land in tests/artifacts/.

When Chromium or Playwright is missing the test skips and says why; with
PERSONA_KIT_REQUIRE_BROWSER=1 (set by `make browser`, so by `make test`) it
fails instead, so CI cannot pass without really running it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from persona_kit import ModeCatalogue

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("PERSONA_KIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NOTEBOOK = "01_persona_explorer.ipynb"
STARTUP_SECONDS = 90
RUN_ALL_MS = 120_000
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext;
    return !!session && session.isReady && session.kernelDisplayStatus === "idle";
}"""
RUN_ALL = """() => {
    const commands = window.jupyterapp.commands;
    commands.execute("notebook:clear-all-cell-outputs").then(() => commands.execute("notebook:run-all-cells"));
}"""
ALL_CELLS_RUN = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const code = panel.content.widgets.filter((cell) => cell.model.type === "code");
    return code.every((cell) => cell.model.executionCount !== null)
        && panel.sessionContext.kernelDisplayStatus === "idle";
}"""


def _cannot_run(reason: str) -> None:
    full = f"browser test cannot run: {reason}"
    print(full)  # noqa: T201  (shown with -rs / -s as well as in the skip reason)
    if os.environ.get("PERSONA_KIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{full} (PERSONA_KIT_REQUIRE_BROWSER=1; `make browser` installs what it needs)")
    pytest.skip(full)


def _playwright() -> Any:
    if not CHROMIUM.is_file():
        _cannot_run(f"no Chromium at {CHROMIUM}; install Debian's package: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("Playwright for Python is not installed: pip install -e '.[dev]'")
    return sync_playwright


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it listens and how to get in."""

    url: str
    token: str
    log: Path


def _lab_settings(settings: Path) -> None:
    """User settings: no news or update checks over the network, and every cell attached to the page.

    JupyterLab skips painting cells outside the viewport by default, which would leave a
    screenshot taken right after scrolling blank.
    """
    for plugin, values in {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"windowingMode": "none"},
    }.items():
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    _playwright()
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _lab_settings(base / "settings")
    port, token = _free_port(), secrets.token_hex(24)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTER_DATA_DIR": str(base / "data"),  # the notebook-signing key goes here, not in $HOME
        "IPYTHONDIR": str(base / "ipython"),
        "PERSONA_KIT_OFFLINE": "1",
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI runners often run as root
    log = base / "jupyterlab.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, f"{url}/api/status?token={token}", log)
        yield Lab(url, token, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _mode_label(mode_id: str) -> str:
    mode = ModeCatalogue().get(mode_id)
    return f"{mode.name} — {mode.company_name}"


def _screenshot(page: Any, card: Any, name: str) -> None:
    """The viewport with the live widget's controls and card in view."""
    page.locator(".pk-mode").scroll_into_view_if_needed()
    card.wait_for(state="visible")
    page.wait_for_timeout(300)  # let the scroll settle before painting
    page.screenshot(path=str(ARTIFACTS / name))


def test_explorer_card_follows_the_mode_dropdown(lab: Lab) -> None:
    sync_playwright = _playwright()
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
            page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000)

            # Clear first, so "every code cell has an execution count" means this run finished them all.
            # Not awaited from Python: run-all's promise is no completion signal (it can stay pending).
            page.evaluate(RUN_ALL)
            page.wait_for_function(ALL_CELLS_RUN, timeout=RUN_ALL_MS)
            card = page.locator(".pk-card .persona-card")
            card.wait_for(timeout=30_000)
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            assert page.get_by_text("Error displaying widget").count() == 0

            # The notebook's last change from code (mode_picker.value = "insurance") reached the browser.
            assert card.get_attribute("data-mode") == "insurance"
            before_text = card.inner_text()
            target = "healthcare"
            _screenshot(page, card, "browser_explorer_before.png")

            page.locator(".pk-mode select").select_option(label=_mode_label(target))
            page.wait_for_selector(f'.pk-card .persona-card[data-mode="{target}"]', timeout=30_000)
            after_text = card.inner_text()
            assert after_text != before_text
            assert ModeCatalogue().get(target).company_name.upper() in after_text.upper()
            assert "Upcoming appointments (" in page.locator(".pk-tables").inner_text()

            _screenshot(page, card, "browser_explorer.png")
        finally:
            browser.close()
    print(f"browser run: {time.monotonic() - started:.1f} s; insurance -> {target}")  # noqa: T201
