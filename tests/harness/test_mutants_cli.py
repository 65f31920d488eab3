"""``mutants`` grades single-point changes of a real reference solution with the real pipeline (on the frozen
test course tests/files/courses/perceptron, so the command is tested apart from the course's content)."""

import pytest

from autograder.cli import main

pytestmark = pytest.mark.slow


def test_mutants_of_assignment_01_are_graded_and_counted(perceptron_course, monkeypatch, capsys):
    monkeypatch.chdir(perceptron_course.root)
    status = main(["mutants", "01_perceptron", "--cell", "predict", "--limit", "3", "--workers", "2",
                   "--min-killed", "0"])
    out = capsys.readouterr().out
    assert status == 0 and out.startswith("3 mutants: ") and "killed" in out
    assert main(["mutants", "01_perceptron", "--cell", "predict", "--limit", "3", "--min-killed", "1.01"]) == 1
