"""Scores decided outside the student's kernel: every test cell's recorded values against the
reference solution's, cell by cell, with the source's points.

The reference records are computed by running the instructor's source notebook in a clean kernel
(``autograder.run.reference.reference_records``); they are kept in the grader's work directory and never
enter a student's process. Each test cell has one of two trust levels, decided by the reference run:

- ``checks`` (trusted): the cell's checks record values. It earns its points only if it ran, raised
  nothing, and recorded exactly as many values as the reference did at that cell, each passing
  ``records.judge``. Nothing the student's kernel does can loosen the comparison.
- ``kernel`` (nbgrader's own rule, for plain ``assert`` test cells): the reference records nothing. The
  cell earns its points when it ran without raising; a numeric last result (an ``execute_result`` whose
  text is a number) gives nbgrader's partial credit, ``min(max(value, 0), points)``. The verdict comes
  from the student's kernel, so code there (a monkeypatched ``assert`` helper, an input transformer) can
  fool it; convert the cell to checks to close that.

A third level is derived from the first: ``bound``, a ``checks`` cell whose every record is a bare bound
(``assert_at_least`` / ``assert_at_most``). Its number is judged outside the kernel, but the kernel
computed it (an accuracy, a loss), so code there that patches numpy can raise it: for trust it is a kernel
verdict, and it is shown as one. Checks that record predictions and let the grader compute the quantity
are ``checks``.

The reference of one notebook maps each test cell's grade id to a ``ReferenceCell`` (its trust level and
records); the reference cache (``autograder.run.reference``) stores it as ``{"trust", "records"}``.
"""

from dataclasses import dataclass

import nbformat

from autograder.core import course as roles
from autograder.core.plugins import Judge
from autograder.core.results import TestResult, Trust
from autograder.judge.records import RECORD_ENV, RecordJudge, cell_error, cell_records

TEXT_STUB = "YOUR ANSWER HERE"  # what the release puts in a written answer (generate.py's ClearSolutions.text_stub)

CHECKS, KERNEL, BOUND = Trust.CHECKS, Trust.KERNEL, Trust.BOUND  # the trust levels of a test cell's reference
BOUND_KINDS = ("at_least", "at_most")  # records of a number the kernel computed, judged against a bound
KERNEL_VERDICTS = tuple(level for level in Trust if level.kernel_verdict)  # code in the kernel can change these


class ReferenceError(RuntimeError):
    """The instructor's reference solution does not pass its own tests."""


@dataclass(frozen=True)
class ReferenceCell:
    """One test cell of the reference solution's run: its trust level and the records its checks made, in
    order (none for a kernel verdict)."""

    trust: Trust
    records: tuple[dict, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "trust", Trust(self.trust))

    @classmethod
    def of(cls, records) -> "ReferenceCell":
        """The cell whose checks recorded ``records``: ``kernel`` without any, ``bound`` when every one is a
        bare bound, else ``checks``."""
        records = tuple(records)
        if not records:
            return cls(KERNEL)
        return cls(BOUND if all(record.get("kind") in BOUND_KINDS for record in records) else CHECKS, records)

    def to_dict(self) -> dict:
        """The plain form the reference cache stores."""
        return {"trust": str(self.trust), "records": list(self.records)}

    @classmethod
    def from_dict(cls, data: dict) -> "ReferenceCell":
        """Back from ``to_dict``; anything else is a ``ValueError`` (the cache then recomputes it)."""
        if not isinstance(data, dict) or data.get("trust") not in (CHECKS, BOUND, KERNEL) \
                or not isinstance(data.get("records"), list):
            raise ValueError(f"not a reference cell: {str(data)[:80]}")
        return cls(data["trust"], tuple(data["records"]))


def grading_env(figures: bool = False) -> dict[str, str]:
    """Environment of a grading kernel: records on, nbgrader's marker for shortened training, and unless
    ``figures``, matplotlib's non-rendering Agg backend (nobody reads a plot's PNG while grading; drawing
    them was a measurable share of a submission's time)."""
    env = {RECORD_ENV: "1", "NBGRADER_EXECUTION": "autograde"}
    if not figures:
        env["MPLBACKEND"] = "Agg"
    return env


def trust_counts(reference: dict[str, ReferenceCell]) -> dict[str, int]:
    """How many test cells of one notebook's reference are trusted (checks), bounds and kernel-verdict."""
    counts = {CHECKS: 0, BOUND: 0, KERNEL: 0}
    for cell in reference.values():
        counts[cell.trust] += 1
    return counts




def partial_credit(cell, points: float) -> float | None:
    """nbgrader's partial credit of a code cell (``nbgrader.utils.get_partial_grade``): the text of its
    first ``execute_result``, when it is a single number, clipped to ``[0, points]``; None when the cell
    has no execute_result or its text is not a number, NaN or negative (nbgrader then gives full credit).
    A value above ``points`` is clipped (nbgrader raises there and the student's grade is lost)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") != "execute_result":
            continue
        text = out.get("data", {}).get("text/plain", "")
        if isinstance(text, list):
            if len(text) != 1:
                return None
            text = text[0]
        try:
            value = float(text)
        except (TypeError, ValueError):
            return None
        return min(value, points) if value >= 0 else None  # NaN >= 0 is False: full credit, as nbgrader
    return None


def score_cells(executed: nbformat.NotebookNode, reference: dict[str, ReferenceCell], stop_reason: str = "",
                reply_errors: dict[int, str] | None = None, judge: Judge | None = None) -> list[TestResult]:
    """Score every graded cell of an executed, assembled notebook against the reference records.
    ``reply_errors`` (``Run.reply_errors``): the cells whose execute reply said they raised; such a cell
    fails even when its error output is missing. ``judge`` compares each record with the reference's
    (default: ``RecordJudge``, the harness's own comparison)."""
    judge = judge or RecordJudge()
    results = []
    for index, cell in enumerate(executed.cells):
        raised = (reply_errors or {}).get(index)
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        gid, pts, hidden = roles.grade_id(cell), roles.points(cell), roles.is_hidden(cell)
        if roles.is_manual(cell):
            if cell.source.strip() == TEXT_STUB:  # left as released: an automatic 0, as nbgrader gives
                results.append(TestResult(gid, "written answer", pts, 0.0, False, "not answered: 0 points",
                                          "the written answer was left as released (automatic 0)", trust=Trust.MANUAL))
            else:
                results.append(TestResult(gid, "written answer", pts, None, False,
                                          "graded by hand", "needs manual grading", trust=Trust.MANUAL))
            continue
        what = roles.description(cell)
        if gid not in reference:
            results.append(TestResult(gid, what, pts, 0.0, hidden, "not graded: no reference",
                                      "no reference records for this cell"))
            continue
        expected = reference[gid]
        if expected.trust == KERNEL:
            results.append(_kernel_verdict(cell, stop_reason, raised))
            continue
        problem = _problem(cell, expected.records, stop_reason, judge) or raised
        if problem is None:
            results.append(TestResult(gid, what, pts, pts, hidden, "passed", "passed", trust=expected.trust))
        else:
            student_message = "failed" + ("" if hidden else f": {problem}")
            results.append(TestResult(gid, what, pts, 0.0, hidden, student_message, problem, trust=expected.trust))
    return results


def _kernel_verdict(cell, stop_reason: str, raised: str | None = None) -> TestResult:
    """nbgrader's rule: points when the cell ran without raising (its execute reply, not only its outputs,
    says so), partial credit from a numeric result. (Unlike nbgrader, output on stderr, such as a warning,
    costs nothing.)"""
    gid, pts, hidden, what = roles.grade_id(cell), roles.points(cell), roles.is_hidden(cell), roles.description(cell)
    if cell.get("execution_count") is None and not cell.get("outputs"):
        problem = "not run" + (f" ({stop_reason})" if stop_reason else "")
    elif (error := cell_error(cell)) is not None:
        problem = f"{error.get('ename')}: {str(error.get('evalue'))[:300]}"
    elif raised is not None:
        problem = raised
    else:
        credit = partial_credit(cell, pts)
        score = pts if credit is None else credit
        message = "passed" if score == pts else f"partial credit: {score:g} of {pts:g}"
        return TestResult(gid, what, pts, score, hidden, message, message + " (kernel verdict)", trust=KERNEL)
    student_message = "failed" + ("" if hidden else f": {problem}")
    return TestResult(gid, what, pts, 0.0, hidden, student_message, problem, trust=KERNEL)


def _problem(cell, expected: tuple[dict, ...], stop_reason: str, judge: Judge) -> str | None:
    """Why the cell fails, or None when it passes."""
    if cell.get("execution_count") is None and not cell.get("outputs"):
        return "not run" + (f" ({stop_reason})" if stop_reason else "")
    records = cell_records(cell)
    for position, reference in enumerate(expected):
        student = records[position] if position < len(records) else None
        verdict = judge.judge(reference, student)
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
