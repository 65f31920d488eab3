"""Browser tests: JupyterLab with nbgrader's extensions, driven in Debian's headless Chromium.

Each test gets a fresh browser context (the browser itself runs with a throwaway profile) and starts its
own JupyterLab (``coursetools.lab.Server``: free port, random token, its own Jupyter config/data/runtime
and workspaces folders, on a temporary copy of the course) and stops its process group afterwards.
Playwright's own browser download is never used: the system's chromium is launched by path.

Screenshots go to ``test-artifacts/`` at the repository root (``BROWSER_ARTIFACTS`` overrides it): one
per failing test, and the ones the tests always take (the Validate dialogs, the grading report).
"""

import os
import shutil
import time
from pathlib import Path

import pytest

from coursetools.lab import Lab, Server, write_config
from tests.browser.support import artifact

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# every cell rendered (JupyterLab 4 otherwise only renders the cells in view), so cells can be found by index
TEST_SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"}}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("chromium is not installed: run `make setup` (as root it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, start_lab, request):
    """A fresh context and page; a screenshot of it when the test fails (taken before the test's
    servers stop, which is why this fixture depends on ``start_lab``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1300})
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    failed = any(getattr(request.node, f"report_{when}", None) is not None
                 and getattr(request.node, f"report_{when}").failed for when in ("setup", "call"))
    if failed:
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        try:
            page.screenshot(path=str(artifact(f"{name}-failure.png")), full_page=True)
        except Exception as error:  # the page may be gone; the report still says what failed
            print(f"no failure screenshot: {error}")
    context.close()


@pytest.fixture
def start_lab():
    """``start_lab(lab)``: a ready server for ``lab``, stopped at teardown."""
    servers = []

    def start(lab: Lab) -> Server:
        write_config(lab, TEST_SETTINGS)
        started = time.perf_counter()
        server = Server(lab)
        servers.append(server)
        server.wait_ready(timeout=180)
        print(f"server ready in {time.perf_counter() - started:.1f} s at {server.url}")
        return server

    yield start
    for server in servers:
        server.stop()
