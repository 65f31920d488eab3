"""Grades as CSV: one row per student with a status, a reason and a column per graded cell."""

import csv
from pathlib import Path

from autograder import gradebook
from autograder.results import GradebookRow

COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "reason", "manual_pending", "seconds"]


def export(db_url: str, assignment: str, out: Path) -> list[GradebookRow]:
    """Write ``out`` and return its rows. A submission that could not be graded is never a silent 0:
    its ``status`` is timeout / crashed / memory / invalid / missing and ``reason`` says why."""
    rows = gradebook.rows(db_url, assignment)
    test_ids = []
    for row in rows:
        for test in row.tests:
            if test.grade_id not in test_ids:
                test_ids.append(test.grade_id)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS + [f"q:{gid}" for gid in test_ids])
        for row in rows:
            scores = {t.grade_id: t.score for t in row.tests}
            writer.writerow([row.student_id, assignment, f"{row.score:g}", f"{row.max_score:g}",
                             row.status, row.reason, row.manual_pending, f"{row.seconds:.1f}"]
                            + ["" if scores.get(gid) is None else f"{scores[gid]:g}" for gid in test_ids])
    return rows
