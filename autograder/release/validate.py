"""The student's self-check: run the notebook as it stands, in a fresh kernel working in a scratch folder
(the notebook's own folder on ``PYTHONPATH``, for its helper modules), and report each visible test.

It runs on the student's machine with the student's rights: no sandbox, no hidden tests (the release has
none), no reference records (checks only raise on the visible values). Unlike ``nbgrader validate``
(which exits 0 even when tests fail), the command exits non-zero when any test fails, so it can gate a
submission script.
"""

import copy
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import Limits
from autograder.core.course import description, grade_id, is_manual, is_test, points, read_notebook
from autograder.core.status import Status
from autograder.judge.records import cell_error
from autograder.run.execute import run_notebook


@dataclass
class Check:
    grade_id: str
    description: str
    points: float
    passed: bool
    message: str


def validate(path: Path, limits: Limits | None = None) -> tuple[list[Check], str]:
    """Run ``path`` in a fresh kernel (in a scratch copy of its folder); (checks, problem with the run)."""
    path = Path(path).resolve()
    notebook = copy.deepcopy(read_notebook(path))
    with tempfile.TemporaryDirectory(prefix="validate-") as scratch:
        run = run_notebook(notebook, Path(scratch), env={"NBGRADER_EXECUTION": "validate",
                                                         "PYTHONPATH": str(path.parent)}, limits=limits)
    checks = []
    for cell in run.notebook.cells:
        if not is_test(cell) or is_manual(cell):
            continue
        error = cell_error(cell)
        ran = cell.get("execution_count") is not None
        if error is None and ran:
            checks.append(Check(grade_id(cell), description(cell), points(cell), True, ""))
        else:
            if not ran:
                message = "did not run: " + run.reason
            elif error.get("ename") == "NotImplementedError":
                message = "not answered yet (NotImplementedError)"
            else:
                message = f"{error.get('ename')}: {error.get('evalue')}"
            checks.append(Check(grade_id(cell), description(cell), points(cell), False, message))
    problem = "" if run.status == Status.GRADED else f"{run.status}: {run.reason}"
    return checks, problem


def render(checks: list[Check], problem: str) -> str:
    """A plain-text table for the terminal."""
    lines = []
    for check in checks:
        mark = "PASS" if check.passed else "FAIL"
        lines.append(f"{mark}  {check.points:>4g} pt  {check.grade_id}: {check.description}")
        if check.message:
            lines.append(f"      {check.message}")
    earned = sum(c.points for c in checks if c.passed)
    total = sum(c.points for c in checks)
    lines.append(f"{sum(c.passed for c in checks)}/{len(checks)} visible tests pass ({earned:g}/{total:g} points; "
                 "hidden tests are added when your work is graded)")
    if problem:
        lines.append(f"The notebook did not finish: {problem}")
    return "\n".join(lines)
