"""Statuses and their order, typed results, and the worker's intake of files it cannot run."""

from autograder.core.config import Limits
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status, worst
from autograder.run.worker import NotebookFiles, RunSettings, Task, grade_one


def test_worst_status_names_the_submission():
    assert worst([Status.GRADED, "timeout", Status.MEMORY]) == Status.TIMEOUT
    assert worst([]) == Status.MISSING and worst(["graded"]) == "graded"
    assert [s.value for s in sorted(Status, key=lambda s: s.severity)] == [
        "graded", "memory", "timeout", "crashed", "invalid", "missing"]
    assert f"{Status.MEMORY}" == "memory"  # the export's word, in f-strings too


def test_submission_result_totals_and_plain_form():
    tests = [TestResult("t1", "a", 2.0, 2.0, False, "passed", "passed"),
             TestResult("w", "written answer", 3.0, None, False, "graded by hand", "")]
    result = SubmissionResult("ann", notebooks={"nb": NotebookResult(Status.GRADED, tests, "{}", 1.25)})
    assert result.score == 2.0 and result.cell_seconds == 1.25 and len(result.tests) == 2
    plain = result.to_dict()
    assert plain["status"] == "graded" and plain["notebooks"]["nb"][1]["score"] is None


def _task(**notebooks):
    return Task("ann", notebooks, reference={}, run=RunSettings(Limits(), "none"))


def test_missing_unreadable_and_invalid_notebooks_end_without_a_kernel():
    result = grade_one(_task(a=NotebookFiles("{}", "{}", None),
                             b=NotebookFiles("{}", "{}", {"name": "b.ipynb", "error": "b.ipynb is over the limit"}),
                             c=NotebookFiles("{}", "{}", {"name": "c.ipynb", "text": '{"cells": [{"cell_'})))
    assert {name: nb.status for name, nb in result.notebooks.items()} == {
        "a": Status.MISSING, "b": Status.INVALID, "c": Status.INVALID}
    # the worst of the notebooks handed in (a missing one scores 0 and leaves the others their points)
    assert result.status == Status.INVALID
    assert "no a.ipynb was submitted" in result.reason and "over the limit" in result.reason
    assert "not valid JSON" in result.reason
