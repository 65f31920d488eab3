"""Rescore without re-running: judge the values every submission already recorded against today's
reference and points, in seconds, without running any student code.

The executed notebooks in ``autograded/`` hold every value a check recorded. When the instructor changes a
test's points or tolerance, or fixes the reference solution (so its recorded values change), those values
are judged again. When a test cell's *code* changed, the values it recorded are no longer the ones the new
test would record: such submissions are listed to be re-run (their stored source hash is left as it
was, so the next ``grade`` re-runs exactly them) and are not rescored.

The preview writes no grade and no point value (only the reference cache, as ``grade`` does); ``apply``
copies the gradebook to ``backups/`` first, keeps each submission's time (so late penalties stay) and
moves the runs it replaces to the history.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.core.config import Limits
from autograder.core.course import Course, file_hash, grade_id, is_test, points, read_notebook
from autograder.core.plugins import Judge
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.intake.lateness import course_late_policy
from autograder.judge.scoring import score_cells
from autograder.release.generate import generate
from autograder.run.reference import load_reference
from autograder.store import gradebook


@dataclass
class Change:
    """One question of one student whose score a rescore changes."""

    student_id: str
    grade_id: str
    old: float | None
    new: float | None


@dataclass
class Rescore:
    """What a rescore finds: the score changes, the submissions to re-run (and why), the new results."""

    changes: list[Change] = field(default_factory=list)
    rerun: dict[str, str] = field(default_factory=dict)  # student id -> why it must be re-run
    results: list[SubmissionResult] = field(default_factory=list)  # rescored, to store with --apply
    unchanged: int = 0

    def preview(self) -> str:
        lines = [f"{len(self.changes)} score changes in {len({c.student_id for c in self.changes})} submissions; "
                 f"{self.unchanged} submissions unchanged; {len(self.rerun)} must be re-run"]
        for change in self.changes:
            lines.append(f"  {change.student_id:<24} {change.grade_id:<32} "
                         f"{_points(change.old)} → {_points(change.new)}")
        for student, why in sorted(self.rerun.items()):
            lines.append(f"  re-run {student}: {why}")
        return "\n".join(lines)


def _points(value: float | None) -> str:
    return "pending" if value is None else f"{value:g}"


def rescore(course: Course, assignment: str, workdir: Workdir, questions: list[str] | None = None,
            limits: Limits | None = None, judge: Judge | None = None) -> Rescore:
    """Judge every stored submission of ``assignment`` again (only ``questions``, if given), with ``judge``
    (``c.Autograder.judge``; default the harness's own comparison), as grading judged it."""
    limits = limits or Limits()
    names = course.notebook_names(assignment)
    reference = load_reference(course, assignment, workdir, limits)
    sources = {name: read_notebook(course.source_path(assignment, name)) for name in names}
    test_code = {name: {grade_id(c): c.source for c in nb.cells if is_test(c)} for name, nb in sources.items()}
    test_points = {name: {grade_id(c): points(c) for c in nb.cells if grade_id(c)} for name, nb in sources.items()}
    source_sha = file_hash(*[course.source_path(assignment, name) for name in names])
    handed_in = gradebook.times(workdir.db_url, assignment)
    out = Rescore()
    for student, run in sorted(gradebook.previous_runs(workdir.db_url, assignment).items()):
        if run["status"] != Status.GRADED:
            continue  # nothing ran to the end: there is nothing to judge again
        stored = {test["grade_id"]: test for test in json.loads(run["tests_json"])}
        folder = workdir.folder("autograded", student, assignment)
        result = SubmissionResult(student, Status.GRADED, run["reason"], seconds=run["seconds"],
                                  submission_sha256=run["submission_sha256"], source_sha256=source_sha,
                                  timestamp=handed_in.get(student, ""))
        why = ""
        for name in names:
            path = folder / f"{name}.ipynb"
            if not path.is_file():
                why = f"its graded notebook {path} is missing"
                break
            executed = read_notebook(path)
            changed = [grade_id(c) for c in executed.cells
                       if is_test(c) and test_code[name].get(grade_id(c), c.source) != c.source]
            if changed:
                why = f"the code of {', '.join(changed)} changed since it was graded"
                break
            for cell in executed.cells:
                if grade_id(cell) in test_points[name]:
                    cell.metadata["nbgrader"]["points"] = test_points[name][grade_id(cell)]
            tests = score_cells(executed, reference[name], stop_reason="", judge=judge)
            if questions:  # only the named questions change; the others keep their stored result
                tests = [test if test.grade_id in questions else TestResult.from_dict(stored[test.grade_id])
                         if test.grade_id in stored else test for test in tests]
            result.notebooks[name] = NotebookResult(Status.GRADED, tests)
        if why:
            out.rerun[student] = why
            continue
        changes = [Change(student, test.grade_id, stored.get(test.grade_id, {}).get("score"), test.score)
                   for test in result.tests
                   if stored.get(test.grade_id, {}).get("score") != test.score
                   or stored.get(test.grade_id, {}).get("points") != test.points]
        out.changes += changes
        out.unchanged += not changes
        out.results.append(result)
    return out


def apply(rescored: Rescore, workdir: Workdir, course: Course, assignment: str) -> Path | None:
    """Store every rescored submission (the ones to re-run keep their old result and source hash), after
    writing today's points into the gradebook; returns the backup of the gradebook made first (None when
    it is not a SQLite file)."""
    copy = gradebook.backup(workdir.db_url, workdir.folder("backups"))
    generate(course, assignment, workdir.folder("release"), workdir.db_url)  # today's points in the gradebook
    with gradebook.Writer(workdir.db_url, assignment, course_late_policy(course.root)) as writer:
        for result in rescored.results:
            writer.save(result)
    return copy
