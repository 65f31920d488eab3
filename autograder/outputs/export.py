"""Grades as CSV, in this harness's own layout or in the layout an LMS imports.

- ``autograder`` (default): one row per student with a status, a reason and a column per graded cell
  (``q:<grade id>``); the ``kernel_verdict`` column lists, space-separated, the grade ids of that row's
  tests scored by nbgrader's in-kernel rule rather than by checks judged outside the kernel (empty when
  every test is trusted; see README "Bringing your own nbgrader course").
- ``canvas``: Canvas's gradebook import (Student, ID, SIS User ID, SIS Login ID, Section, then one
  column for the assignment, with a "Points Possible" row).
- ``moodle``: Moodle's grade import from a CSV file (an identifier column to map to users, the grade, and a
  feedback column with the status and reason of anything not graded normally).
- ``nbgrader``: the columns of ``nbgrader export``.

A roster (CSV with a header; ``student_id`` plus any of ``name``, ``lms_id``, ``sis_user_id``,
``sis_login_id``, ``section``, ``email``) maps student ids to LMS ids and names, and every roster student
without a submission appears with status ``missing``: never a silent 0 and never left out.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from autograder.core.errors import UserError
from autograder.core.plugins import ExportFormat, ExportTable, resolve
from autograder.core.results import GradebookRow
from autograder.core.status import Status
from autograder.store import gradebook

COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "reason", "manual_pending", "seconds",
           "timestamp", "hours_late", "penalty", "raw_score", "kernel_verdict"]


@dataclass(frozen=True)
class Person:
    """One roster line."""

    student_id: str
    name: str = ""
    lms_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""


def read_roster(path: Path) -> dict[str, Person]:
    """The roster by student id (a CSV file with a header that has a ``student_id`` column)."""
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "student_id" not in reader.fieldnames:
            raise UserError(f"{path} needs a header line with a student_id column (and any of name, lms_id, "
                            "sis_user_id, sis_login_id, section, email)")
        known = set(Person.__dataclass_fields__)
        return {row["student_id"]: Person(**{k: (v or "").strip() for k, v in row.items() if k in known})
                for row in reader if row.get("student_id")}


def export(db_url: str, assignment: str, out: Path, fmt="autograder", roster: dict[str, Person] | None = None,
           late=None) -> list[GradebookRow]:
    """Write ``out`` in ``fmt`` (a built-in name, an importable ``ExportFormat`` class name, or one) and
    return its rows (roster students without a run included as missing). Scores are after the late
    penalties of ``late`` (an ``autograder.intake.lateness.LatePolicy``); this harness's layout also gives the time,
    the hours late, the penalty and the score before it."""
    layout = resolve(fmt, ExportFormat, FORMATS, "export_format")
    rows = gradebook.rows(db_url, assignment, late)
    roster = roster or {}
    max_score = max([row.max_score for row in rows] or [0.0])
    have = {row.student_id for row in rows}
    rows += [GradebookRow(sid, Status.MISSING, "no submission", 0.0, max_score, 0, 0.0, [])
             for sid in sorted(roster) if sid not in have]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as handle:
        layout.write(csv.writer(handle), ExportTable(assignment, rows, roster, max_score))
    return rows


@dataclass(frozen=True)
class Ours(ExportFormat):
    """This harness's layout: status, reason, lateness and a column per graded cell."""

    name = "autograder"

    def write(self, writer, table: ExportTable) -> None:
        test_ids = []
        for row in table.rows:
            for test in row.tests:
                if test.grade_id not in test_ids:
                    test_ids.append(test.grade_id)
        writer.writerow(COLUMNS + [f"q:{gid}" for gid in test_ids])
        for row in table.rows:
            scores = {t.grade_id: t.score for t in row.tests}
            writer.writerow([row.student_id, table.assignment, f"{row.score:g}", f"{row.max_score:g}", row.status,
                             "; ".join(filter(None, [row.reason, row.lateness])), row.manual_pending,
                             f"{row.seconds:.1f}", row.timestamp, f"{row.hours_late:.2f}" if row.hours_late else "",
                             f"{row.penalty:g}", f"{row.raw_score:g}",
                             " ".join(t.grade_id for t in row.tests if t.trust.kernel_verdict)]
                            + ["" if scores.get(gid) is None else f"{scores[gid]:g}" for gid in test_ids])


def grade_cell(row: GradebookRow) -> str:
    """The grade an LMS gets: blank for a student with no submission (the LMS shows it as missing)."""
    return "" if row.status == Status.MISSING else f"{row.score:g}"


@dataclass(frozen=True)
class Canvas(ExportFormat):
    """Canvas's gradebook import."""

    name = "canvas"

    def write(self, writer, table: ExportTable) -> None:
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", table.assignment])
        writer.writerow(["Points Possible", "", "", "", "", f"{table.max_score:g}"])
        for row in table.rows:
            person = table.roster.get(row.student_id, Person(row.student_id))
            writer.writerow([person.name or row.student_id, person.lms_id, person.sis_user_id or row.student_id,
                             person.sis_login_id, person.section, grade_cell(row)])


@dataclass(frozen=True)
class Moodle(ExportFormat):
    """Moodle's grade import from a CSV file."""

    name = "moodle"

    def write(self, writer, table: ExportTable) -> None:
        writer.writerow(["ID number", "Email address", "Full name", table.assignment, "Feedback"])
        for row in table.rows:
            person = table.roster.get(row.student_id, Person(row.student_id))
            note = "" if row.status == Status.GRADED else f"{row.status}: {row.reason}"
            writer.writerow([person.lms_id or row.student_id, person.email, person.name, grade_cell(row), note])


@dataclass(frozen=True)
class Nbgrader(ExportFormat):
    """The columns of ``nbgrader export``."""

    name = "nbgrader"

    def write(self, writer, table: ExportTable) -> None:
        writer.writerow(["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                         "raw_score", "late_submission_penalty", "score", "max_score"])
        for row in table.rows:
            person = table.roster.get(row.student_id, Person(row.student_id))
            first, _, last = person.name.partition(" ")
            writer.writerow([table.assignment, "", row.timestamp, row.student_id, last, first, person.email,
                             f"{row.raw_score:g}", f"{row.penalty:g}", f"{row.score:g}", f"{row.max_score:g}"])


FORMATS = {layout.name: layout for layout in (Ours, Canvas, Moodle, Nbgrader)}
