"""Shared test set-up: one thread per process, the course under test, sandbox availability."""

import os
import shutil
from pathlib import Path

import pytest

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from autograder.core.course import Course  # noqa: E402

# The foreign test course's notebooks are graded by tests/harness/test_foreign_course.py, not run as
# lectures: one given cell calls input() on purpose (an nbgrader course may), which nbval cannot answer.
# Test courses' student releases raise NotImplementedError by design.
collect_ignore_glob = ["files/courses/foreign/*/*/*.ipynb", "files/courses/*/release/*/*.ipynb"]


@pytest.fixture(scope="session")
def course() -> Course:
    return Course.find()


PERCEPTRON_ROOT = Path(__file__).resolve().parent / "files" / "courses" / "perceptron"


@pytest.fixture(scope="session")
def perceptron_course() -> Course:
    """The frozen test course ``tests/files/courses/perceptron``: assignment 01_perceptron as it was before
    the course rewrote it (answers predict, update, train, logistic, gd; 14 autograded points), with its
    samples. Harness tests that depend on that structure grade it, so they do not change with the course."""
    return Course(PERCEPTRON_ROOT)


@pytest.fixture(scope="session")
def sandbox_mode() -> str:
    """Tests grade inside the real sandbox; CI installs bubblewrap (make setup)."""
    if shutil.which("bwrap") is None:
        pytest.fail("bubblewrap is not installed: run `make setup` (as root it installs it)")
    return "bwrap"
