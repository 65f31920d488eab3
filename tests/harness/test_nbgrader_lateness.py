"""Late method ``nbgrader``: what Formgrader shows of lateness is in nbgrader's own tables. A course (the
plugins course, with nbgrader's late-submission plugin chosen instead of its own late method) grades an
on-time, a late, an extended and a late wrong submission; nbgrader's ``Gradebook`` API, as Formgrader
reads it, then gives each submission's time, extension, seconds late and penalty per notebook, and
``nbgrader export`` gives the scores ``python -m autograder export`` gives."""

import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main
from tests.harness.test_plugins import COURSE, RIGHT, WRONG, _hand_in

A = "hw1"
DUE = datetime(2026, 12, 1, 12, 0)  # nbgrader's tables hold UTC without a zone
CONFIG = """c = get_config()
c.Autograder.sandbox = "course_plugins.RecordingSandbox"
c.Autograder.late_method = "nbgrader"
c.AssignLatePenalties.plugin_class = "late_plugin.QuarterPerDay"
c.Autograder.due = {"hw1": "2026-12-01T12:00:00Z"}
c.Autograder.extensions = {"hw1": {"cid": 48}}
"""
PLUGIN = '''from nbgrader.plugins import LateSubmissionPlugin


class QuarterPerDay(LateSubmissionPlugin):
    """A quarter of the notebook's score per day begun."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return score * 0.25 * -(-total_seconds_late // 86400)
'''
HANDED_IN = {  # student: (answer, when), and the penalty nbgrader's plugin gives (of 2 points)
    "ann": (RIGHT, datetime(2026, 12, 1, 11, tzinfo=UTC)),  # on time
    "bob": (RIGHT, datetime(2026, 12, 3, 11, tzinfo=UTC)),  # two days begun: half off
    "cid": (RIGHT, datetime(2026, 12, 3, 11, tzinfo=UTC)),  # within his 48 h extension
    "dan": (WRONG, datetime(2026, 12, 2, 11, tzinfo=UTC)),  # late, and 0 points: nothing to take
}


@pytest.fixture
def graded(tmp_path, monkeypatch) -> tuple[Path, Path, Path]:
    """(course, work directory, submissions), every student graded."""
    root = tmp_path / "course"
    shutil.copytree(COURSE, root)
    (root / "nbgrader_config.py").write_text(CONFIG)
    (root / "late_plugin.py").write_text(PLUGIN)
    monkeypatch.chdir(root)
    monkeypatch.setenv("COURSE_PLUGINS_LOG", str(tmp_path / "launched.txt"))
    monkeypatch.syspath_prepend(str(root))
    subs, work = tmp_path / "subs", tmp_path / "work"
    for student, (answer, when) in HANDED_IN.items():
        _hand_in(subs / student / A, answer, when)
    assert main(["grade", A, "--submissions", str(subs), "--workdir", str(work), "--workers", "1", "--quiet"]) == 0
    return root, work, subs


def test_formgrader_sees_the_time_the_extension_and_the_penalty_and_both_exports_agree(graded, tmp_path):
    root, work, _ = graded
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        assert gb.find_assignment(A).duedate == DUE
        seen = {}
        for student in HANDED_IN:
            submission = gb.find_submission(A, student)
            notebook = gb.find_submission_notebook(A, A, student)
            seen[student] = (submission.timestamp, submission.total_seconds_late, submission.score,
                             submission.late_submission_penalty, notebook.late_submission_penalty)
        assert gb.find_submission(A, "cid").extension == timedelta(hours=48)
        assert gb.find_submission(A, "ann").extension is None
    assert seen == {
        "ann": (datetime(2026, 12, 1, 11), 0, 2.0, 0.0, None),
        "bob": (datetime(2026, 12, 3, 11), 47 * 3600, 2.0, 1.0, 1.0),
        "cid": (datetime(2026, 12, 3, 11), 0, 2.0, 0.0, None),
        "dan": (datetime(2026, 12, 2, 11), 23 * 3600, 0.0, 0.0, None),
    }

    ours = tmp_path / "ours.csv"
    assert main(["export", A, "--workdir", str(work), "--out", str(ours), "--format", "autograder"]) == 0
    theirs = tmp_path / "nbgrader.csv"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "export", "--to", str(theirs),
                           f"--CourseDirectory.db_url=sqlite:///{work / 'gradebook.db'}"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    ours_rows = {row["student_id"]: row for row in csv.DictReader(open(ours, newline=""))}
    their_rows = {row["student_id"]: row for row in csv.DictReader(open(theirs, newline=""))}
    assert {s: float(r["score"]) for s, r in ours_rows.items()} == \
        {s: float(r["score"]) for s, r in their_rows.items()} == {"ann": 2.0, "bob": 1.0, "cid": 2.0, "dan": 0.0}
    assert {s: float(r["late_submission_penalty"]) for s, r in their_rows.items()} == \
        {s: float(r["penalty"] or 0) for s, r in ours_rows.items()}
    assert their_rows["bob"]["timestamp"] == "2026-12-03 11:00:00"


def test_formgrader_lists_each_submission_as_autograded_with_its_time_and_score(graded):
    """Formgrader's "Manage submissions" (nbgrader's ``NbGraderAPI.get_submissions``) lists a submission as
    graded only when ``submitted/<student>/<assignment>/timestamp.txt`` gives the gradebook's time; else it
    says "needs autograding", with no time or score."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    _, work, _ = graded
    config = Config()
    config.CourseDirectory.root = str(work)
    config.CourseDirectory.db_url = f"sqlite:///{work / 'gradebook.db'}"
    config.CourseDirectory.submitted_directory = str(work / "submitted")
    config.CourseDirectory.autograded_directory = str(work / "autograded")
    listed = {row["student"]: row for row in NbGraderAPI(config=config).get_submissions(A)}
    assert {s: (r["autograded"], r["score"], r["timestamp"]) for s, r in listed.items()} == {
        "ann": (True, 2.0, "2026-12-01T11:00:00"),
        "bob": (True, 2.0, "2026-12-03T11:00:00"),  # its penalty is shown apart, as nbgrader does
        "cid": (True, 2.0, "2026-12-03T11:00:00"),
        "dan": (True, 0.0, "2026-12-02T11:00:00"),
    }
