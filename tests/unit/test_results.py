"""Statuses and their order, typed results, and the worker's intake of files it cannot run."""

import os
import pickle

import pytest

from autograder.core.config import Limits
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status, worst
from autograder.intake.intake import InvalidSubmission, SubmittedFile, submitted_file
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
                             b=NotebookFiles("{}", "{}", SubmittedFile("b.ipynb", error="b.ipynb is over the limit")),
                             c=NotebookFiles("{}", "{}", SubmittedFile("c.ipynb", text='{"cells": [{"cell_'))))
    assert {name: nb.status for name, nb in result.notebooks.items()} == {
        "a": Status.MISSING, "b": Status.INVALID, "c": Status.INVALID}
    # the worst of the notebooks handed in (a missing one scores 0 and leaves the others their points)
    assert result.status == Status.INVALID
    assert "no a.ipynb was submitted" in result.reason and "over the limit" in result.reason
    assert "not valid JSON" in result.reason


def test_a_submitted_file_is_its_text_or_intakes_refusal_and_travels_to_workers(tmp_path):
    good, big, link = tmp_path / "good.ipynb", tmp_path / "big.ipynb", tmp_path / "link.ipynb"
    good.write_text("{}")
    big.write_text("x" * 100)
    os.symlink(good, link)
    read = submitted_file(good, max_bytes=50)
    assert read == SubmittedFile("good.ipynb", text="{}") and read.read() == "{}"
    assert pickle.loads(pickle.dumps(read)) == read  # tasks travel to worker processes and Dask
    assert submitted_file(None) is None
    for path, why in ((big, "over the"), (link, "symbolic link")):
        refused = submitted_file(path, max_bytes=50)
        assert refused.text is None and why in refused.error
        with pytest.raises(InvalidSubmission, match=why):
            refused.read()
    with pytest.raises(ValueError, match="either its text or an error"):
        SubmittedFile("both.ipynb", text="{}", error="refused")
    with pytest.raises(ValueError, match="either its text or an error"):
        SubmittedFile("neither.ipynb")
