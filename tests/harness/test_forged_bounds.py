"""Bounds that numpy's monkeypatches cannot lift, measured on every assignment that has them.

A test cell that bounds an accuracy or a loss used to hand the grader a number the student's kernel
computed: an answer cell that makes ``np.mean`` (or ``torch.Tensor.mean``) answer 1.0 for a boolean array
and 0.0 for a float one then lifted a wrong solution past the floor (or under a ceiling). With the
measured checks (``assert_accuracy_at_least``, ``assert_accuracy_at_most``, ``assert_mse_at_most``,
``assert_cross_entropy_at_most``) the grader computes the quantity itself from the recorded outputs and
the reference's targets.

For each assignment, the known-wrong samples that fail a bounded test cell are graded twice in one batch:
as they are, and with ``FORGE`` appended to the first answer cell, so it runs before every test. The
forged twin must not score more. ``bounded_cells`` lists the test cells a forge could aim at: those that
still use a bare ``assert_at_least`` / ``assert_at_most`` are the ones the trust column marks as judged
from a number the kernel computed.
"""

import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from autograder.core.course import Course, grade_id, is_answer, is_test, read_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.run.worker import RunSettings
from autograder.tools.samples import read_sample, sample_files, write_assignment_samples

FORGE = '''

import numpy as _forge_np

_forge_mean = _forge_np.mean


def _forged_mean(a, *args, **kwargs):
    """Forged: any boolean mean is 1.0 (accuracies), any float mean of a non-negative array 0.0 (losses)."""
    array = _forge_np.asarray(a)
    if array.dtype == bool:
        return 1.0
    if array.dtype.kind == "f" and array.size and _forge_mean(array >= 0) == 1 and not kwargs and not args:
        return 0.0
    return _forge_mean(a, *args, **kwargs)


_forge_np.mean = _forged_mean
try:
    import torch as _forge_torch

    _forge_tensor_mean = _forge_torch.Tensor.mean

    def _forged_tensor_mean(self, *args, **kwargs):
        if self.dtype == _forge_torch.bool or (not self.requires_grad and not args and not kwargs
                                               and self.dtype.is_floating_point and self.numel() > 1
                                               and bool((self >= 0).all()) and not _forge_torch.is_grad_enabled()):
            return _forge_torch.tensor(1.0 if self.dtype == _forge_torch.bool else 0.0)
        return _forge_tensor_mean(self, *args, **kwargs)

    _forge_torch.Tensor.mean = _forged_tensor_mean
except ImportError:
    pass
'''
BOUND = re.compile(r"\bassert_(at_least|at_most|accuracy_at_(?:least|most)|mse_at_most|cross_entropy_at_most)\(")
COURSE = Course.find()


def bounded_cells(assignment: str) -> set[str]:
    """Grade ids of the test cells that bound a number (accuracy, loss, error)."""
    return {grade_id(cell) for name in COURSE.notebook_names(assignment)
            for cell in read_notebook(COURSE.source_path(assignment, name)).cells
            if is_test(cell) and BOUND.search(cell.source)}


def first_answer(assignment: str) -> tuple[str, str]:
    """The first answer cell of the assignment's first notebook: its grade id and the reference answer."""
    from autograder.core.course import solution_notebook

    name = COURSE.notebook_names(assignment)[0]
    solved = solution_notebook(read_notebook(COURSE.source_path(assignment, name)))
    cell = next(cell for cell in solved.cells if is_answer(cell) and cell.cell_type == "code")
    return grade_id(cell), cell.source


ASSIGNMENTS = [a for a in COURSE.assignments() if bounded_cells(a)]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_numpy_forge_lifts_no_bounded_test(assignment, limits, sandbox_mode):
    bounded = bounded_cells(assignment)
    samples = [read_sample(path) for path in sample_files(COURSE.root, assignment)]
    targets = [s for s in samples if s.expect == "partial" and s.fails and bounded & set(s.fails)]
    if not targets:
        pytest.skip(f"no known-wrong sample of {assignment} fails a bounded test cell")
    sample = max(targets, key=lambda s: len(bounded & set(s.fails)))  # the one most bounds hold back
    gid, reference_answer = first_answer(assignment)
    forged = replace(sample, name=f"{sample.name}_forged",
                     cells={**sample.cells, gid: sample.cells.get(gid, reference_answer) + FORGE})
    with tempfile.TemporaryDirectory(prefix=f"forge-{assignment}-") as scratch:
        scratch = Path(scratch)
        write_assignment_samples(COURSE, assignment, scratch / "submissions")
        keep = {sample.name, forged.name, "untouched"}
        for folder in (scratch / "submissions").iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder)
        _write_one(forged, assignment, scratch / "submissions")
        results = grade_assignment(COURSE, assignment, scratch / "submissions", Workdir(scratch / "work"),
                                   GradeOptions(RunSettings(limits=limits, sandbox=sandbox_mode),
                                                workers=2, force=True))
    scores = {r.student_id: {t.grade_id: t.score for t in r.tests} for r in results}
    plain, lifted = scores[sample.name], scores[forged.name]
    raised = {cell: (plain[cell], lifted[cell]) for cell in plain if (lifted.get(cell) or 0) > (plain[cell] or 0)}
    assert not raised, (f"{assignment}: forging numpy's mean lifted {sample.name} on {raised} "
                        "(use a measured check for that bound)")


def _write_one(sample, assignment: str, into: Path) -> None:
    """Write one extra sample beside those ``write_assignment_samples`` wrote."""
    import nbformat

    from autograder.tools.samples import build

    for name in COURSE.notebook_names(assignment):
        source = read_notebook(COURSE.source_path(assignment, name))
        release = read_notebook(COURSE.release_path(assignment, name))
        answers = {grade_id(cell) for cell in source.cells if is_answer(cell)}
        part = replace(sample, cells={gid: text for gid, text in sample.cells.items() if gid in answers})
        folder = into / sample.name / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(part, source, release), folder / f"{name}.ipynb")
