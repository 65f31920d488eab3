"""Grades stored in nbgrader's own gradebook (so Formgrader and ``nbgrader export`` see them), plus
this harness's tables: how each submission's grading ended (status, reason, per-test results), when it
was handed in, and every earlier run a regrade or a rescore replaced (``history``; nothing is erased).

Only the grading parent process writes here; workers return results to it.
"""

import json
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from nbgrader.api import Gradebook, MissingEntry

from autograder.core.plugins import LateCase
from autograder.core.results import GradebookRow, PastRun, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.intake.lateness import LatePolicy, NbgraderLate, assess, notebook_penalties, parse_time

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
    # it crashed on the grader's side (not the student's): the next ``grade`` runs it again
    sa.Column("grader_fault", sa.Boolean, nullable=False, default=False),
)
# every run a later one replaced, with the time it was handed in: a regrade never erases a result
HISTORY = sa.Table(
    "autograder_run_history", _META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *[sa.Column(column.name, column.type, nullable=column.nullable,
                default=column.default.arg if column.default is not None else None) for column in RUNS.columns],
    sa.Column("timestamp", sa.String(64), nullable=False, default=""),
    sa.Column("replaced_at", sa.Float, nullable=False, default=0.0),
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
    columns = {column["name"] for column in sa.inspect(engine).get_columns(RUNS.name)}
    if "grader_fault" not in columns:  # a gradebook written before runs knew whose fault a crash was
        with engine.begin() as connection:
            connection.execute(sa.text(f"ALTER TABLE {RUNS.name} ADD COLUMN grader_fault BOOLEAN NOT NULL "
                                       "DEFAULT FALSE"))
    return engine


def previous_runs(db_url: str, assignment: str) -> dict[str, dict]:
    """Stored runs of ``assignment`` by student id."""
    engine = _engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(RUNS).where(RUNS.c.assignment == assignment)).mappings().all()
    engine.dispose()
    return {row["student_id"]: dict(row) for row in rows}


class Writer:
    """The one writer of a grading batch: an open nbgrader Gradebook and engine for the whole batch, and the
    late policy whose due times and (late method ``nbgrader``) penalties go into nbgrader's tables."""

    def __init__(self, db_url: str, assignment: str, late: LatePolicy | None = None):
        self.assignment = assignment
        self.late = late or LatePolicy()
        self.gradebook = Gradebook(db_url)
        self.engine = _engine(db_url)
        self.max_score = self.gradebook.find_assignment(assignment).max_score

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()
        self.engine.dispose()

    def save(self, result: SubmissionResult) -> None:
        """Store one student's result: nbgrader grades per cell, the run's status row and the lateness, in
        one transaction of the gradebook's session (one commit: each commit of a SQLite file waits for the
        disk), committed before this returns. When it fails, none of its grades, run row or lateness is
        stored; the student and submission rows that nbgrader's ``update_or_create_*`` commit themselves may be."""
        session = self.gradebook.db
        try:
            _save(self.gradebook, self.assignment, self.max_score, result)
            if result.status != Status.MISSING:
                _record_lateness(self.gradebook, self.assignment, self.late, result)
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _naive_utc(moment: datetime) -> datetime:
    """A time as nbgrader's tables hold it: UTC without a zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _record_lateness(gb: Gradebook, assignment: str, late: LatePolicy, result: SubmissionResult) -> None:
    """What Formgrader shows of lateness, in nbgrader's own tables: the submission's time
    (``SubmittedAssignment.timestamp``), the due time and the student's extension where the policy has
    them, and under the late method ``nbgrader`` each notebook's ``late_submission_penalty`` as
    ``nbgrader autograde`` stores it (None, nbgrader's zero, under the other methods: they are worked
    out when the grades are read)."""
    submission = gb.find_submission(assignment, result.student_id)
    when = parse_time(result.timestamp) if result.timestamp else None
    submission.timestamp = _naive_utc(when) if when else None
    if assignment in late.due:
        submission.assignment.duedate = _naive_utc(late.due[assignment])
    hours = late.extensions.get(assignment, {}).get(result.student_id)
    submission.extension = timedelta(hours=hours) if hours else None
    gb.db.flush()
    gb.db.expire_all()  # the scores below are read afresh, with this submission's grades
    penalties = {}
    if isinstance(late.method, NbgraderLate) and when is not None:
        deadline = late.deadline(assignment, result.student_id)
        hours_late = max((when - deadline).total_seconds() / 3600, 0.0) if deadline else 0.0
        scores = {notebook.name: float(notebook.score) for notebook in submission.notebooks}
        case = LateCase(result.student_id, assignment, hours_late, sum(scores.values()),
                        float(submission.max_score), late.rate)
        penalties = notebook_penalties(late, case, when, scores)
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = penalties.get(notebook.name) or None


def _save(gb: Gradebook, assignment: str, max_score: float, result: SubmissionResult) -> None:
    """nbgrader's grades and this harness's rows of one result, in ``gb``'s session (the caller commits;
    nbgrader's own ``update_or_create_*`` commit the student and submission rows they create)."""
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
    tests = result.tests
    row = dict(
        assignment=assignment, student_id=student, status=str(result.status), reason=result.reason,
        score=result.score, max_score=max_score, manual_pending=sum(t.score is None for t in tests),
        seconds=result.seconds, submission_sha256=result.submission_sha256, source_sha256=result.source_sha256,
        tests_json=json.dumps([test.to_dict() for test in tests]), graded_at=time.time(),
        grader_fault=result.grader_fault)
    connection = gb.db  # the same transaction as the grades
    mine = (RUNS.c.assignment == assignment) & (RUNS.c.student_id == student)
    old = connection.execute(sa.select(RUNS).where(mine)).mappings().first()
    if old is not None:  # kept, with the time it was handed in, before the new run replaces it
        stamp = connection.execute(sa.select(TIMES.c.timestamp).where(
            (TIMES.c.assignment == assignment) & (TIMES.c.student_id == student))).scalar()
        connection.execute(HISTORY.insert().values(**old, timestamp=stamp or "", replaced_at=time.time()))
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


def rows(db_url: str, assignment: str, late: LatePolicy | None = None,
         students: set[str] | None = None) -> list[GradebookRow]:
    """One row per student who has a run (of ``students`` only, if given), by student id: the run's fields,
    with the score taken from nbgrader's gradebook (so hand grades entered in Formgrader count) less the late
    penalty of ``late`` (under the late method ``nbgrader``, the penalty stored in nbgrader's tables when
    graded, as ``nbgrader export`` reads it), and for each written answer's test (score None) the hand grade
    entered so far, if any."""
    out = []
    runs = previous_runs(db_url, assignment)
    if students is not None:
        runs = {student: run for student, run in runs.items() if student in students}
    handed_in = times(db_url, assignment)
    with Gradebook(db_url) as gb:
        for student, run in sorted(runs.items()):
            tests = [TestResult.from_dict(test) for test in json.loads(run["tests_json"])]
            score, max_score, pending = run["score"], run["max_score"], run["manual_pending"]
            stored = 0.0  # nbgrader's own late penalty (late method ``nbgrader``)
            try:
                submission = gb.find_submission(assignment, student)
                score, max_score = float(submission.score), float(submission.max_score)
                pending = int(submission.needs_manual_grade)
                stored = float(submission.late_submission_penalty or 0.0)
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
            if late is not None and isinstance(late.method, NbgraderLate):  # what Formgrader and nbgrader export show
                lateness = replace(lateness, penalty=min(stored, score))
            out.append(GradebookRow(student, Status(run["status"]), run["reason"], score - lateness.penalty,
                                    max_score, pending, run["seconds"], tests, lateness.penalty, lateness.note,
                                    stamp, lateness.hours))
    return out


def history(db_url: str, assignment: str, student: str | None = None) -> list[PastRun]:
    """Every run of ``assignment`` (of ``student`` only, if given), the replaced ones and the current one,
    by student and then oldest first."""
    engine = _engine(db_url)
    with engine.connect() as connection:
        past = sa.select(HISTORY).where(HISTORY.c.assignment == assignment)
        now = sa.select(RUNS).where(RUNS.c.assignment == assignment)
        if student is not None:
            past, now = past.where(HISTORY.c.student_id == student), now.where(RUNS.c.student_id == student)
        replaced = connection.execute(past).mappings().all()
        current = connection.execute(now).mappings().all()
    engine.dispose()
    stamps = times(db_url, assignment)
    out = [PastRun(row["student_id"], Status(row["status"]), row["reason"], row["score"], row["max_score"],
                   row["graded_at"], row["timestamp"], row["replaced_at"]) for row in replaced]
    out += [PastRun(row["student_id"], Status(row["status"]), row["reason"], row["score"], row["max_score"],
                    row["graded_at"], stamps.get(row["student_id"], ""), None) for row in current]
    return sorted(out, key=lambda run: (run.student_id, run.graded_at))


def backup(db_url: str, folder: Path) -> Path | None:
    """A consistent copy of a SQLite gradebook in ``folder`` (``gradebook-<UTC time>.db``), made before a
    command replaces grades; None when the gradebook is not a SQLite file (back that database up yourself)."""
    if not db_url.startswith("sqlite:///"):
        return None
    database = Path(db_url.removeprefix("sqlite:///"))
    if not database.is_file():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"gradebook-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}.db"
    source, copy = sqlite3.connect(database), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return target
