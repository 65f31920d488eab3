"""Scoring outside the kernel, without a kernel: an executed notebook's recorded values against the
reference's, cell by cell (the slow tests run the same code behind bubblewrap)."""

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.judge.records import RECORD_MIME, make_record
from autograder.judge.scoring import ReferenceCell, score_cells


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


RECORDS = {
    "close": [make_record("close", np.array([1.0, 2.0]), "f(x)", rtol=1e-6)],
    "floor": [make_record("at_least", 0.9, "accuracy", bound=0.9)],
    "hidden": [make_record("equal", 3, "count")],
}
REFERENCE = {gid: ReferenceCell.of(records) for gid, records in RECORDS.items()}


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


KERNEL_REFERENCE = {"plain": ReferenceCell.of([]), "checked": ReferenceCell.of(RECORDS["hidden"])}


def _result(cell, text):
    cell.outputs.append(new_output("execute_result", data={"text/plain": text}, execution_count=1))
    return cell


def _kernel(*cells, stop_reason=""):
    return {t.grade_id: t for t in score_cells(new_notebook(cells=list(cells)), KERNEL_REFERENCE, stop_reason)}


def test_a_kernel_verdict_cell_passes_when_it_runs_without_raising():
    scores = _kernel(_test_cell("plain", "assert True", 2), _test_cell("checked", "", 1, RECORDS["hidden"]))
    assert (scores["plain"].score, scores["plain"].trust) == (2.0, "kernel")
    assert (scores["checked"].score, scores["checked"].trust) == (1.0, "checks")
    failed = _kernel(_test_cell("plain", "assert False", 2, error=("AssertionError", "")))["plain"]
    assert failed.score == 0.0 and "AssertionError" in failed.message and failed.trust == "kernel"
    assert _kernel(_test_cell("plain", "", 2, ran=False), stop_reason="cell 2 timed out")["plain"].detail == \
        "not run (cell 2 timed out)"


def test_kernel_verdict_partial_credit_is_nbgraders():
    """A numeric last result is the score, as nbgrader.utils.determine_grade gives it; non-numbers and
    negative numbers are full credit there too; above the points it is clipped (nbgrader raises)."""
    from nbgrader.utils import determine_grade

    for text, want in (("1.5", 1.5), ("0", 0.0), ("2", 2.0), (["1"], 1.0), ("'done'", 2.0), ("-1", 2.0),
                       ("nan", 2.0), (["1", "2"], 2.0)):
        cell = _result(_test_cell("plain", "score", 2), text)
        assert _kernel(cell)["plain"].score == want, text
        assert determine_grade(cell)[0] == want, text
    over = _kernel(_result(_test_cell("plain", "score", 2), "7"))["plain"]
    assert over.score == 2.0
    partial = _kernel(_result(_test_cell("plain", "score", 2), "0.5"))["plain"]
    assert partial.message == "partial credit: 0.5 of 2"


def test_trust_counts_count_each_level():
    from autograder.judge.scoring import trust_counts

    assert trust_counts(KERNEL_REFERENCE) == {"checks": 1, "bound": 0, "kernel": 1}
    assert trust_counts(REFERENCE) == {"checks": 2, "bound": 1, "kernel": 0}


def test_a_reference_cell_s_level_comes_from_its_records_and_its_plain_form_round_trips():
    assert [REFERENCE[gid].trust for gid in ("close", "floor", "hidden")] == ["checks", "bound", "checks"]
    assert ReferenceCell.of([]) == ReferenceCell("kernel", ())
    for cell in (*REFERENCE.values(), ReferenceCell.of([])):
        assert ReferenceCell.from_dict(cell.to_dict()) == cell
    for older in (RECORDS["close"], {"records": RECORDS["close"]}, {"trust": "trusted", "records": []},
                  {"trust": "checks", "records": "x"}):  # a bare list (format 2), no level, a wrong one
        with pytest.raises(ValueError, match="not a reference cell"):
            ReferenceCell.from_dict(older)


def test_a_cell_holding_only_bounds_is_a_kernel_verdict_in_the_trust_column():
    """Its number came from the kernel (a patched numpy can raise it); judged outside, shown as a bound."""
    passed = _scores(_test_cell("floor", "", 1, [make_record("at_least", 0.95, "accuracy", bound=0.9)]))["floor"]
    assert (passed.score, passed.trust) == (1.0, "bound")
    mixed = {"both": ReferenceCell.of(RECORDS["floor"] + RECORDS["hidden"])}
    cell = _test_cell("both", "", 1, [make_record("at_least", 0.95, "accuracy", bound=0.9),
                                      make_record("equal", 3, "count")])
    assert score_cells(new_notebook(cells=[cell]), mixed)[0].trust == "checks"


def test_a_cell_whose_reply_says_it_raised_fails_without_its_error_output():
    """Once the output budget is spent a displayed error could be missing: the execute reply decides."""
    plain = _test_cell("plain", "assert False", 2)  # no error output shown
    scored = score_cells(new_notebook(cells=[plain]), KERNEL_REFERENCE, reply_errors={0: "AssertionError: "})
    assert scored[0].score == 0.0 and "AssertionError" in scored[0].detail
    checked = _test_cell("checked", "", 1, RECORDS["hidden"])
    scored = score_cells(new_notebook(cells=[checked]), KERNEL_REFERENCE, reply_errors={0: "CheckFailed: no"})
    assert scored[0].score == 0.0
