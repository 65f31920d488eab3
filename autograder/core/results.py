"""What grading produces, typed: a test's, a notebook's and a submission's result.

Workers return a ``SubmissionResult`` (it pickles across processes and to Dask workers); the gradebook
stores it, and ``to_dict`` gives the plain form kept in the gradebook's ``tests_json`` and read by tests.
"""

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

from autograder.core.status import Status


class Trust(StrEnum):
    """How far a test's verdict can be trusted; its value is the word the gradebook, export and report use."""

    CHECKS = "checks"  # values judged outside the kernel against the reference's
    BOUND = "bound"  # a number the kernel computed, judged against a bound outside it
    KERNEL = "kernel"  # nbgrader's rule: the cell ran without raising in the student's kernel
    MANUAL = "manual"  # a written answer, graded by hand

    @property
    def kernel_verdict(self) -> bool:
        """Whether code in the student's kernel can change the outcome."""
        return self in (Trust.KERNEL, Trust.BOUND)


@dataclass
class TestResult:
    """One graded cell of one submission."""

    __test__ = False  # not a pytest class, whatever its name

    grade_id: str
    description: str
    points: float
    score: float | None  # None: waits for a manual grade
    hidden: bool
    message: str  # what the student may read (nothing from a hidden test's code or values)
    detail: str  # what the instructor reads
    manual_score: float | None = None  # a written answer's hand grade, once entered in Formgrader
    trust: Trust = Trust.CHECKS

    def __post_init__(self):
        self.trust = Trust(self.trust)  # the stored word ("checks", ...) becomes the level

    def to_dict(self) -> dict:
        return {**asdict(self), "trust": str(self.trust)}

    @classmethod
    def from_dict(cls, data: dict) -> "TestResult":
        return cls(**{name: data[name] for name in _TEST_FIELDS if name in data})


@dataclass
class NotebookResult:
    """One notebook of a submission: how its run ended, its tests, and the executed notebook (JSON)."""

    status: Status
    tests: list[TestResult] = field(default_factory=list)
    executed: str | None = None  # None when the notebook never ran (missing, unreadable, grader error)
    cell_seconds: float = 0.0  # time spent in the notebook's own cells
    phases: dict[str, float] = field(default_factory=dict)  # seconds by phase of its runs (make bench)
    grader_fault: bool = False  # it crashed on the grader's side (not the student's): the next grade retries it


@dataclass
class SubmissionResult:
    """One student's submission of one assignment: a status, a reason a person can read, every notebook."""

    student_id: str
    status: Status = Status.GRADED
    reason: str = ""
    notebooks: dict[str, NotebookResult] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of the whole submission in its worker
    submission_sha256: str = ""
    source_sha256: str = ""
    timestamp: str = ""  # when it was submitted (ISO 8601), where the layout said
    grader_fault: bool = False  # crashed on the grader's side, not the student's: the next ``grade`` retries it

    @property
    def tests(self) -> list[TestResult]:
        return [test for notebook in self.notebooks.values() for test in notebook.tests]

    @property
    def cell_seconds(self) -> float:
        return sum(notebook.cell_seconds for notebook in self.notebooks.values())

    @property
    def phases(self) -> dict[str, float]:
        """Seconds by phase over all its notebooks' runs."""
        total: dict[str, float] = {}
        for notebook in self.notebooks.values():
            for phase, seconds in notebook.phases.items():
                total[phase] = total.get(phase, 0.0) + seconds
        return total

    @property
    def score(self) -> float:
        """Autograded points earned (written answers count once graded by hand, in the gradebook)."""
        return sum(test.score or 0.0 for test in self.tests)

    def to_dict(self) -> dict:
        """Plain form: ``notebooks`` maps a notebook's name to its list of test dicts."""
        return {"student_id": self.student_id, "status": str(self.status), "reason": self.reason,
                "seconds": self.seconds, "cell_seconds": self.cell_seconds,
                "submission_sha256": self.submission_sha256, "source_sha256": self.source_sha256,
                "notebooks": {name: [test.to_dict() for test in notebook.tests]
                              for name, notebook in self.notebooks.items()}}


_TEST_FIELDS = [f.name for f in fields(TestResult)]


@dataclass
class GradebookRow:
    """One student's stored result of an assignment, as feedback, export and report read it: the score is
    nbgrader's (hand grades entered in Formgrader count), the tests those of the last run."""

    student_id: str
    status: Status
    reason: str
    score: float
    max_score: float
    manual_pending: int  # written answers still waiting for a hand grade
    seconds: float
    tests: list[TestResult]
    penalty: float = 0.0  # points taken off for lateness (``score`` is after it)
    lateness: str = ""  # how late, in words ("" when on time)
    timestamp: str = ""  # when it was submitted (ISO 8601), "" when unknown
    hours_late: float = 0.0

    @property
    def raw_score(self) -> float:
        """The score before the late penalty."""
        return self.score + self.penalty


@dataclass
class PastRun:
    """One run of a student's submission as ``python -m autograder history`` lists it: the current one
    (``replaced_at`` None) or one a regrade or rescore replaced."""

    student_id: str
    status: Status
    reason: str
    score: float  # autograded points of that run (before any late penalty)
    max_score: float
    graded_at: float  # seconds since the epoch
    timestamp: str  # when that submission was handed in (ISO 8601), "" when unknown
    replaced_at: float | None


def unrunnable(student_id: str, status: Status, reason: str, grader_fault: bool = False) -> SubmissionResult:
    """A submission that ends before any kernel starts (no file, an unusable id, a dead worker: with
    ``grader_fault`` the next ``grade`` tries it again)."""
    return SubmissionResult(student_id, status, reason, grader_fault=grader_fault)
