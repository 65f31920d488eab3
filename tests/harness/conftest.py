import pytest

from autograder.core.config import Limits
from autograder.core.workdir import Workdir


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
