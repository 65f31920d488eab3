"""Grades stored in nbgrader's own gradebook (so Formgrader and ``nbgrader export`` see them), plus one
table of this harness's: how each submission's grading ended (status, reason, per-test results).

Only the grading parent process writes here; workers return results to it.
"""

import json
import time

import sqlalchemy as sa
from nbgrader.api import Gradebook, MissingEntry

from autograder.lateness import LatePolicy, assess, parse_time
from autograder.results import GradebookRow, SubmissionResult, TestResult
from autograder.status import Status

_META = sa.MetaData()
RUNS = sa.Table(
    "autograder_runs", _META,
    sa.Column("assignment", sa.String(128), primary_key=True),
    sa.Column("student_id", sa.String(128), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("score", sa.Float, nullable=False, default=0.0),
    sa.Column("max_score", sa.Float, nullable=False, default=0.0),
    sa.Column("manual_pending", sa.Integer, nullable=False, default=0),
    sa.Column("seconds", sa.Float, nullable=False, default=0.0),
    sa.Column("submission_sha256", sa.String(64), nullable=False, default=""),
    sa.Column("source_sha256", sa.String(64), nullable=False, default=""),
    sa.Column("tests_json", sa.Text, nullable=False, default="[]"),
    sa.Column("graded_at", sa.Float, nullable=False, default=0.0),
)
# when each submission was handed in (its own table: gradebooks written before it existed stay readable)
TIMES = sa.Table(
    "autograder_times", _META,
    sa.Column("assignment", sa.String(128), primary_key=True),
    sa.Column("student_id", sa.String(128), primary_key=True),
    sa.Column("timestamp", sa.String(64), nullable=False),
)


def _engine(db_url: str) -> sa.Engine:
    engine = sa.create_engine(db_url)
    _META.create_all(engine)
    return engine


def previous_runs(db_url: str, assignment: str) -> dict[str, dict]:
    """Stored runs of ``assignment`` by student id."""
    engine = _engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(RUNS).where(RUNS.c.assignment == assignment)).mappings().all()
    engine.dispose()
    return {row["student_id"]: dict(row) for row in rows}


class Writer:
    """The one writer of a grading batch: an open nbgrader Gradebook and engine for the whole batch."""

    def __init__(self, db_url: str, assignment: str):
        self.assignment = assignment
        self.gradebook = Gradebook(db_url)
        self.engine = _engine(db_url)
        self.max_score = self.gradebook.find_assignment(assignment).max_score

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()
        self.engine.dispose()

    def save(self, result: SubmissionResult) -> None:
        """Store one student's result: nbgrader grades per cell, and the run's status row."""
        _save(self.gradebook, self.engine, self.assignment, self.max_score, result)


def _save(gb: Gradebook, engine: sa.Engine, assignment: str, max_score: float, result: SubmissionResult) -> None:
    student = result.student_id
    gb.update_or_create_student(student)
    if result.status != Status.MISSING:
        gb.update_or_create_submission(assignment, student)
        for name, notebook in result.notebooks.items():
            by_id = {test.grade_id: test for test in notebook.tests}
            submission = gb.find_submission_notebook(name, assignment, student)
            for grade in submission.grades:
                test = by_id.get(grade.name)
                if test is None:  # a notebook that could not be read: every cell scores 0
                    grade.auto_score, grade.needs_manual_grade = 0.0, False
                elif test.score is None:
                    grade.auto_score, grade.needs_manual_grade = None, True
                else:
                    grade.auto_score = float(test.score)
                    grade.needs_manual_grade = grade.manual_score is not None
        gb.db.commit()
    tests = result.tests
    row = dict(
        assignment=assignment, student_id=student, status=str(result.status), reason=result.reason,
        score=result.score, max_score=max_score, manual_pending=sum(t.score is None for t in tests),
        seconds=result.seconds, submission_sha256=result.submission_sha256, source_sha256=result.source_sha256,
        tests_json=json.dumps([test.to_dict() for test in tests]), graded_at=time.time())
    with engine.begin() as connection:
        connection.execute(RUNS.delete().where((RUNS.c.assignment == assignment) & (RUNS.c.student_id == student)))
        connection.execute(RUNS.insert().values(**row))
        connection.execute(TIMES.delete().where((TIMES.c.assignment == assignment) & (TIMES.c.student_id == student)))
        if result.timestamp:
            connection.execute(TIMES.insert().values(assignment=assignment, student_id=student,
                                                     timestamp=result.timestamp))


def times(db_url: str, assignment: str) -> dict[str, str]:
    """When each student's graded submission was handed in (ISO 8601), where it was known."""
    engine = _engine(db_url)
    with engine.connect() as connection:
        found = connection.execute(sa.select(TIMES).where(TIMES.c.assignment == assignment)).mappings().all()
    engine.dispose()
    return {row["student_id"]: row["timestamp"] for row in found}


def rows(db_url: str, assignment: str, late: LatePolicy | None = None) -> list[GradebookRow]:
    """One row per student who has a run, by student id: the run's fields, with the score taken from
    nbgrader's gradebook (so hand grades entered in Formgrader count) less the late penalty of ``late``,
    and for each written answer's test (score None) the hand grade entered so far, if any."""
    out = []
    runs = previous_runs(db_url, assignment)
    handed_in = times(db_url, assignment)
    with Gradebook(db_url) as gb:
        for student, run in sorted(runs.items()):
            tests = [TestResult.from_dict(test) for test in json.loads(run["tests_json"])]
            score, max_score, pending = run["score"], run["max_score"], run["manual_pending"]
            try:
                submission = gb.find_submission(assignment, student)
                score, max_score = float(submission.score), float(submission.max_score)
                pending = int(submission.needs_manual_grade)
                hand = {grade.name: grade.manual_score for notebook in submission.notebooks
                        for grade in notebook.grades}
            except MissingEntry:
                hand = {}
            for test in tests:
                if test.score is None:
                    test.manual_score = hand.get(test.grade_id)
            stamp = handed_in.get(student, "")
            lateness = assess(late or LatePolicy(), assignment, student, parse_time(stamp) if stamp else None,
                              score, max_score)
            out.append(GradebookRow(student, Status(run["status"]), run["reason"], score - lateness.penalty,
                                    max_score, pending, run["seconds"], tests, lateness.penalty, lateness.note,
                                    stamp, lateness.hours))
    return out
