"""Scores decided outside the student's kernel: every test cell's recorded values against the
reference solution's, cell by cell, with the source's points.

The reference records are computed by running the instructor's source notebook in a clean kernel
(``reference_records``); they are kept in the grader's work directory and never enter a student's
process. A test cell earns its points only if it ran, raised nothing, and recorded exactly as many
values as the reference did at that cell, each passing ``records.judge``.
"""

import json
import tempfile
from pathlib import Path

import nbformat

from autograder import course as roles
from autograder.execute import GRADED, Limits, cell_error, cell_records, run_notebook
from autograder.records import RECORD_ENV, judge
from autograder.results import TestResult


class ReferenceError(RuntimeError):
    """The instructor's reference solution does not pass its own tests."""


def grading_env(figures: bool = False) -> dict[str, str]:
    """Environment of a grading kernel: records on, nbgrader's marker for shortened training, and unless
    ``figures``, matplotlib's non-rendering Agg backend (nobody reads a plot's PNG while grading; drawing
    them was a measurable share of a submission's time)."""
    env = {RECORD_ENV: "1", "NBGRADER_EXECUTION": "autograde"}
    if not figures:
        env["MPLBACKEND"] = "Agg"
    return env


def reference_records(source: nbformat.NotebookNode, limits: Limits | None = None,
                      kernel_name: str = "python3") -> dict[str, list]:
    """Run the reference notebook in a clean kernel; the records of each test cell by grade id.

    Raises ReferenceError naming the cell when the reference fails a test, records nothing in a test
    cell, or does not run to the end.
    """
    notebook = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="reference-") as scratch:
        run = run_notebook(notebook, Path(scratch), env=grading_env(), limits=limits, kernel_name=kernel_name)
    if run.status != GRADED:
        raise ReferenceError(f"the reference solution did not run to the end: {run.status}: {run.reason}")
    out = {}
    for cell in run.notebook.cells:
        if not roles.is_test(cell):
            continue
        gid = roles.grade_id(cell)
        error = cell_error(cell)
        if error is not None:
            raise ReferenceError(f"test cell {gid} fails on the reference solution: "
                                 f"{error.get('ename')}: {error.get('evalue')}")
        records = cell_records(cell)
        if not records:
            raise ReferenceError(f"test cell {gid} calls no check from autograder.checks, so the grader "
                                 "could only trust the student's kernel to score it")
        bad = [r for r in records if r.get("error")]
        if bad:
            raise ReferenceError(f"test cell {gid}: {bad[0]['error']}")
        out[gid] = records
    return out


def score_cells(executed: nbformat.NotebookNode, reference: dict[str, list], stop_reason: str = "") -> list[TestResult]:
    """Score every graded cell of an executed, assembled notebook against the reference records."""
    results = []
    for cell in executed.cells:
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        gid, pts, hidden = roles.grade_id(cell), roles.points(cell), roles.is_hidden(cell)
        if roles.is_manual(cell):
            results.append(TestResult(gid, "written answer", pts, None, False,
                                      "graded by hand", "needs manual grading"))
            continue
        what = roles.description(cell)
        expected = reference.get(gid)
        if expected is None:
            results.append(TestResult(gid, what, pts, 0.0, hidden, "not graded: no reference",
                                      "no reference records for this cell"))
            continue
        problem = _problem(cell, expected, stop_reason)
        if problem is None:
            results.append(TestResult(gid, what, pts, pts, hidden, "passed", "passed"))
        else:
            student_message = "failed" + ("" if hidden else f": {problem}")
            results.append(TestResult(gid, what, pts, 0.0, hidden, student_message, problem))
    return results


def _problem(cell, expected: list, stop_reason: str) -> str | None:
    """Why the cell fails, or None when it passes."""
    if cell.get("execution_count") is None and not cell.get("outputs"):
        return "not run" + (f" ({stop_reason})" if stop_reason else "")
    records = cell_records(cell)
    for position, reference in enumerate(expected):
        student = records[position] if position < len(records) else None
        verdict = judge(reference, student)
        if verdict is not None:
            error = cell_error(cell)
            if student is None and error is not None:
                return f"{error.get('ename')}: {str(error.get('evalue'))[:300]}"
            return f"{reference.get('what', 'check')}: {verdict}"
    if len(records) != len(expected):
        return f"recorded {len(records)} values where the reference records {len(expected)}"
    error = cell_error(cell)
    if error is not None:
        return f"{error.get('ename')}: {str(error.get('evalue'))[:300]}"
    return None
