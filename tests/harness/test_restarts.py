"""Grading goes on after a cell hangs or kills its kernel: the notebook runs again in a fresh sandboxed
kernel with that cell skipped, later answers are graded, and the number of restarts is bounded."""

import pytest

from autograder.core.config import Limits
from autograder.core.course import read_notebook, solution_notebook
from autograder.core.status import Status
from autograder.run.reference import reference_records
from autograder.run.worker import NotebookJob, RunSettings, grade_notebook

A = "01_perceptron"
LIMITS = Limits(cell_seconds=4, notebook_seconds=120, restarts=1)
pytestmark = pytest.mark.slow


def _answer(notebook, gid):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


@pytest.fixture(scope="module")
def parts(perceptron_course):
    course = perceptron_course
    source = read_notebook(course.source_path(A, A))
    release = read_notebook(course.release_path(A, A))
    return source, release, reference_records(source, LIMITS)


def _grade(parts, tmp_path, sandbox_mode, hang=(), limits=LIMITS):
    source, release, reference = parts
    submitted = solution_notebook(source)
    for gid in hang:
        cell = _answer(submitted, gid)
        cell.source = "while True:\n    pass\n" + cell.source
    run, tests = grade_notebook(NotebookJob(source, release, submitted, reference), tmp_path,
                                RunSettings(limits, sandbox_mode))
    return run, {t.grade_id: t.score for t in tests if t.score is not None}


def test_a_hanging_answer_costs_only_its_own_tests(parts, tmp_path, sandbox_mode):
    run, scores = _grade(parts, tmp_path, sandbox_mode, hang=["update"])
    assert run.status == Status.GRADED and "1 cell stopped and skipped" in run.reason and "update" in run.reason
    assert scores["test_update"] == 0 and scores["test_update_hidden"] == 0
    assert scores["test_predict"] == 1 and scores["test_loss"] == 1 and scores["test_grad_hidden"] == 1


def test_restarts_are_bounded(parts, tmp_path, sandbox_mode):
    run, scores = _grade(parts, tmp_path, sandbox_mode, hang=["update", "logistic"])
    assert run.status == Status.TIMEOUT and "after 1 restart" in run.reason
    assert scores["test_predict"] == 1 and scores["test_loss"] == 0  # the second hang ended the run
    run, _ = _grade(parts, tmp_path, sandbox_mode, hang=["update"], limits=Limits(cell_seconds=4, restarts=0))
    assert run.status == Status.TIMEOUT  # restarts=0: nbgrader's behaviour, the first hang ends the run
