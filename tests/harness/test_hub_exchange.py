"""The hub's exchange permissions, with real accounts and nbgrader's own submit (no hub, no browser).

Two students submit, one with nbgrader's default exchange class and one with ``PrivateSubmit``: the first's
submission is open to any account that learns its name (nbgrader 0.9.6's 0777 folder and 0644 files, the
reason for the hub's classes), the second's to nobody but its student and the graders. The keeper makes
a feedback page its student's only. Needs root (``useradd``); skipped elsewhere, saying so.
"""

import grp
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from coursetools import hub_accounts, hub_config, hub_exchange, hub_reach
from coursetools.hub_accounts import Roster
from coursetools.hub_config import HubPaths, SetupError

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "01_perceptron"


@pytest.fixture(scope="module")
def site():
    if os.geteuid() != 0:
        pytest.skip("creates Unix accounts (useradd) and so needs root; run it as root or in CI")
    try:  # a checkout closed to the accounts (a clone under /root) is bound where they can enter it, as `up` does
        reach = hub_reach.plan(REPO)
    except SetupError as error:
        pytest.skip(f"the test's accounts cannot run this checkout's course environment: {error}")
    hub_reach.mount(reach)
    state = Path(tempfile.mkdtemp(prefix="hub-exchange-", dir="/tmp"))
    state.chmod(0o755)
    paths = reach.paths(state)
    roster = Roster.new(f"x{os.getpid() % 100000:05d}", 3)
    hub_accounts.create(roster, paths.homes)
    try:
        hub_config.user_python(paths)
        hub_exchange.prepare(paths.exchange, roster.instructor.name, roster.graders_group)
        hub_exchange.publish(paths.exchange, REPO / "release", [ASSIGNMENT], roster.instructor.name)
        hub_config.write_role_config(paths, "student")
        yield paths, roster
    finally:
        hub_accounts.remove(roster)
        shutil.rmtree(state, ignore_errors=True)
        hub_reach.unmount(reach)


def as_user(paths: HubPaths, name: str, command: str, private: bool = True) -> subprocess.CompletedProcess:
    config = str(paths.etc("student")) if private else ""
    exchange = "" if private else f" --Exchange.root={paths.exchange} --CourseDirectory.course_id=dlcourse"
    script = (f"cd ~ && JUPYTER_CONFIG_PATH={config} {paths.python} -m nbgrader {command}{exchange}"
              if command.startswith(("fetch", "submit")) else f"cd ~ && {command}")
    return subprocess.run(["runuser", "-u", name, "--", "bash", "-c", script], capture_output=True, text=True,
                          timeout=300)


def submission_of(paths: HubPaths, name: str) -> Path:
    [found] = (paths.exchange / "dlcourse" / "inbound").glob(f"{name}+{ASSIGNMENT}+*")
    return found


def test_default_submit_is_open_and_private_submit_is_not(site):
    paths, roster = site
    default, private, other = roster.students
    for account, is_private in ((default, False), (private, True)):
        for step in (f"fetch_assignment {ASSIGNMENT}", f"submit {ASSIGNMENT}"):
            done = as_user(paths, account.name, step, private=is_private)
            assert done.returncode == 0, done.stdout + done.stderr

    opened = submission_of(paths, default.name)
    assert hub_exchange.mode(opened) == 0o777  # nbgrader's own, measured: why PrivateSubmit exists
    assert as_user(paths, other.name, f"cat '{opened}/submission_secret.txt'").returncode == 0

    closed = submission_of(paths, private.name)
    assert hub_exchange.mode(closed) == hub_exchange.SUBMISSION_DIR_MODE
    files = sorted(closed.iterdir())
    assert {f.name for f in files} >= {f"{ASSIGNMENT}.ipynb", "timestamp.txt", "submission_secret.txt"}
    graders = grp.getgrnam(roster.graders_group).gr_gid
    assert all(hub_exchange.mode(f) == 0o640 and f.stat().st_gid == graders for f in files)
    for command in (f"cat '{closed}/submission_secret.txt'", f"ls '{closed}'", f"touch '{closed}/x'",
                    f"ls {closed.parent}"):
        done = as_user(paths, other.name, command)
        assert done.returncode != 0 and "Permission denied" in done.stderr, (command, done.stdout)
    done = as_user(paths, roster.instructor.name, f"cat '{closed}/submission_secret.txt'")
    assert done.returncode == 0, "the graders must read every submission"


def test_the_keeper_makes_a_feedback_page_its_students_only(site):
    paths, roster = site
    private, other = roster.students[1], roster.students[2]
    owners = hub_exchange.feedback_owners(paths.exchange)
    name = next(page for page, student in owners.items() if student == private.name)
    page = paths.exchange / "dlcourse" / "feedback" / name
    page.write_text("<p>feedback</p>")
    page.chmod(0o644)
    assert as_user(paths, other.name, f"cat {page}").returncode == 0  # as nbgrader leaves it
    assert hub_exchange.keep_feedback_private(paths.exchange) == 1
    assert hub_exchange.mode(page) == hub_exchange.FEEDBACK_FILE_MODE
    assert as_user(paths, other.name, f"cat {page}").returncode != 0
    assert as_user(paths, private.name, f"cat {page}").stdout == "<p>feedback</p>"
    assert hub_exchange.keep_feedback_private(paths.exchange) == 0  # nothing left to change
