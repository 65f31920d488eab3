"""Rescore without re-running: after a change of points or of the reference, stored submissions are
judged again from the values they recorded; a changed test's code sends its submissions back to grading."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import Course, read_notebook, solution_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.run.worker import RunSettings
from autograder.store import gradebook
from autograder.tools.rescore import apply, rescore
from autograder.tools.samples import build as build_sample
from autograder.tools.samples import read_sample

A = "01_perceptron"
pytestmark = pytest.mark.slow


def _cell(notebook, gid):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, perceptron_course, sandbox_mode):
    """A course of its own (so its source can change; a copy of the frozen test course's 01_perceptron), three
    submissions graded once."""
    course = perceptron_course
    root = tmp_path_factory.mktemp("rescore")
    shutil.copytree(course.root / "source" / A, root / "source" / A)
    # its given code imports the course's helper package, as the frozen course's configuration says
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.Autograder.kernel_packages = ['dlcourse']\n")
    mine = Course(root)
    source = read_notebook(mine.source_path(A, A))
    release = read_notebook(course.release_path(A, A))
    subs = root / "subs"
    for student, notebook in {
            "alice": solution_notebook(source),
            "bob": build_sample(read_sample(course.root / "tests/files/submissions" / A / "wrong_no_bias.py"),
                                source, release),
            "dave": release}.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(notebook, subs / student / f"{A}.ipynb")
    work = Workdir(root / "work")
    results = grade_assignment(mine, A, subs, work,
                               GradeOptions(RunSettings(sandbox=sandbox_mode), workers=2, progress=False,
                                            times={"bob": datetime(2026, 12, 1, 12, tzinfo=UTC)}))
    return mine, work, {r.student_id: r for r in results}


def test_nothing_changed_means_no_change(graded):
    course, work, results = graded
    found = rescore(course, A, work)
    assert found.changes == [] and found.rerun == {} and found.unchanged == 3


def test_new_points_rescore_every_student_and_apply_stores_them(graded):
    course, work, results = graded
    path = course.source_path(A, A)
    original = path.read_text()
    try:
        source = read_notebook(path)
        _cell(source, "test_predict_hidden").metadata["nbgrader"]["points"] = 3
        nbformat.write(source, path)
        database = Path(work.db_url.removeprefix("sqlite:///"))
        stored_before = database.read_bytes()
        found = rescore(course, A, work)
        assert database.read_bytes() == stored_before  # the preview wrote no grade and no point value
        changed = {(c.student_id, c.grade_id): (c.old, c.new) for c in found.changes}
        assert changed[("alice", "test_predict_hidden")] == (1.0, 3.0)  # passed: earns the new points
        assert changed[("dave", "test_predict_hidden")] == (0.0, 0.0)  # failed: new maximum, still 0
        assert {c.grade_id for c in found.changes} == {"test_predict_hidden"} and not found.rerun
        assert "alice" in found.preview() and "1 → 3" in found.preview()
        before = {r.student_id: r.score for r in gradebook.rows(work.db_url, A)}
        runs_before = gradebook.previous_runs(work.db_url, A)
        before_max = gradebook.rows(work.db_url, A)[0].max_score
        copy = apply(found, work, course, A)
        assert copy.parent == work.folder("backups") and gradebook.previous_runs(f"sqlite:///{copy}", A) == runs_before
        after = {r.student_id: r for r in gradebook.rows(work.db_url, A)}
        assert after["alice"].score == before["alice"] + 2 and after["alice"].max_score == before_max + 2
        assert after["bob"].timestamp == "2026-12-01T12:00:00+00:00"  # a late penalty cannot vanish
        replaced = [run for run in gradebook.history(work.db_url, A, "alice") if run.replaced_at is not None]
        assert [run.score for run in replaced] == [before["alice"]]
        bob_passed = next(t.score for t in results["bob"].tests if t.grade_id == "test_predict_hidden") > 0
        assert after["bob"].score == before["bob"] + 2 * bob_passed and after["dave"].score == 0
    finally:
        path.write_text(original)


def test_a_changed_test_sends_its_submissions_back_to_grading(graded):
    course, work, _ = graded
    path = course.source_path(A, A)
    original = path.read_text()
    try:
        source = read_notebook(path)
        _cell(source, "test_loss").source += "\n# checked once more"
        nbformat.write(source, path)
        found = rescore(course, A, work)
        assert set(found.rerun) == {"alice", "bob", "dave"} and "test_loss" in found.rerun["alice"]
        assert found.results == []
        stored = gradebook.previous_runs(work.db_url, A)
        assert all(json.loads(run["tests_json"]) for run in stored.values())
    finally:
        path.write_text(original)
