"""The whole hostile corpus (tests/harness/hostile_corpus.py, with its kinds that attack the template and the
other kernels) graded with kernels forked from a template (``c.Autograder.sandbox = "template"``): every
kind must end with the status and score it declares, exactly as with the ``bwrap`` backend
(tests/harness/test_hostile.py, whose tests run here again against this batch)."""


import pytest

from tests.harness.backends_here import need_backend
from tests.harness.test_hostile import *  # noqa: F401,F403 - the same tests, against the batch graded below
from tests.harness.test_hostile import hostile, leak_pages  # noqa: F401 - the module's fixtures

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sandbox_mode() -> str:
    need_backend("template")
    return "template"
