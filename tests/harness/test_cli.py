"""The instructor's and student's commands end to end on assignment 01 of the frozen test course
(tests/files/courses/perceptron, the commands run inside it): grade a zip downloaded from an LMS, export,
feedback, report, re-run, and the student's validate."""

import csv
import zipfile

import nbformat
import pytest

from autograder.cli import main
from autograder.core.course import read_notebook, solution_notebook
from autograder.run import sandbox
from autograder.tools.samples import build as build_sample
from autograder.tools.samples import read_sample

A = "01_perceptron"


@pytest.fixture(scope="module", autouse=True)
def _inside_the_frozen_course(perceptron_course):
    """The commands find their course from the working directory: the frozen test course's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(perceptron_course.root)
        yield


@pytest.fixture(scope="module")
def graded(tmp_path_factory, perceptron_course):
    course = perceptron_course
    """A zip in LMS layout: a correct student, a wrong one, an untouched release, a broken file, and a
    roster student with no file; graded once for the module."""
    tmp = tmp_path_factory.mktemp("cli")
    source = read_notebook(course.source_path(A, A))
    release = read_notebook(course.release_path(A, A))
    files = {
        "alice_1001_01_perceptron.ipynb": nbformat.writes(solution_notebook(source)),
        "bob_1002_01_perceptron.ipynb": nbformat.writes(build_sample(read_sample(
            course.root / "tests/files/submissions" / A / "wrong_no_bias.py"), source, release)),
        "dave_1004_01_perceptron.ipynb": nbformat.writes(release),
        "erin_1005_01_perceptron.ipynb": '{"cells": [{"cell_type": "code", "sou',
    }
    archive = tmp / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(f"submissions/{name}", text)
    roster = tmp / "roster.txt"
    roster.write_text("alice bob carol dave erin\n")
    work = tmp / "work"
    assert main(["grade", A, "--submissions", str(archive), "--workdir", str(work), "--roster", str(roster),
                 "--workers", "2", "--quiet"]) == 0
    return tmp, work


@pytest.mark.slow
def test_export_has_a_status_and_reason_for_everyone(graded):
    tmp, work = graded
    out = tmp / "grades.csv"
    assert main(["export", A, "--workdir", str(work), "--out", str(out)]) == 0
    rows = {row["student_id"]: row for row in csv.DictReader(open(out))}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin"}
    assert (rows["alice"]["status"], rows["alice"]["score"]) == ("graded", "14")
    assert rows["alice"]["max_score"] == "16" and rows["alice"]["manual_pending"] == "1"
    assert rows["bob"]["status"] == "graded" and 0 < float(rows["bob"]["score"]) < 14
    assert (rows["dave"]["status"], rows["dave"]["score"]) == ("graded", "0")
    assert rows["carol"]["status"] == "missing" and "no 01_perceptron.ipynb" in rows["carol"]["reason"]
    assert rows["erin"]["status"] == "invalid" and "not valid JSON" in rows["erin"]["reason"]
    assert rows["alice"]["q:test_predict_hidden"] == "1"


@pytest.mark.slow
def test_feedback_hides_hidden_tests(graded):
    _, work = graded
    assert main(["feedback", A, "--workdir", str(work)]) == 0
    page = (work / "feedback" / "bob" / A / f"{A}.html").read_text()
    assert "Total:" in page and "hidden test: its code is not shown" in page
    assert "What to look at" in page and (work / "feedback" / "bob" / A / "mathjax" / "MathJax.js").is_file()
    assert "default_rng(11)" not in page and "BEGIN HIDDEN TESTS" not in page
    assert "vnd.autograder.record" not in page  # the values handed to the grader stay out of feedback
    broken = (work / "feedback" / "erin" / A / f"{A}.html").read_text()
    assert "not valid JSON" in broken


@pytest.mark.slow
def test_report_and_rerun(graded, capsys):
    tmp, work = graded
    assert main(["report", A, "--workdir", str(work)]) == 0
    assert (work / "reports" / f"{A}.png").stat().st_size > 1000
    assert "Autograded tests, hardest first" in (work / "reports" / f"{A}.html").read_text()
    capsys.readouterr()
    assert main(["grade", A, "--submissions", str(tmp / "downloads.zip"), "--workdir", str(work),
                 "--roster", str(tmp / "roster.txt"), "--quiet"]) == 0
    assert "graded 0 submissions now" in capsys.readouterr().out


@pytest.mark.slow
def test_validate_exit_codes(perceptron_course, tmp_path, capsys):
    course = perceptron_course
    assert main(["validate", str(course.release_path(A, A))]) == 1
    assert "not answered yet" in capsys.readouterr().out
    solved = tmp_path / f"{A}.ipynb"
    nbformat.write(solution_notebook(read_notebook(course.source_path(A, A))), solved)
    assert main(["validate", str(solved)]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_grading_refuses_without_a_sandbox(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    code = main(["grade", A, "--submissions", str(tmp_path), "--workdir", str(tmp_path / "w")])
    assert code == 2 and "--unsafe-no-sandbox" in capsys.readouterr().err


@pytest.mark.slow
def test_similarity_reads_what_was_graded(graded, capsys):
    tmp, work = graded
    assert main(["similarity", A, "--workdir", str(work)]) == 0
    out = capsys.readouterr().out
    page = work / "reports" / f"{A}-similarity.html"
    assert page.is_file() and "alice and bob" in out.splitlines()[0]  # bob is alice's answers but one
    assert "dave" not in page.read_text()  # an untouched release has no answers to compare
