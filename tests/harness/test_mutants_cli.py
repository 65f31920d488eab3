"""``mutants`` grades single-point changes of a real reference solution with the real pipeline."""

import pytest

from autograder.cli import main

pytestmark = pytest.mark.slow


def test_mutants_of_assignment_01_are_graded_and_counted(capsys):
    status = main(["mutants", "01_perceptron", "--cell", "predict", "--limit", "3", "--workers", "2",
                   "--min-killed", "0"])
    out = capsys.readouterr().out
    assert status == 0 and out.startswith("3 mutants: ") and "killed" in out
    assert main(["mutants", "01_perceptron", "--cell", "predict", "--limit", "3", "--min-killed", "1.01"]) == 1
