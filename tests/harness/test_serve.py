"""Grading on submit (``python -m autograder serve``) against a real nbgrader exchange in a test folder.

Students submit and fetch feedback through nbgrader's own exchange classes (``exchange_helpers``), so each
test proves that nbgrader's *Fetch Feedback* finds what the service wrote. Grading is the real pipeline in
the sandbox, on the frozen test course ``perceptron`` (14 autograded points: 7 visible, 7 in 5 hidden tests, and a
written answer of 2).
"""

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import gradebook
from autograder.config import Limits, course_settings
from autograder.course import is_hidden, is_test, read_notebook
from autograder.generate import generate_if_changed
from autograder.reference import load_reference
from autograder.samples import Sample, build
from autograder.serve.exchange import CourseExchange
from autograder.serve.service import ServeOptions, Service
from autograder.workdir import Workdir
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
