"""The batch's one writer, on a temporary SQLite gradebook: nbgrader's grades per cell and the run row."""

from nbgrader.api import Gradebook

from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.store import gradebook


def _gradebook(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("test_f", "nb", "a1", max_score=2, cell_type="code")
        gb.add_grade_cell("test_g", "nb", "a1", max_score=1, cell_type="code")
        gb.add_grade_cell("written", "nb", "a1", max_score=3, cell_type="markdown")
    return url


def _result(student, status=Status.GRADED, tests=()):
    notebooks = {"nb": NotebookResult(status, list(tests))} if status != Status.MISSING else {}
    return SubmissionResult(student, status, "why", notebooks, seconds=1.5, submission_sha256="s", source_sha256="r")


TESTS = [TestResult("test_f", "f", 2.0, 2.0, False, "passed", "passed"),
         TestResult("test_g", "g", 1.0, 0.0, True, "failed", "expected 3, got 4"),
         TestResult("written", "written answer", 3.0, None, False, "graded by hand", "needs manual grading")]


def test_writer_stores_grades_and_the_run(tmp_path):
    url = _gradebook(tmp_path)
    with gradebook.Writer(url, "a1") as writer:
        writer.save(_result("ann", tests=TESTS))
        writer.save(_result("bob", Status.TIMEOUT, tests=[]))  # its notebook never scored: every cell 0
        writer.save(_result("cy", Status.MISSING))
    runs = gradebook.previous_runs(url, "a1")
    assert (runs["ann"]["status"], runs["ann"]["score"], runs["ann"]["max_score"]) == ("graded", 2.0, 6.0)
    assert runs["ann"]["manual_pending"] == 1 and runs["ann"]["submission_sha256"] == "s"
    assert runs["bob"]["status"] == "timeout" and runs["cy"]["status"] == "missing"
    rows = {row.student_id: row for row in gradebook.rows(url, "a1")}
    assert rows["ann"].score == 2.0 and rows["ann"].manual_pending == 1 and rows["ann"].tests == TESTS
    assert rows["bob"].status == Status.TIMEOUT and rows["bob"].reason == "why"
    written = next(t for t in rows["ann"].tests if t.grade_id == "written")
    assert written.score is None and written.manual_score is None
    with Gradebook(url) as gb:
        grades = {g.name: g for g in gb.find_submission_notebook("nb", "a1", "ann").grades}
        assert grades["test_f"].auto_score == 2.0 and grades["test_g"].auto_score == 0.0
        assert grades["written"].needs_manual_grade
        assert all(g.auto_score == 0.0 for g in gb.find_submission_notebook("nb", "a1", "bob").grades)


def test_a_hand_grade_counts_in_rows_and_a_regrade_replaces_the_run(tmp_path):
    url = _gradebook(tmp_path)
    with gradebook.Writer(url, "a1") as writer:
        writer.save(_result("ann", tests=TESTS))
    with Gradebook(url) as gb:
        grade = gb.find_grade("written", "nb", "a1", "ann")
        grade.manual_score = 2.5
        gb.db.commit()
    row = gradebook.rows(url, "a1")[0]
    assert row.score == 4.5 and next(t for t in row.tests if t.grade_id == "written").manual_score == 2.5
    with gradebook.Writer(url, "a1") as writer:
        writer.save(_result("ann", Status.CRASHED, tests=[]))
    assert list(gradebook.previous_runs(url, "a1")) == ["ann"]
    assert gradebook.previous_runs(url, "a1")["ann"]["status"] == "crashed"


def test_a_save_that_fails_leaves_nothing_of_its_result_and_every_earlier_one_stored(tmp_path, monkeypatch):
    """One transaction per result: a failure half-way (here in the lateness step, after the run row was
    written) keeps the earlier results and adds no run row or grade of the failed one."""
    url = _gradebook(tmp_path)

    def broken(*_):
        raise RuntimeError("disk gone")

    with gradebook.Writer(url, "a1") as writer:
        writer.save(_result("ann", tests=TESTS))
        monkeypatch.setattr(gradebook, "_record_lateness", broken)
        try:
            writer.save(_result("bob", tests=TESTS))
        except RuntimeError:
            pass
        else:
            raise AssertionError("the failing save did not raise")
        monkeypatch.undo()
        writer.save(_result("cy", tests=TESTS))  # the writer is still usable
    runs = gradebook.previous_runs(url, "a1")
    assert sorted(runs) == ["ann", "cy"]
    with Gradebook(url) as gb:
        assert {g.name: g.auto_score for g in gb.find_submission_notebook("nb", "a1", "ann").grades}["test_f"] == 2.0
        bob = gb.find_submission_notebook("nb", "a1", "bob").grades  # nbgrader made the row; no score was kept
        assert all(g.auto_score is None for g in bob)
