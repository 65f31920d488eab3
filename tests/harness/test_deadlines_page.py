"""The deadlines page of a real Jupyter server on 127.0.0.1 with the extension enabled, as a student's
server runs it: the student's own deadline and extension, the time left, the warning once past due."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.utils import get_username

from coursetools.lab import free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A course folder (settings and an exchange with two released assignments) and a server reading it."""
    tmp_path = tmp_path_factory.mktemp("deadlines")
    me = get_username()
    now = datetime.now(UTC)
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    for name in ("a1_past", "a2_open", "a3_none"):
        (exchange / "dlcourse" / "outbound" / name).mkdir(parents=True)
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'dlcourse'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Autograder.due = {{'a1_past': {(now - timedelta(hours=2)).isoformat()!r}, "
        f"'a2_open': {(now + timedelta(hours=3)).isoformat()!r}}}\n"
        f"c.Autograder.extensions = {{'a2_open': {{{me!r}: 24, 'someone_else': 99}}}}\n"
        "c.Autograder.late_method = 'per_hour'\nc.Autograder.late_rate = 0.05\nc.Autograder.late_cap = 0.5\n")
    port, token = free_port(), "t0ken"
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}", '--ServerApp.jpserver_extensions={"autograder.serve.extension": True}',
            f"--AutograderDeadlines.course_root={course}"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    env = dict(os.environ, PYTHONPATH=str(REPO), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.3)
        yield url, token, me
    finally:
        process.terminate()
        process.wait(20)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode()


def test_the_page_lists_each_released_assignment_with_the_students_own_deadline(server):
    url, token, me = server
    data = json.loads(_get(f"{url}/autograder/deadlines.json?token={token}"))
    assert data["student"] == me
    by_name = {item["assignment"]: item for item in data["deadlines"]}
    assert list(by_name) == ["a2_open", "a1_past", "a3_none"]  # open first, then past, then none
    assert by_name["a2_open"]["extension_hours"] == 24 and by_name["a2_open"]["left"].startswith("1 day 2")
    assert by_name["a1_past"]["left"] == "past"
    # 2 h and some seconds: three hours begun at 5% each, as grading would take them
    assert re.fullmatch(r"A submission now counts as late by 2 h [01] min \(penalty: 15% of its score, 5% per hour "
                        r"begun, at most 50%\)\.", by_name["a1_past"]["warning"]), by_name["a1_past"]["warning"]
    assert by_name["a3_none"]["deadline"] is None and not by_name["a3_none"]["warning"]
    page = _get(f"{url}/autograder/deadlines?token={token}")
    assert "A submission now counts as late by 2 h" in page and "<time datetime=" in page
    assert "someone_else" not in page and "99 h" not in page  # another student's extension is not shown


def test_the_page_needs_the_servers_login(server):
    url, _, _ = server
    with urllib.request.urlopen(f"{url}/autograder/deadlines.json", timeout=20) as response:  # no token
        landed, body = response.geturl(), response.read().decode()
    assert "/login" in landed and '"deadlines"' not in body
