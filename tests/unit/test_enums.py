"""Trust level, sandbox mode and late method are str-valued enums: the words in nbgrader_config.py, on the
command line, in the gradebook's stored tests and in the export stay exactly what they were."""

import json

import pytest

from autograder.core.config import Autograder
from autograder.core.results import GradebookRow, TestResult, Trust
from autograder.core.status import Status
from autograder.intake.lateness import METHODS, LateMethodName, LatePolicy, PerDay
from autograder.run.backends import BACKENDS, NoSandbox, SandboxMode, backend


def test_a_test_s_trust_is_a_level_and_is_stored_as_its_word():
    stored = {"grade_id": "t", "description": "d", "points": 1.0, "score": 1.0, "hidden": False,
              "message": "passed", "detail": "passed", "trust": "bound"}  # as an earlier run's tests_json holds it
    test = TestResult.from_dict(stored)
    assert test.trust is Trust.BOUND and test.trust == "bound" and test.trust.kernel_verdict
    plain = test.to_dict()
    assert plain == stored | {"manual_score": None} and type(plain["trust"]) is str
    assert json.loads(json.dumps(plain))["trust"] == "bound" and f"{test.trust}" == "bound"
    assert TestResult.from_dict({k: v for k, v in stored.items() if k != "trust"}).trust is Trust.CHECKS
    assert [level.kernel_verdict for level in Trust] == [False, True, True, False]
    with pytest.raises(ValueError):
        TestResult("t", "d", 1.0, 1.0, False, "", "", trust="trusted")


def test_the_export_s_kernel_verdict_column_names_kernel_and_bound_tests():
    import csv
    import io

    from autograder.core.plugins import ExportTable
    from autograder.outputs.export import Ours

    tests = [TestResult(gid, "d", 1.0, 1.0, False, "", "", trust=trust)
             for gid, trust in (("a", "checks"), ("b", "kernel"), ("c", Trust.BOUND), ("w", "manual"))]
    row = GradebookRow("ann", Status.GRADED, "", 3.0, 4.0, 0, 1.0, tests)
    out = io.StringIO()
    Ours().write(csv.writer(out), ExportTable("a1", [row], {}, 4.0))
    header, line = csv.reader(io.StringIO(out.getvalue()))
    assert line[header.index("kernel_verdict")] == "b c"


def test_sandbox_modes_are_the_configuration_s_words():
    assert Autograder().sandbox == SandboxMode.BWRAP == "bwrap" and type(Autograder().sandbox) is str
    assert set(BACKENDS) == {"bwrap", "template", "none"} and backend("none") == NoSandbox()
    assert backend(SandboxMode.NONE).name is SandboxMode.NONE and f"{SandboxMode.NONE}" == "none"


def test_late_methods_are_the_configuration_s_words():
    assert Autograder().late_method == LateMethodName.NONE == "none"
    assert set(METHODS) == {"none", "per_hour", "per_day", "nbgrader"} == {str(name) for name in LateMethodName}
    policy = LatePolicy.from_settings(Autograder(late_method="per_day", late_rate=0.1))
    assert policy.method == PerDay() and policy.method.name == "per_day"
