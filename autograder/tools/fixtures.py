"""Grade an assignment's sample submissions and hold each to what its file says it must get."""

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.core.course import Course
from autograder.core.results import SubmissionResult
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.tools.samples import Sample, write_assignment_samples


@dataclass
class Outcome:
    sample: Sample
    score: float
    max_score: float
    status: str
    failing: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = (f"{mark} {self.sample.name:<28} {self.score:>5g}/{self.max_score:<5g} expect {self.sample.expect:<7} "
                f"{self.sample.title}")
        if self.failing:
            text += f"\n       fails: {' '.join(self.failing)}"
        for problem in self.problems:
            text += f"\n       PROBLEM: {problem}"
        return text


def judge_outcome(sample: Sample, result: SubmissionResult) -> Outcome:
    """Compare one graded sample with its declared expectation."""
    tests = [t for t in result.tests if t.score is not None]
    score = sum(t.score for t in tests)
    max_score = sum(t.points for t in tests)
    failing = [t.grade_id for t in tests if t.score < t.points]
    outcome = Outcome(sample, score, max_score, result.status, failing)
    if result.status != Status.GRADED:
        outcome.problems.append(f"status {result.status}: {result.reason}")
    if sample.expect == "full" and failing:
        outcome.problems.append("expected full marks")
    if sample.expect == "zero" and score > 0:
        outcome.problems.append(f"expected 0, passes {[t.grade_id for t in tests if t.score]}")
    if sample.expect == "partial" and not failing:
        outcome.problems.append("a known-wrong sample earned full marks: the tests do not catch it")
    if sample.fails is not None and sorted(sample.fails) != sorted(failing):
        outcome.problems.append(f"declared fails {sorted(sample.fails)}, got {sorted(failing)}")
    return outcome


def check_fixtures(course: Course, assignment: str, workdir: Path | None = None,
                   options: GradeOptions | None = None) -> list[Outcome]:
    """Write every sample (and the untouched release) as a submission of every notebook of the
    assignment, grade them all (always again: ``options.force`` is set), judge each."""
    with tempfile.TemporaryDirectory(prefix=f"fixtures-{assignment}-") as scratch:
        scratch = Path(scratch)
        samples = write_assignment_samples(course, assignment, scratch / "submissions")
        results = grade_assignment(course, assignment, scratch / "submissions", Workdir(workdir or scratch / "work"),
                                   replace(options or GradeOptions(progress=False), force=True))
    by_student = {r.student_id: r for r in results}
    return [judge_outcome(sample, by_student[sample.name]) for sample in samples]
