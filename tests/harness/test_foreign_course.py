"""A course written the way public nbgrader courses are (tests/files/courses/foreign: two labs, plain
asserts, a helper module beside each notebook) with the four things that are not this harness's
conventions but that nbgrader releases: a given cell calling ``input()``, a function defined wholly inside
a solution region (a later cell of the release raises ``NameError``), a short common line in a solution
(``print('Hello, World!')``) that a visible line contains, and a hidden assert that begins like a visible
one. ``release`` exits 0 with a warning for each; held to the conventions (``strict_release``) it fails.
Grading gives what plain ``nbgrader autograde`` gives, an unchanged written answer an automatic 0
included (issue 26, item 6)."""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.core.course import Course, grade_id, is_answer, read_notebook, solution_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment

pytestmark = pytest.mark.slow
COURSE = Path(__file__).resolve().parents[1] / "files" / "courses" / "foreign"
LABS = ("lab1", "lab2")
WARNINGS = {  # lab -> (cell, rule) of each warning release must print
    "lab1": {("test_hello", "secret in release"), ("id:cell-02", "input() in a given cell"),
             ("id:cell-05", "name defined only in a solution")},
    "lab2": {("test_tally", "secret in release")},
}
SPLIT_ON_SPACE = 'def count_words(text):\n    return len(text.split(" "))'  # fails the hidden tests
STUDENTS = {  # student -> lab -> {answer grade id: text, or None to leave it as released}
    "ref": {"lab1": {}, "lab2": {}},
    "untouched": {"lab1": {"count_words": None, "hello": None, "why_split": None},
                  "lab2": {"tally": None}},
    "partial": {"lab1": {"count_words": SPLIT_ON_SPACE, "why_split": None}, "lab2": {}},
}


def _handed_in(source, release, answers: dict):
    """The release with the reference answers (written ones too), then ``answers`` over them."""
    solved = {grade_id(cell): cell.source for cell in solution_notebook(source).cells if is_answer(cell)}
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        if is_answer(cell):
            text = answers.get(grade_id(cell), solved[grade_id(cell)])
            if text is not None:
                cell.source = text
    return notebook


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """The course released from inside its folder (the command's output kept), the three students graded
    by this harness and by plain nbgrader; (root, release output, our results, nbgrader's gradebook url)."""
    tmp = tmp_path_factory.mktemp("foreign")
    root = tmp / "course"
    shutil.copytree(COURSE, root)
    here = Path.cwd()
    os.chdir(root)
    try:
        status, output = _release(root, [])
    finally:
        os.chdir(here)
    course = Course(root)
    subs = tmp / "subs"
    for student, labs in STUDENTS.items():
        for lab, answers in labs.items():
            folder = subs / student / lab
            folder.mkdir(parents=True)
            notebook = _handed_in(read_notebook(course.source_path(lab, lab)),
                                  read_notebook(course.release_path(lab, lab)), answers)
            nbformat.write(notebook, folder / f"{lab}.ipynb")
    ours = {lab: {r.student_id: r for r in grade_assignment(course, lab, subs, Workdir(tmp / "work"),
                                                            GradeOptions(workers=2, progress=False))}
            for lab in LABS}
    return root, (status, output), ours, _plain_nbgrader(root, subs, tmp / "nbgrader")


def _release(root: Path, argv: list[str]) -> tuple[int, str]:
    """``python -m autograder release`` in ``root``: (exit status, what it printed)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "release", "--workers", "1", *argv], cwd=root,
                          capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


def _plain_nbgrader(course_root: Path, subs: Path, home: Path) -> str:
    """Plain nbgrader 0.9.6 on a copy of the course (as test_plain_course runs it)."""
    shutil.copytree(course_root / "source", home / "source")
    shutil.copytree(subs, home / "submitted")
    (home / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(home)!r}\nc.Execute.timeout = 60\n")
    nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for lab in LABS:
        for command in (["generate_assignment", lab, "--force"], ["autograde", lab, "--force"]):
            subprocess.run(nbgrader + command, cwd=home, env=env, capture_output=True, check=True)
    return f"sqlite:///{home / 'gradebook.db'}"


def test_release_exits_0_with_a_warning_for_each_convention(foreign):
    _, (status, output), _, _ = foreign
    assert status == 0, output
    assert "FAIL" not in output and "lab1: verified" in output and "lab2: verified" in output
    for lab, expected in WARNINGS.items():
        found = {(line.split("[")[1].split("]")[0], line.split("] ")[1].split(":")[0])
                 for line in output.splitlines() if line.startswith(f"  WARN {lab} ")}
        assert found == expected, (lab, output)


def test_held_to_the_conventions_release_fails(foreign, tmp_path):
    root, _, _, _ = foreign
    strict = tmp_path / "course"
    shutil.copytree(root, strict)
    (strict / "nbgrader_config.py").write_text("c = get_config()\nc.Autograder.strict_release = True\n")
    status, output = _release(strict, ["lab2"])
    assert status == 1 and "  FAIL lab2 [test_tally] secret in release" in output and "WARN" not in output


def test_grades_are_nbgraders_unchanged_written_answer_included(foreign):
    _, _, ours, nbgrader_db = foreign
    with Gradebook(nbgrader_db) as gb:
        for lab in LABS:
            for student, result in ours[lab].items():
                # nbgrader's Grade.score is 0 while a hand grade is pending: compare what it stored instead
                theirs = {grade.name: (grade.auto_score, grade.needs_manual_grade)
                          for notebook in gb.find_submission(lab, student).notebooks for grade in notebook.grades}
                mine = {test.grade_id: (test.score, test.score is None) for test in result.tests}
                assert mine == theirs, (lab, student)
    assert ours["lab1"]["untouched"].tests[-1].score == 0.0 and ours["lab1"]["ref"].tests[-1].score is None
    assert ours["lab1"]["partial"].score == 1 and ours["lab1"]["ref"].score == 3
