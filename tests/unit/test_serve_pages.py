"""The page of a graded submission before the deadline holds nothing of a hidden test but, when asked
for, how many hidden tests pass; the status pages say what happens next."""

from datetime import UTC, datetime

from autograder.core.results import GradebookRow, TestResult
from autograder.core.status import Status as RunStatus
from autograder.serve.pages import Graded, Status, before_deadline, feedback_paths, graded_html, status_html

HIDDEN_DESCRIPTION = "predict() on the instructor's 17 secret points"
HIDDEN_MESSAGE = "expected [1, -1, 1] at x = 0.73105857863"


def _row(hours_late: float = 0.0) -> GradebookRow:
    tests = [TestResult("v1", "predict() on four points", 1, 1, False, "passed", ""),
             TestResult("v2", "update() moves the line", 2, 0, False, "failed: expected 1, got 0", ""),
             TestResult("h1", HIDDEN_DESCRIPTION, 3, 3, True, "passed", ""),
             TestResult("h2", "hidden two", 4, 0, True, HIDDEN_MESSAGE, HIDDEN_MESSAGE)]
    return GradebookRow("alice", RunStatus.GRADED, "", 4, 10, 0, 1.0, tests, hours_late=hours_late,
                        lateness="2.0 h late: 10% per hour begun" if hours_late else "")


def test_before_the_deadline_only_visible_tests_and_the_hidden_count():
    deadline = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)
    for count in (False, True):
        page = graded_html(Graded("a1", _row(), None, None, before_deadline(_row(), count, deadline)))
        assert "Visible tests:</strong> 1 / 3" in page and "update() moves the line" in page
        assert HIDDEN_DESCRIPTION not in page and HIDDEN_MESSAGE not in page and "hidden two" not in page
        assert "4 / 10" not in page  # the total would tell how the hidden tests went
        assert ("1 of 2 pass" in page) is count
        assert "on time (your deadline: 2026-12-24 12:00 UTC)" in page


def test_after_the_deadline_the_whole_page_and_late_work_says_so():
    row = _row(hours_late=2.0)
    assert "late: 2.0 h late" in graded_html(Graded("a1", row, None, None, before_deadline(row, False, None)))
    whole = graded_html(Graded("a1", row, None, None, None))
    assert HIDDEN_DESCRIPTION in whole and "Total:</strong> 4 / 10" in whole


def test_status_pages_and_where_nbgrader_looks(tmp_path):
    from nbgrader.utils import notebook_hash

    page = status_html(Status("a1", "alice", "queued", "queued, 3 ahead", "2026-12-01 10:00:00 UTC",
                              ["<script>alert(1)</script>"]))
    assert "queued, 3 ahead" in page and "<script>alert" not in page  # escaped
    paths = feedback_paths(tmp_path, "s3cret", ("a1", "a1_part2"))
    assert paths["a1"] == tmp_path / f"{notebook_hash(secret='s3cret', notebook_id='a1')}.html"
    assert feedback_paths(tmp_path, "", ("a1",)) == {}
