"""Feedback a student reads: the total and penalty on top, what to look at for each failed visible
test, and hidden tests reduced to their description and verdict."""

import dataclasses

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import feedback
from autograder.results import GradebookRow, TestResult
from autograder.status import Status


def _cell(source, **nbgrader):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


NOTEBOOK = new_notebook(cells=[
    _cell("def predict(x):\n    return x", grade_id="predict", solution=True, grade=False, locked=False),
    _cell('"""predict labels the points."""\nassert_equal(predict(1), 1)', grade_id="test_predict", grade=True,
          solution=False, locked=True, points=1),
    _cell('"""predict on hidden points."""\n### BEGIN HIDDEN TESTS\nassert_equal(predict(7), \"zq-secret\")\n'
          "### END HIDDEN TESTS", grade_id="test_predict_hidden", grade=True, solution=False, locked=True,
          points=2),
])
NOTEBOOK.cells[2].outputs = [new_output("error", ename="AssertionError", evalue="expected zq-secret",
                                         traceback=["zq-secret"])]
TESTS = [
    TestResult("test_predict", "predict labels the points.", 1.0, 0.0, False, "failed: expected 1, got 0 for x = 1",
               "expected 1, got 0"),
    TestResult("test_predict_hidden", "predict on hidden points.", 2.0, 0.0, True, "failed", "expected zq-secret"),
    TestResult("written", "written answer", 2.0, None, False, "graded by hand", "needs manual grading"),
]
ROW = GradebookRow("ann", Status.GRADED, "", 0.0, 5.0, 1, 1.0, TESTS)


def test_summary_says_total_pending_points_and_what_to_look_at():
    text = feedback.summary_markdown("ann", "01_perceptron", ROW, feedback.answers_tested(NOTEBOOK))
    assert "**Total:** 0 / 5" in text
    assert "2 points of written answers wait for a hand grade" in text
    look = text[text.index("## What to look at"):text.index("## Every test")]
    assert "[predict labels the points](#test-test_predict): look at your answer `predict`." in look
    assert "expected 1, got 0 for x = 1" in look
    assert "hidden" not in look  # a failed hidden test is not explained
    assert "Late penalty" not in text


def test_summary_shows_a_late_penalty_when_there_is_one():
    late = dataclasses.replace(ROW, penalty=1.5, lateness="3 h late")
    assert "**Late penalty:** −1.5 (3 h late)" in feedback.summary_markdown("ann", "a", late)


def test_feedback_notebook_redacts_hidden_tests_and_anchors_every_test():
    safe = feedback.feedback_notebook(NOTEBOOK, TESTS)
    text = nbformat.writes(safe)
    assert "zq-secret" not in text and "BEGIN HIDDEN" not in text
    sources = [cell.source for cell in safe.cells]
    assert '<a id="test-test_predict"></a>' in sources and '<a id="test-test_predict_hidden"></a>' in sources
    hidden = safe.cells[sources.index('<a id="test-test_predict_hidden"></a>') + 1]
    assert hidden.outputs[0]["text"] == "failed (0/2)\n"
