"""A plain-assert twin of assignment 01, migrated back into checks, grades exactly like the original.

The twin is built from ``source/01_perceptron`` of the frozen test course (tests/files/courses/perceptron) by
``tests/harness/plain_twin.py``: every check call becomes the plain asserts it corresponds to (hidden
``REFERENCE`` values become the literals the reference solution records there, as an nbgrader notebook would
write them), and the checks' import is removed. ``migrate`` must turn the twin back into cells that score the
reference solution and two known-wrong samples test for test as the original cells do.
"""

import copy

import pytest

from autograder.core import course as roles
from autograder.core.course import read_notebook, solution_notebook
from autograder.run.reference import reference_records
from autograder.run.worker import NotebookJob, RunSettings, grade_notebook
from autograder.tools.migrate import IMPORT_LINE, migrate_notebook
from autograder.tools.samples import build, read_sample, sample_files
from tests.harness.plain_twin import plain_twin

ASSIGNMENT = "01_perceptron"
SAMPLES = ("wrong_sign_zero", "wrong_unstable_loss")


@pytest.mark.slow
def test_migrated_plain_twin_grades_like_the_original(perceptron_course, limits, tmp_path):
    course = perceptron_course
    source = read_notebook(course.source_path(ASSIGNMENT, ASSIGNMENT))
    release = read_notebook(course.release_path(ASSIGNMENT, ASSIGNMENT))
    original_reference = reference_records(source, limits)
    twin = plain_twin(source, original_reference)
    assert "assert_close(" not in "".join(c.source for c in twin.cells if roles.is_test(c) and roles.is_hidden(c))

    migrated, plans = migrate_notebook(twin)
    # every plain assert of the twin converts but the one whose bound is computed (migrate leaves those)
    assert [o.old for p in plans for o in p.left] == [
        'assert losses_lr[-1] <= losses_lr[0], "final loss (must not exceed the first)"']
    assert sum(len(p.converted) for p in plans) >= 15
    assert migrated.cells[1].source.startswith(IMPORT_LINE)  # the setup cell, the first code cell
    def hidden(notebook):
        return "".join(c.source for c in notebook.cells if roles.is_test(c) and roles.is_hidden(c))

    assert hidden(twin).count("REFERENCE") == 0  # the twin writes the answers as literals
    # and they left again (a returned tuple is checked item by item in the twin: more checks than before)
    assert hidden(migrated).count("REFERENCE") >= hidden(source).count("REFERENCE") > 10
    migrated_reference = reference_records(migrated, limits)

    samples = {path.stem: read_sample(path) for path in sample_files(course.root, ASSIGNMENT)}
    submissions = {"solution": solution_notebook(source)}
    submissions.update({name: build(samples[name], source, release) for name in SAMPLES})
    for name, submitted in submissions.items():
        scores = []
        for label, notebook, reference in (("original", source, original_reference),
                                           ("migrated", migrated, migrated_reference)):
            scratch = tmp_path / f"{name}-{label}"
            scratch.mkdir()
            job = NotebookJob(notebook, release, copy.deepcopy(submitted), reference)
            run, tests = grade_notebook(job, scratch, RunSettings(limits, "none"))
            assert run.status == "graded", (name, label, run.reason)
            scores.append({t.grade_id: t.score for t in tests})
        assert scores[0] == scores[1], name
        failed = {gid for gid, score in scores[0].items() if score == 0}  # None: a written answer
        assert failed == (set(samples[name].fails or []) if name in samples else set()), name
