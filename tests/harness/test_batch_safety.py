"""A batch on the plain test course (tests/files/courses/plain) that one student's file must not stop,
and the instructor's data that later commands must not lose: a grader-side crash is retried, a roster
never replaces a graded run, a wrong --submissions changes nothing, --force keeps a backup and the
replaced runs stay in the history (issue 26, items 4 and 5)."""

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.core.course import Course, read_notebook
from autograder.core.errors import UserError
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.run.worker import RunSettings
from autograder.store import gradebook
from tests.harness.test_plain_course import COURSE, _answered

pytestmark = pytest.mark.slow
A = "ps1"
NESTED = "[" * 100_000 + "]" * 100_000  # json's decoder raises RecursionError, not JSONDecodeError


@pytest.fixture(scope="module")
def batch(tmp_path_factory, sandbox_mode):
    """The course, a folder with a correct student and one whose notebook is deeply nested JSON, graded
    once with one worker (in this process, where an escaping error would end the batch)."""
    tmp = tmp_path_factory.mktemp("batch")
    shutil.copytree(COURSE, tmp / "course")
    course = Course(tmp / "course")
    subs = tmp / "subs"
    for name in ("problem1", "problem2"):
        folder = subs / "ref" / A
        folder.mkdir(parents=True, exist_ok=True)
        source = read_notebook(course.source_path(A, name))
        nbformat.write(_answered(source, source, {}), folder / f"{name}.ipynb")
    (subs / "deep" / A).mkdir(parents=True)
    (subs / "deep" / A / "problem1.ipynb").write_text(NESTED)
    work = Workdir(tmp / "work")
    results = {r.student_id: r for r in grade_assignment(course, A, subs, work,
                                                         GradeOptions(RunSettings(sandbox=sandbox_mode),
                                                                      workers=1, progress=False))}
    return course, subs, work, results, sandbox_mode


def _copy(work: Workdir, into: Path) -> Workdir:
    shutil.copytree(work.path, into)
    return Workdir(into)


def test_deeply_nested_json_is_that_students_invalid_and_the_batch_goes_on(batch):
    _, _, work, results, _ = batch
    assert results["deep"].status == Status.INVALID and "too deeply" in results["deep"].reason
    assert results["ref"].status == Status.GRADED and results["ref"].score == 5
    stored = gradebook.previous_runs(work.db_url, A)
    assert stored["deep"]["status"] == "invalid" and stored["ref"]["status"] == "graded"


def test_a_grader_side_crash_is_retried_by_the_next_grade_and_kept_in_the_history(batch, tmp_path, monkeypatch):
    course, subs, work, _, mode = batch
    work = _copy(work, tmp_path / "work")

    def broken(*args, **kwargs):
        raise OSError("the grader's disk is full")

    with monkeypatch.context() as patch:  # ref changes (so it is graded again) and the grader fails on it
        patch.setattr("autograder.run.worker.grade_notebook", broken)
        results = grade_assignment(course, A, subs, work,
                                   GradeOptions(RunSettings(sandbox=mode), workers=1, progress=False, force=True))
    crashed = {r.student_id: r for r in results}["ref"]
    assert crashed.status == Status.CRASHED and crashed.grader_fault and "disk is full" in crashed.reason
    again = {r.student_id: r for r in grade_assignment(course, A, subs, work,
                                                       GradeOptions(RunSettings(sandbox=mode),
                                                                    workers=1, progress=False))}
    assert set(again) == {"ref"}, "only the grader-side crash is run again; deep's own invalid file is not"
    assert again["ref"].status == Status.GRADED and again["ref"].score == 5
    runs = [(run.status, run.replaced_at is None) for run in gradebook.history(work.db_url, A, "ref")]
    assert runs == [("graded", False), ("crashed", False), ("graded", True)]


def test_a_roster_never_replaces_a_graded_run(batch, tmp_path):
    course, _, work, _, mode = batch
    work = _copy(work, tmp_path / "work")
    other = tmp_path / "other"
    (other / "newbie" / A).mkdir(parents=True)
    (other / "newbie" / A / "problem1.ipynb").write_text("{}")
    results = grade_assignment(course, A, other, work,
                               GradeOptions(RunSettings(sandbox=mode),
                                            workers=1, progress=False, roster=tuple(["ref", "deep", "carol"])))
    assert {r.student_id: r.status for r in results} == {"newbie": Status.INVALID, "carol": Status.MISSING}
    stored = gradebook.previous_runs(work.db_url, A)
    assert stored["ref"]["status"] == "graded" and stored["deep"]["status"] == "invalid"


def test_a_wrong_submissions_folder_with_a_roster_changes_nothing(batch, tmp_path):
    course, _, work, _, mode = batch
    work = _copy(work, tmp_path / "work")
    before = gradebook.previous_runs(work.db_url, A)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no submission of ps1 in .*check --submissions"):
        grade_assignment(course, A, tmp_path / "empty", work,
                         GradeOptions(RunSettings(sandbox=mode),
                                      workers=1, progress=False, roster=tuple(["ref", "deep"])))
    assert gradebook.previous_runs(work.db_url, A) == before


def test_force_keeps_a_backup_and_says_where(batch, tmp_path, monkeypatch, capsys):
    course, subs, work, _, _ = batch
    work = _copy(work, tmp_path / "work")
    before = gradebook.previous_runs(work.db_url, A)
    monkeypatch.chdir(course.root)
    assert main(["grade", A, "--submissions", str(subs), "--workdir", str(work.path), "--force", "--workers", "1",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    (copy,) = (work.path / "backups").glob("gradebook-*.db")
    assert f"backup of the gradebook: {copy}" in out and gradebook.previous_runs(f"sqlite:///{copy}", A) == before
    assert main(["history", A, "--workdir", str(work.path), "--student", "ref"]) == 0
    assert capsys.readouterr().out.count("\nref ") == 2
