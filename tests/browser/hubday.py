"""Driving the trial JupyterHub (``coursetools.hub``) in the browser: start it for a test module, log a
person in, open their JupyterLab, use nbgrader's Assignment List, read a page as a given account."""

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from coursetools import hub as trial
from coursetools.hub_accounts import Account
from coursetools.hub_config import HubPaths
from tests.browser import jlab

# every cell rendered (JupyterLab 4 otherwise only renders the cells in view), so cells can be found by index
LAB_SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
                "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"}}


def start(options: trial.TrialOptions) -> trial.RunningHub:
    """A trial hub in a fresh state folder under /tmp (pytest's own temporary folders are 0700, which the
    students' accounts could not enter); ``stop_and_remove`` undoes it."""
    state = Path(tempfile.mkdtemp(prefix="hub-day-", dir="/tmp"))
    state.chmod(0o755)
    paths = HubPaths(trial.REPO, state / "hub")
    try:
        hub = trial.up(paths, options)
    except BaseException:
        trial.down(paths)
        shutil.rmtree(state, ignore_errors=True)
        raise
    for account in hub.roster.accounts:
        write_lab_settings(account.name)
    return hub


def stop_and_remove(hub: trial.RunningHub) -> None:
    hub.stop()
    trial.down(hub.paths)
    shutil.rmtree(hub.paths.state.parent, ignore_errors=True)


def home(name: str) -> Path:
    return Path(pwd.getpwnam(name).pw_dir)


def write_lab_settings(name: str) -> None:
    """The account's own JupyterLab settings (as that person would set them in the Settings editor)."""
    user = pwd.getpwnam(name)
    for key, value in LAB_SETTINGS.items():
        path = Path(user.pw_dir) / ".jupyter" / "lab" / "user-settings" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    for folder, _, files in os.walk(Path(user.pw_dir) / ".jupyter"):
        os.chown(folder, user.pw_uid, user.pw_gid)
        for file in files:
            os.chown(os.path.join(folder, file), user.pw_uid, user.pw_gid)


def as_user(name: str, command: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """A shell command run as account ``name`` in its home (what that person could type in a terminal)."""
    return subprocess.run(["runuser", "-u", name, "--", "bash", "-c", f"cd ~ && {command}"], capture_output=True,
                          text=True, timeout=timeout)


def login(page: Page, hub: trial.RunningHub, account: Account, timeout: float = 180) -> float:
    """Log in on the hub's page and wait for the person's JupyterLab (the hub starts it); the seconds."""
    started = time.perf_counter()
    page.goto(f"{hub.url}/hub/login")
    form = page.locator("#username_input")
    menu = page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")
    form.or_(menu).first.wait_for(timeout=timeout * 1000)
    if form.count():  # not logged in yet in this browser context
        page.fill("#username_input", account.name)
        page.fill("#password_input", account.password)
        page.click("#login_submit")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=timeout * 1000)
    return time.perf_counter() - started


def lab_url(hub: trial.RunningHub, account: Account, path: str = "") -> str:
    return f"{hub.url}/user/{account.name}/lab" + (f"/tree/{path}" if path else "")


def open_in_lab(page: Page, hub: trial.RunningHub, account: Account, path: str) -> None:
    page.goto(lab_url(hub, account, path) + "?reset")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=120_000)


def assignment_list(page: Page) -> None:
    jlab.menu(page, "Nbgrader", "nbgrader:open-assignment-list")
    page.locator("#released_assignments_list, #fetched_assignments_list").first.wait_for()


def fetch(page: Page, assignment: str) -> None:
    assignment_list(page)
    page.locator("#released_assignments_list .list_item", has_text=assignment).get_by_role(
        "button", name="Fetch").click()
    page.locator("#fetched_assignments_list .list_item", has_text=assignment).first.wait_for()


def submit(page: Page, assignment: str) -> float:
    """Press Submit in the Assignment List; returns the moment it was pressed (time.monotonic)."""
    assignment_list(page)
    row = page.locator("#fetched_assignments_list .list_item", has_text=assignment).first
    button = row.get_by_role("button", name="Submit")
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=assignment)
    page.wait_for_load_state("networkidle")
    before = submitted.all_inner_texts()  # the list groups an assignment's submissions: a new time shows in it
    pressed = time.monotonic()
    button.click()
    while submitted.all_inner_texts() == before:
        if time.monotonic() - pressed > 60:
            raise AssertionError(f"no new submission of {assignment} in the Assignment List 60 s after Submit")
        page.wait_for_timeout(250)
    return pressed


def feedback_files(account: Account, assignment: str) -> list[Path]:
    """The feedback pages nbgrader's fetch feedback put into the person's assignment folder."""
    return sorted((home(account.name) / assignment / "feedback").glob("*/*.html"))


GRADED = ("serve-summary", ".serve-summary")  # (text in the fetched file, what must be visible in the browser)
LIMITED = ('data-state="limited"', '.serve-status[data-state="limited"]')


def wait_for_feedback(page: Page, account: Account, submission: tuple[str, float], look_for: tuple[str, str],
                      timeout: float) -> float:
    """Press Fetch Feedback in the Assignment List until the fetched page of ``submission`` (assignment,
    the moment Submit was pressed) holds ``look_for`` (GRADED, LIMITED), then open that page in the
    browser. Returns the seconds from pressing Submit to the page visible."""
    marker, selector = look_for
    assignment, pressed = submission
    deadline = pressed + timeout
    while time.monotonic() < deadline:
        assignment_list(page)
        row = page.locator("#submitted_assignments_list .list_item", has_text=assignment).first
        row.get_by_role("button", name="Fetch Feedback").click()
        expect(row.get_by_role("button", name="Fetch Feedback")).to_be_enabled(timeout=60_000)
        pages = feedback_files(account, assignment)  # one folder per submission, named by its time
        if pages and marker in pages[-1].read_text(errors="replace"):
            path = pages[-1].relative_to(home(account.name))
            page.goto(f"{page.url.split('/lab')[0]}/files/{path}")
            expect(page.locator(selector).first).to_be_visible()
            return time.monotonic() - pressed
        time.sleep(1.0)
    raise AssertionError(f"no {marker} page for {account.name} within {timeout:.0f} s of pressing Submit")
