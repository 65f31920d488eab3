"""Shared test set-up: one thread per process, the course under test, sandbox availability."""

import os
import shutil

import pytest

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from autograder.course import Course  # noqa: E402

# The foreign test course's notebooks are graded by tests/harness/test_foreign_course.py, not run as
# lectures: one given cell calls input() on purpose (an nbgrader course may), which nbval cannot answer.
collect_ignore_glob = ["files/courses/foreign/*/*/*.ipynb"]


@pytest.fixture(scope="session")
def course() -> Course:
    return Course.find()


@pytest.fixture(scope="session")
def sandbox_mode() -> str:
    """Tests grade inside the real sandbox; CI installs bubblewrap (make setup)."""
    if shutil.which("bwrap") is None:
        pytest.fail("bubblewrap is not installed: run `make setup` (as root it installs it)")
    return "bwrap"
