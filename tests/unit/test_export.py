"""Exports: this harness's CSV and the layouts Canvas, Moodle and nbgrader read, with a roster."""

import csv

from nbgrader.api import Gradebook

from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.outputs.export import export, read_roster
from autograder.store import gradebook


def _gradebook(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("t1", "nb", "a1", max_score=2, cell_type="code")
        gb.add_grade_cell("t2", "nb", "a1", max_score=3, cell_type="code")
    with gradebook.Writer(url, "a1") as writer:
        writer.save(SubmissionResult("ann", Status.GRADED, "", {"nb": NotebookResult(Status.GRADED, [
            TestResult("t1", "one", 2.0, 2.0, False, "passed", ""),
            TestResult("t2", "two", 3.0, 0.0, True, "failed", "")])}))
        writer.save(SubmissionResult("bob", Status.TIMEOUT, "cell 4 ran past 60 s",
                                     {"nb": NotebookResult(Status.TIMEOUT, [])}))
    return url


def _read(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_every_format_lists_roster_students_and_their_lms_ids(tmp_path):
    url = _gradebook(tmp_path)
    (tmp_path / "roster.csv").write_text("student_id,name,lms_id,sis_login_id,section,email\n"
                                         "ann,Ann Lee,101,alee,S1,ann@x.org\nbob,Bob Ray,102,bray,S2,bob@x.org\n"
                                         "cy,Cy Dunn,103,cdunn,S1,cy@x.org\n")
    roster = read_roster(tmp_path / "roster.csv")

    rows = export(url, "a1", tmp_path / "ours.csv", roster=roster)
    assert [row.student_id for row in rows] == ["ann", "bob", "cy"]
    ours = _read(tmp_path / "ours.csv")
    by_id = {line[0]: line for line in ours[1:]}
    assert ours[0][:6] == ["student_id", "assignment", "score", "max_score", "status", "reason"]
    assert by_id["ann"][2:5] == ["2", "5", "graded"] and by_id["ann"][-2:] == ["2", "0"]
    assert by_id["bob"][4] == "timeout" and by_id["cy"][4] == "missing"

    export(url, "a1", tmp_path / "canvas.csv", "canvas", roster)
    canvas = _read(tmp_path / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "5"]
    assert ["Ann Lee", "101", "ann", "alee", "S1", "2"] in canvas
    assert ["Cy Dunn", "103", "cy", "cdunn", "S1", ""] in canvas  # no submission: left for Canvas to show

    export(url, "a1", tmp_path / "moodle.csv", "moodle", roster)
    moodle = {line[0]: line for line in _read(tmp_path / "moodle.csv")[1:]}
    assert moodle["101"][1:4] == ["ann@x.org", "Ann Lee", "2"] and moodle["101"][4] == ""
    assert moodle["102"][4].startswith("timeout: cell 4") and moodle["103"][3] == ""

    export(url, "a1", tmp_path / "nbgrader.csv", "nbgrader", roster)
    plain = _read(tmp_path / "nbgrader.csv")
    assert plain[0][3] == "student_id" and plain[0][-2:] == ["score", "max_score"]
    assert ["a1", "", "", "ann", "Lee", "Ann", "ann@x.org", "2", "0", "2", "5"] in plain


def test_a_roster_without_student_ids_is_a_sentence(tmp_path):
    import pytest

    from autograder.core.errors import UserError

    (tmp_path / "roster.csv").write_text("name,email\nAnn,ann@x.org\n")
    with pytest.raises(UserError, match="student_id column"):
        read_roster(tmp_path / "roster.csv")
