from pathlib import Path

import pytest

from autograder.config import Limits
from autograder.course import Course
from autograder.workdir import Workdir


@pytest.fixture(scope="session")
def grading_workdirs(tmp_path_factory):
    """One work directory per assignment for the session, so each reference solution runs once."""
    cache = {}

    def get(assignment: str) -> Workdir:
        if assignment not in cache:
            cache[assignment] = Workdir(tmp_path_factory.mktemp(f"work-{assignment}"))
        return cache[assignment]

    return get


@pytest.fixture(scope="session")
def limits() -> Limits:
    return Limits(cell_seconds=60, notebook_seconds=300)


PERCEPTRON_ROOT = Path(__file__).resolve().parents[1] / "files" / "courses" / "perceptron"


@pytest.fixture(scope="session")
def perceptron_course() -> Course:
    """The frozen test course ``tests/files/courses/perceptron``: assignment 01_perceptron as it was before
    the course rewrote it (answers predict, update, train, logistic, gd; 14 autograded points), with its
    samples. Harness tests that depend on that structure grade it, so they do not change with the course."""
    return Course(PERCEPTRON_ROOT)
