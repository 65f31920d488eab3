"""Scoring outside the kernel, without a kernel: an executed notebook's recorded values against the
reference's, cell by cell (the slow tests run the same code behind bubblewrap)."""

import numpy as np
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.records import RECORD_MIME, make_record
from autograder.scoring import score_cells


def _test_cell(grade_id, source, points=1, records=(), error=None, ran=True):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": points, "schema_version": 3}
    cell.outputs = [new_output("display_data", data={RECORD_MIME: record}) for record in records]
    if error:
        cell.outputs.append(new_output("error", ename=error[0], evalue=error[1], traceback=[]))
    cell.execution_count = 1 if ran else None
    return cell


def _manual(grade_id, points):
    cell = new_markdown_cell("answer")
    cell.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": grade_id, "points": points,
                                 "schema_version": 3}
    return cell


REFERENCE = {
    "close": [make_record("close", np.array([1.0, 2.0]), "f(x)", rtol=1e-6)],
    "floor": [make_record("at_least", 0.9, "accuracy", bound=0.9)],
    "hidden": [make_record("equal", 3, "count")],
}


def _scores(*cells, stop_reason=""):
    return {t.grade_id: t for t in score_cells(new_notebook(cells=list(cells)), REFERENCE, stop_reason)}


def test_matching_records_earn_the_points_and_others_none():
    scores = _scores(
        _test_cell("close", '"""f is right."""', 2, [make_record("close", np.array([1.0, 2.0 + 1e-9]), "f(x)")]),
        _test_cell("floor", '"""accurate."""', 1, [make_record("at_least", 0.85, "accuracy")]),
        _manual("written", 3))
    assert (scores["close"].score, scores["close"].points) == (2.0, 2.0)
    assert scores["floor"].score == 0.0 and "accuracy" in scores["floor"].message
    assert scores["written"].score is None and scores["written"].points == 3.0


def test_the_reference_sets_the_tolerance_not_the_student():
    loose = make_record("close", np.array([1.0, 2.5]), "f(x)", rtol=1.0)  # the student's own rtol is ignored
    assert _scores(_test_cell("close", "", 1, [loose]))["close"].score == 0.0


def test_a_hidden_test_says_only_failed_and_the_instructor_reads_why():
    hidden = _test_cell("hidden", '"""counts.\n### BEGIN HIDDEN TESTS"""', 1, [make_record("equal", 4, "count")])
    result = _scores(hidden)["hidden"]
    assert result.hidden and result.message == "failed" and "count" in result.detail


def test_missing_extra_or_erroring_records_and_cells_that_never_ran_fail():
    right = make_record("equal", 3, "count")
    scores = _scores(_test_cell("hidden", "", 1, [right, right]))
    assert scores["hidden"].score == 0.0 and "recorded 2 values" in scores["hidden"].detail
    scores = _scores(_test_cell("hidden", "", 1, [right], error=("ValueError", "boom")))
    assert scores["hidden"].score == 0.0 and "ValueError: boom" in scores["hidden"].detail
    scores = _scores(_test_cell("hidden", "", 1, ran=False), stop_reason="cell 3 timed out")
    assert scores["hidden"].detail == "not run (cell 3 timed out)"
    scores = _scores(_test_cell("unknown", "", 1, [right]))
    assert scores["unknown"].score == 0.0 and "no reference" in scores["unknown"].detail


def test_a_scalar_keeps_its_shape():
    as_array = make_record("equal", np.array([3]), "count")  # a (1,) array is not the scalar 3
    assert _scores(_test_cell("hidden", "", 1, [as_array]))["hidden"].score == 0.0
