"""A course in nbgrader's own documented style (tests/files/courses/plain): plain ``assert`` test cells,
a hidden test, a written answer, two notebooks and a data file. Released and graded by this harness with
kernel-verdict cells, and compared with what plain ``nbgrader autograde`` gives the same submissions."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.cli import main
from autograder.core.course import Course, grade_id, is_answer, read_notebook, solution_notebook
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.store import gradebook

COURSE = Path(__file__).resolve().parents[1] / "files" / "courses" / "plain"
A = "ps1"

# answers that differ from the reference, by notebook and grade id
NO_CHECK = 'def squares(n):\n    """The squares of 1 to n."""\n    return [i ** 2 for i in range(1, n + 1)]'
FIRST_COLUMN = ('import csv\n\n\ndef column_mean(path, column):\n    """Always the first column (wrong)."""\n'
                '    with open(path, newline="") as handle:\n        rows = list(csv.reader(handle))[1:]\n'
                '    return sum(float(row[0]) for row in rows) / len(rows)')
# fools a kernel-verdict cell: the answer replaces abs() for every later cell of the student's kernel
FOOLS_ABS = ('import builtins\n\n\ndef column_mean(path, column):\n    return 0.0\n\n\n'
             'builtins.abs = lambda value: 0.0')


def _answered(source, release, answers: dict[str, str]):
    """The release with the reference answers, then ``answers`` over them: what a student hands in."""
    solved = {grade_id(cell): cell.source for cell in solution_notebook(source).cells if is_answer(cell)}
    notebook = nbformat.reads(nbformat.writes(release), 4)
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "code":
            cell.source = answers.get(grade_id(cell), solved[grade_id(cell)])
    return notebook


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The course released from inside its folder, five submissions, graded by this harness and by plain
    nbgrader; (course root, our results by student, the work directory, nbgrader's gradebook url)."""
    tmp = tmp_path_factory.mktemp("plain")
    root = tmp / "course"
    shutil.copytree(COURSE, root)
    here = Path.cwd()
    os.chdir(root)  # Course.find searches upward from the current folder
    try:
        assert main(["release", A]) == 0
    finally:
        os.chdir(here)
    course = Course(root)
    assert (root / "release" / A / "data.csv").read_bytes() == (root / "source" / A / "data.csv").read_bytes()
    nb = {name: (read_notebook(course.source_path(A, name)), read_notebook(course.release_path(A, name)))
          for name in ("problem1", "problem2")}
    students = {
        "ref": {"problem1": {}, "problem2": {}},
        "untouched": {"problem1": None, "problem2": None},
        "first_only": {"problem1": {}},
        "wrong": {"problem1": {"squares": NO_CHECK}, "problem2": {}},
        "partial": {"problem1": {}, "problem2": {"column_mean": FIRST_COLUMN}},
        "fools": {"problem1": {}, "problem2": {"column_mean": FOOLS_ABS}},
    }
    subs = tmp / "subs"
    for student, notebooks in students.items():
        folder = subs / student / A
        folder.mkdir(parents=True)
        for name, answers in notebooks.items():
            source, release = nb[name]
            notebook = release if answers is None else _answered(source, release, answers)
            nbformat.write(notebook, folder / f"{name}.ipynb")
    # a student's own data.csv never replaces the instructor's (the heights would make correct_mean fail)
    (subs / "wrong" / A / "data.csv").write_text("height,weight\n100,1\n")
    work = Workdir(tmp / "work")
    results = {r.student_id: r for r in grade_assignment(course, A, subs, work,
                                                         GradeOptions(workers=2, progress=False))}
    return root, results, work, _plain_nbgrader(root, subs, tmp / "nbgrader")


def _plain_nbgrader(course_root: Path, subs: Path, home: Path) -> str:
    """Plain nbgrader 0.9.6 on a copy of the course (as tests/bench/run_bench.py runs it)."""
    (home / "source").mkdir(parents=True)
    shutil.copytree(course_root / "source" / A, home / "source" / A)
    shutil.copytree(subs, home / "submitted")
    (home / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(home)!r}\nc.Execute.timeout = 60\n")
    nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for command in (["generate_assignment", A, "--force"], ["autograde", A, "--force"]):
        subprocess.run(nbgrader + command, cwd=home, env=env, capture_output=True, check=True)
    return f"sqlite:///{home / 'gradebook.db'}"


def _ours(result) -> dict[str, float]:
    """Autograded scores (a written answer left as released is an automatic 0, compared on its own)."""
    return {t.grade_id: t.score for t in result.tests if t.score is not None and t.trust != "manual"}


@pytest.mark.slow
def test_kernel_verdict_scores_reference_full_release_zero_and_each_wrong_answer_its_test(plain):
    _, results, _, _ = plain
    ref, untouched = results["ref"], results["untouched"]
    assert ref.status == Status.GRADED and ref.score == 5 and {t.trust for t in ref.tests} == {"kernel", "manual"}
    assert untouched.status == Status.GRADED and untouched.score == 0
    first = results["first_only"]
    assert first.status == Status.GRADED and first.score == 2  # problem1's two points kept
    assert first.notebooks["problem2"].status == Status.MISSING and "no problem2.ipynb" in first.reason
    assert first.notebooks["problem1"].status == Status.GRADED
    wrong = results["wrong"]
    assert [t.grade_id for t in wrong.tests if t.score is not None and t.score < t.points
            and t.trust != "manual"] == ["squares_invalid_input"]
    written = next(t for t in wrong.tests if t.grade_id == "squares_explained")
    assert written.score == 0.0 and written.trust == "manual"  # left as released: nbgrader's automatic 0
    assert wrong.score == 4  # the student's data.csv did not replace the instructor's
    hidden = next(t for t in wrong.tests if t.grade_id == "squares_invalid_input")
    assert hidden.hidden and hidden.message == "failed" and "AssertionError" in hidden.detail
    partial = _ours(results["partial"])
    assert partial["both_means"] == 1 and partial["correct_mean"] == 1 and results["partial"].score == 4
    assert "partial credit: 1 of 2" in next(t.message for t in results["partial"].tests if t.grade_id == "both_means")
    assert results["fools"].score == 5  # the known weakness of a kernel verdict (README: convert to checks)


@pytest.mark.slow
def test_scores_match_plain_nbgrader_autograde(plain):
    _, results, _, nbgrader_db = plain
    with Gradebook(nbgrader_db) as gb:
        for student, result in results.items():
            submission = gb.find_submission(A, student)
            theirs = {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades
                      if grade.cell.cell_type == "code"}
            ours = {gid: 0.0 for gid in theirs} | _ours(result)
            assert ours == theirs, student
            # written answers: an automatic 0 when left as released, else waiting for a hand grade, as nbgrader
            written = {grade.name: (grade.auto_score, grade.needs_manual_grade) for notebook in submission.notebooks
                       for grade in notebook.grades if grade.cell.cell_type == "markdown"}
            assert {t.grade_id: (t.score, t.score is None) for t in result.tests if t.grade_id in written} == {
                gid: pair for gid, pair in written.items() if gid in {t.grade_id for t in result.tests}}, student
            assert result.score == submission.code_score, student


@pytest.mark.slow
def test_export_report_and_gradebook_show_the_trust_level(plain, capsys, monkeypatch):
    root, results, work, _ = plain
    monkeypatch.chdir(root)
    stored = {row.student_id: row for row in gradebook.rows(work.db_url, A)}
    assert {t.trust for t in stored["ref"].tests if t.score is not None and t.trust != "manual"} == {"kernel"}
    assert stored["first_only"].score == 2 and stored["first_only"].status == Status.GRADED
    out = work.path / "grades.csv"
    assert main(["export", A, "--workdir", str(work.path), "--out", str(out)]) == 0
    rows = {row["student_id"]: row for row in csv.DictReader(open(out))}
    assert rows["ref"]["kernel_verdict"].split() == ["correct_squares", "squares_invalid_input", "correct_mean",
                                                     "both_means"]
    assert rows["partial"]["q:both_means"] == "1" and rows["first_only"]["score"] == "2"
    capsys.readouterr()
    assert main(["report", A, "--workdir", str(work.path)]) == 0
    text = capsys.readouterr().out
    assert "hidden test, kernel verdict" in text and "kernel verdict = scored by nbgrader's rule" in text
    page = (work.path / "reports" / f"{A}.html").read_text()
    assert "<th>trust</th>" in page and "<td>kernel verdict</td>" in page


@pytest.mark.slow
def test_feedback_per_notebook_hides_hidden_tests_and_samples_cover_every_notebook(plain, monkeypatch, tmp_path):
    from autograder.tools.samples import write_assignment_samples

    root, _, work, _ = plain
    monkeypatch.chdir(root)
    assert main(["feedback", A, "--workdir", str(work.path)]) == 0
    page = (work.path / "feedback" / "wrong" / A / "problem1.html").read_text()
    assert "Total:" in page and "for bad in (-1, -10)" not in page and "BEGIN HIDDEN TESTS" not in page
    assert (work.path / "feedback" / "first_only" / A / "problem1.html").is_file()
    samples = write_assignment_samples(Course(root), A, tmp_path / "samples")
    assert [s.name for s in samples] == ["untouched"]
    assert sorted(p.name for p in (tmp_path / "samples" / "untouched" / A).iterdir()) == ["problem1.ipynb",
                                                                                          "problem2.ipynb"]
