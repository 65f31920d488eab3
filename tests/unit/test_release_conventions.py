"""Foreign courses (issue 26, item 6), the fast part: which courses are held to this harness's own
conventions, and nbgrader's automatic 0 for a written answer left as released. The release of the
foreign test course itself is tests/harness/test_foreign_course.py."""

from pathlib import Path

from nbformat.v4 import new_markdown_cell, new_notebook

from autograder.core.config import course_limits, course_strict_release
from autograder.judge.scoring import TEXT_STUB, score_cells

FOREIGN = Path(__file__).resolve().parents[1] / "files" / "courses" / "foreign"


def test_this_course_is_strict_and_a_foreign_one_is_not(course, tmp_path):
    assert course_strict_release(course.root) is True
    assert course_strict_release(FOREIGN) is False and course_strict_release(None) is False
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Autograder.strict_release = True\n")
    assert course_strict_release(tmp_path) is True
    course_limits(tmp_path)  # a setting of the grader, not refused as unknown


def _written(text: str):
    cell = new_markdown_cell(text)
    cell.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "why", "points": 2,
                                 "schema_version": 3}
    return cell


def test_a_written_answer_left_as_released_is_an_automatic_0_and_an_answer_waits_for_a_hand_grade():
    (left,) = score_cells(new_notebook(cells=[_written(TEXT_STUB + "\n")]), {})
    (answered,) = score_cells(new_notebook(cells=[_written("Because the gradient vanishes.")]), {})
    assert (left.score, left.points, left.trust) == (0.0, 2.0, "manual")
    assert answered.score is None and answered.trust == "manual"
