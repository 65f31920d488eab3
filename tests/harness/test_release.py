"""Every assignment's student release: in sync with source/, free of secrets, runnable, and scored
full for the reference solution and zero untouched."""

import pytest

from autograder.core.course import Course, read_notebook
from autograder.release.verify import (
    _check_structure,
    check_in_sync,
    check_no_secrets,
    check_release_runs,
    check_scores,
)
from autograder.run.reference import load_reference
from autograder.run.worker import RunSettings

ASSIGNMENTS = Course.find().assignments()


def test_every_topic_has_an_assignment_and_a_lecture(course):
    lectures = sorted(p.stem for p in (course.root / "notebooks").glob("*.ipynb"))
    assert ASSIGNMENTS, "no assignments in source/"
    for assignment in ASSIGNMENTS:
        assert assignment in lectures, f"{assignment} has no lecture notebook"
        folder = course.root / "source" / assignment
        extra = [p.name for p in folder.iterdir() if p.suffix != ".ipynb"]
        assert not extra, f"source/{assignment} holds {extra}: nbgrader would copy them into the release"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_in_sync_and_without_secrets(course, assignment):
    problems = check_in_sync(course, assignment)
    for name in course.notebook_names(assignment):
        source = read_notebook(course.source_path(assignment, name))
        problems += check_no_secrets(name, source, read_notebook(course.release_path(assignment, name)))
        problems += _check_structure(name, source)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_runs_and_scores(course, assignment, grading_workdirs, limits, sandbox_mode):
    reference = load_reference(course, assignment, grading_workdirs(assignment), limits)
    problems = []
    for name in course.notebook_names(assignment):
        source = read_notebook(course.source_path(assignment, name))
        release = read_notebook(course.release_path(assignment, name))
        problems += check_release_runs(name, release, limits)
        problems += check_scores(name, source, release, reference[name], RunSettings(limits, sandbox_mode))
        # every test cell of this course records checks (values, or bare bounds on a measured number); a plain
        # assert cell would be a kernel verdict
        kernel = [gid for gid, cell in reference[name].items() if cell.trust == "kernel"]
        problems += [f"{name} [{gid}] records no check (kernel verdict)" for gid in kernel]
    assert not problems, "\n".join(map(str, problems))


def test_secret_detection_catches_a_leak(perceptron_course):
    course = perceptron_course  # the frozen test course: its 01 has the "predict" answer this test leaks
    source = read_notebook(course.source_path("01_perceptron", "01_perceptron"))
    release = read_notebook(course.release_path("01_perceptron", "01_perceptron"))

    def cell(notebook):
        return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "predict")

    solution = cell(source).source
    body = solution.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    line = next(text for text in body.splitlines() if text.strip() and not text.strip().startswith("#"))
    cell(release).source += "\n" + line  # one line of the reference solution leaks into the release
    problems = check_no_secrets("01_perceptron", source, release)
    assert any(p.rule == "secret in release" and p.cell == "predict" for p in problems)
