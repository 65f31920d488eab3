"""Grading on submit (``python -m autograder serve``) against a real nbgrader exchange in a test folder.

Students submit and fetch feedback through nbgrader's own exchange classes (``exchange_helpers``), so each
test proves that nbgrader's *Fetch Feedback* finds what the service wrote. Grading is the real pipeline in
the sandbox, on the frozen test course ``perceptron`` (14 autograded points: 7 visible, 7 in 5 hidden tests, and a
written answer of 2).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.core.config import Limits, course_settings
from autograder.core.course import is_hidden, is_test, read_notebook
from autograder.core.workdir import Workdir
from autograder.release.generate import generate_if_changed
from autograder.run.reference import load_reference
from autograder.serve.exchange import CourseExchange
from autograder.serve.service import ServeOptions, Service
from autograder.store import gradebook
from autograder.tools.samples import Sample, build
from tests.harness.exchange_helpers import COURSE_ID, TestExchange

A = "01_perceptron"
LIMITS = Limits(cell_seconds=20, notebook_seconds=60)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def primed(perceptron_course, tmp_path_factory) -> Path:
    """A work directory holding the release and the reference records, copied by each test (so the
    reference solution runs once for the module)."""
    workdir = Workdir(tmp_path_factory.mktemp("serve-primed"))
    course = perceptron_course
    generate_if_changed(course, A, workdir.folder("release"), workdir.db_url, course.source_hash(A))
    load_reference(course, A, workdir, LIMITS)
    return workdir.path


@pytest.fixture
def notebooks(perceptron_course):
    """The notebooks a student hands in: ``solved`` (full marks) and ``untouched`` (the release)."""
    course = perceptron_course
    source = read_notebook(course.source_path(A, A))
    release = read_notebook(course.release_path(A, A))
    return {"solved": build(Sample("solved", "", "full", None, "solution"), source, release), "untouched": release}


@pytest.fixture
def site(tmp_path, primed, perceptron_course):
    """A fresh exchange with the assignment released, and a work directory with the reference ready."""
    shutil.copytree(primed, tmp_path / "work")
    release = perceptron_course.release_path(A, A).parent
    exchange = TestExchange(tmp_path / "exchange", tmp_path / "home").make(release, A)
    return exchange, Workdir(tmp_path / "work")


def make_service(course, exchange: TestExchange, workdir: Workdir, sandbox_mode: str, **settings) -> Service:
    values = course_settings(course.root)
    values.sandbox, values.workers, values.serve_any_owner = sandbox_mode, 2, True  # one account submits for all
    values.cell_seconds, values.notebook_seconds = LIMITS.cell_seconds, LIMITS.notebook_seconds
    for name, value in settings.items():
        setattr(values, name, value)
    return Service(course, A, workdir, ServeOptions.from_settings(values, CourseExchange(exchange.root, COURSE_ID)))


def hidden_texts(course) -> list[str]:
    """Of the hidden tests, what a student never has: their descriptions, and every line of 12 characters
    or more of their hidden regions, unless the release holds it too."""
    release = nbformat.writes(read_notebook(course.release_path(A, A)))
    texts = []
    for cell in read_notebook(course.source_path(A, A)).cells:
        if is_test(cell) and is_hidden(cell):
            texts.append(cell.source.split('"""')[1].strip())
            hidden = cell.source.split("BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            texts += [line.strip() for line in hidden.splitlines()[1:] if len(line.strip()) >= 12]
    return [text for text in texts if text not in release]


def shown(page: str, label: str) -> str:
    """The text after a bold ``label`` on a page."""
    found = re.search(rf"<strong>{label}:</strong>\s*([^<]*)", page)
    return found.group(1).strip() if found else ""


def runs(workdir: Workdir, student: str) -> int:
    return len(gradebook.history(workdir.db_url, A, student))


def test_a_submission_is_graded_and_its_page_is_what_fetch_feedback_finds(site, notebooks, perceptron_course,
                                                                          sandbox_mode):
    exchange, workdir = site
    exchange.submit("alice", A, {A: notebooks["solved"]})
    exchange.submit("bob", A, {A: notebooks["untouched"]})
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode,
                           serve_shows="visible_and_hidden_count")
    assert service.run(once=True) == 2
    alice, bob = exchange.fetch_feedback("alice", A)[A], exchange.fetch_feedback("bob", A)[A]
    assert shown(alice, "Visible tests").startswith("7 / 9") and shown(bob, "Visible tests").startswith("0 / 9")
    assert shown(alice, "Hidden tests") == "5 of 5 pass." and shown(bob, "Hidden tests") == "0 of 5 pass."
    for text in hidden_texts(perceptron_course):
        assert text not in alice and text not in bob, f"a hidden test's text reached a student's page: {text!r}"
    # nothing is graded twice: a second look finds nothing new
    assert service.run(once=True) == 0
    assert runs(workdir, "alice") == runs(workdir, "bob") == 1


def test_a_burst_waits_in_order_and_each_page_says_how_many_are_ahead(site, notebooks, perceptron_course,
                                                                       sandbox_mode, monkeypatch):
    exchange, workdir = site
    students = ["carol", "alice", "bob"]  # in the order they hand in
    for student in students:
        exchange.submit(student, A, {A: notebooks["untouched"]})
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode, serve_poll_seconds=0.0)
    waiting = service.look()
    assert [entry.student for entry in waiting] == students
    for ahead, student in enumerate(students):
        page = exchange.fetch_feedback(student, A)[A]
        assert f"queued, {ahead} ahead" in page and "Visible tests" not in page
    seen: list[tuple[str, int]] = []  # (student, ahead) of every queued page written while the batch runs
    queued = service._queued_pages
    monkeypatch.setattr(service, "_queued_pages", lambda entries: (
        seen.extend((entry.student, ahead) for ahead, entry in enumerate(entries)), queued(entries)))
    assert service.grade(waiting) == 3
    # graded in the order they arrived (two at a time): bob's page moves up as soon as one ahead is graded
    assert ("bob", 1) in seen, f"the last one's page never moved up the queue: {seen}"
    for student in students:
        page = exchange.fetch_feedback(student, A)[A]
        assert shown(page, "Visible tests").startswith("0 / 9") and "queued" not in page


def test_a_submission_past_the_hourly_limit_is_not_graded_and_says_when_the_next_one_is(
        site, notebooks, perceptron_course, sandbox_mode):
    exchange, workdir = site
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode, serve_per_hour=1)
    exchange.submit("alice", A, {A: notebooks["solved"]})
    assert service.run(once=True) == 1
    graded_at = time.time()
    exchange.submit("alice", A, {A: notebooks["untouched"]})
    assert service.run(once=True) == 0
    page = exchange.fetch_feedback("alice", A)[A]
    assert "not graded: past the hourly limit" in page and "Visible tests" not in page
    next_at = re.search(r"from (\d{4}-\d\d-\d\d \d\d:\d\d) UTC on will be graded", page)
    assert next_at, page
    moment = time.mktime(time.strptime(next_at.group(1), "%Y-%m-%d %H:%M")) - time.timezone
    assert graded_at + 3600 - 120 <= moment <= graded_at + 3600 + 60
    assert runs(workdir, "alice") == 1
    assert gradebook.rows(workdir.db_url, A)[0].score == 14  # the graded one stands


def _serve(course_root: Path, exchange: TestExchange, workdir: Workdir, sandbox_mode: str, log: Path):
    """The service as its own process (its own process group: killing it kills its workers too)."""
    argv = [sys.executable, "-m", "autograder", "serve", A, "--exchange", str(exchange.root), "--workdir",
            str(workdir.path), "--serve-any-owner", "--serve-poll-seconds", "0.5", "--sandbox", sandbox_mode,
            "--workers", "2", "--cell-timeout", str(LIMITS.cell_seconds), "--timeout",
            str(LIMITS.notebook_seconds)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(argv, cwd=course_root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _wait(predicate, process, log: Path, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        assert process.poll() is None, f"the service ended early:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds:.0f} s in vain:\n{log.read_text()[-3000:]}")


def _states(workdir: Workdir) -> dict[str, str]:
    import json

    path = workdir.folder("serve") / f"{A}.json"
    try:
        return {entry["student"]: entry["state"] for entry in json.loads(path.read_text()).values()}
    except (OSError, ValueError):
        return {}


def _alice_graded_then_bob_queued(exchange, notebooks, workdir, process, log) -> None:
    """Alice's submission graded by the running service, then Bob's waiting in its queue."""
    exchange.submit("alice", A, {A: notebooks["solved"]})
    _wait(lambda: _states(workdir).get("alice") == "graded", process, log)
    exchange.submit("bob", A, {A: notebooks["untouched"]})
    _wait(lambda: _states(workdir).get("bob") == "queued", process, log)


def test_sigterm_stops_the_service_and_what_waited_or_arrived_meanwhile_is_graded_at_its_next_start(
        site, notebooks, perceptron_course, sandbox_mode, tmp_path):
    exchange, workdir = site
    log = tmp_path / "serve.log"
    process = _serve(perceptron_course.root, exchange, workdir, sandbox_mode, log)
    try:
        _alice_graded_then_bob_queued(exchange, notebooks, workdir, process, log)
        process.send_signal(signal.SIGTERM)  # after a graded batch, while the next one runs
        assert process.wait(120) == 0, log.read_text()[-3000:]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert "stopped by SIGTERM" in log.read_text()
    exchange.submit("carol", A, {A: notebooks["solved"]})  # while the service is down
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode)
    service.run(once=True)
    for student, visible in (("alice", "7 / 9"), ("bob", "0 / 9"), ("carol", "7 / 9")):
        page = exchange.fetch_feedback(student, A)[A]
        assert shown(page, "Visible tests").startswith(visible) and shown(page, "Status") == "graded", student
        assert runs(workdir, student) == 1, f"{student} was graded {runs(workdir, student)} times"
    assert service.run(once=True) == 0


def test_a_killed_service_grades_what_it_had_not_finished_and_nothing_twice(site, notebooks, perceptron_course,
                                                                           sandbox_mode, tmp_path):
    exchange, workdir = site
    log = tmp_path / "serve.log"
    process = _serve(perceptron_course.root, exchange, workdir, sandbox_mode, log)
    try:
        _alice_graded_then_bob_queued(exchange, notebooks, workdir, process, log)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # as a crash would: no chance to save anything
        process.wait(30)
    exchange.submit("carol", A, {A: notebooks["solved"]})  # while the service is down
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode)
    service.run(once=True)
    for student, visible in (("alice", "7 / 9"), ("bob", "0 / 9"), ("carol", "7 / 9")):
        assert shown(exchange.fetch_feedback(student, A)[A], "Visible tests").startswith(visible), student
        assert runs(workdir, student) == 1, f"{student} was graded {runs(workdir, student)} times"
    assert service.run(once=True) == 0


HOSTILE = ("control_correct", "os_exit", "sigint_ignoring_loop", "truncated_json", "leak_error_message")


def test_broken_malicious_and_endless_submissions_get_a_grade_and_a_reason_and_the_service_goes_on(
        site, perceptron_course, sandbox_mode, tmp_path):
    import uuid

    from tests.harness.hostile_corpus import FULL, build_corpus

    exchange, workdir = site
    corpus = tmp_path / "corpus"
    kinds = build_corpus(corpus, workdir.path, uuid.uuid4().hex[:12], 9, perceptron_course, only=HOSTILE)
    for kind in kinds:  # each kind is one student, as the corpus names them
        exchange.submit(kind.name, A, {A: (corpus / kind.name / A / f"{A}.ipynb").read_bytes()})
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode, cell_seconds=8.0)
    assert service.run(once=True) == len(kinds)
    stored = gradebook.previous_runs(workdir.db_url, A)
    for kind in kinds:
        run = stored[kind.name]
        assert run["status"] in kind.statuses, (kind.name, run)
        assert run["reason"] or kind.name in ("control_correct", "leak_error_message"), (kind.name, run)
        assert run["score"] == kind.score if not isinstance(kind.score, str) else run["score"] < FULL, kind.name
        page = exchange.fetch_feedback(kind.name, A)[A]
        assert shown(page, "Status") == run["status"], kind.name
        for text in hidden_texts(perceptron_course):
            assert text not in page, f"{kind.name}: a hidden test's text reached the page: {text!r}"
    # the service is still serving: a later submission is graded by the same service
    exchange.submit("dora", A, {A: (corpus / "control_correct" / A / f"{A}.ipynb").read_bytes()})
    assert service.run(once=True) == 1
    assert stored["control_correct"]["score"] == gradebook.previous_runs(workdir.db_url, A)["dora"]["score"] == FULL


def test_after_the_deadline_the_page_is_the_whole_feedback_and_says_how_late(site, notebooks, perceptron_course,
                                                                           sandbox_mode):
    exchange, workdir = site
    past = (time.time() - 3 * 3600)
    due = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(past))
    exchange.submit("alice", A, {A: notebooks["solved"]})
    exchange.submit("bob", A, {A: notebooks["solved"]})
    service = make_service(perceptron_course, exchange, workdir, sandbox_mode, due={A: due},
                           extensions={A: {"bob": 24}}, late_method="per_hour", late_rate=0.1, late_cap=0.5)
    assert service.run(once=True) == 2
    alice, bob = exchange.fetch_feedback("alice", A)[A], exchange.fetch_feedback("bob", A)[A]
    # alice, 3 h late: everything, with the penalty grading applies (4 hours begun at 10% of the maximum 16)
    assert shown(alice, "Total").startswith("7.6 / 16") and "(hidden)" in alice
    assert "Late penalty:" in alice and "3.0 h late" in alice
    # bob's extension runs for 21 h more: still the visible tests only, on time
    assert shown(bob, "Visible tests").startswith("7 / 9") and "(hidden)" not in bob
    assert shown(bob, "Handed in").startswith("on time (your deadline:")
    for text in hidden_texts(perceptron_course):
        assert text not in bob
