"""Sample submissions: a correct solution written differently earns full marks, the untouched release
zero, and every known-wrong solution loses exactly the points its file declares."""

import pytest

from autograder.core.course import Course
from autograder.grade import GradeOptions
from autograder.run.worker import RunSettings
from autograder.tools.fixtures import check_fixtures
from autograder.tools.samples import read_sample, sample_files

ASSIGNMENTS = Course.find().assignments()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_enough_samples(course, assignment):
    samples = [read_sample(path) for path in sample_files(course.root, assignment)]
    assert sum(s.expect == "full" for s in samples) >= 1, "needs a correct solution written differently"
    wrong = [s for s in samples if s.expect == "partial" and s.name.startswith("wrong")]
    assert len(wrong) >= 5, f"needs at least five known-wrong samples, has {len(wrong)}"
    assert all(s.fails for s in wrong), "every known-wrong sample declares which tests it fails"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_samples_grade_as_declared(course, assignment, grading_workdirs, limits, sandbox_mode):
    outcomes = check_fixtures(course, assignment, grading_workdirs(assignment).path,
                              GradeOptions(RunSettings(limits, sandbox_mode), workers=2, progress=False))
    bad = [o.line() for o in outcomes if not o.ok]
    assert not bad, "\n".join(bad)
