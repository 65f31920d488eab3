"""Deadlines, extensions and late penalties: when a submission is late, what it costs, which of several
files counts, and the gradebook rows, CSV and feedback that say so."""

import csv
import os
from datetime import UTC, datetime, timedelta

import pytest
from nbgrader.api import Gradebook

from autograder.core.config import Autograder
from autograder.core.errors import UserError
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.intake.lateness import LatePolicy, assess, course_late_policy, parse_time
from autograder.intake.submissions import Finding, discover, read_times
from autograder.outputs.export import export
from autograder.outputs.feedback import summary_html
from autograder.store import gradebook

DUE = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)


def _policy(**kwargs):
    settings = dict(due={"a1": "2026-12-01T23:59:00Z"}, extensions={"a1": {"bob": 48}}, late_method="per_day",
                    late_rate=0.1, late_cap=0.3, late_cutoff_hours=0.0)
    settings.update(kwargs)
    return LatePolicy.from_settings(Autograder(**settings))


def test_penalty_per_day_begun_with_a_cap_an_extension_and_a_cutoff():
    policy = _policy()
    assert assess(policy, "a1", "ann", DUE, 10, 10).penalty == 0  # on time
    one = assess(policy, "a1", "ann", DUE + timedelta(hours=3), 10, 10)
    assert (round(one.hours, 2), one.penalty) == (3.0, 1.0) and "3.0 h late" in one.note
    assert assess(policy, "a1", "ann", DUE + timedelta(hours=25), 10, 10).penalty == 2.0  # two days begun
    assert assess(policy, "a1", "ann", DUE + timedelta(days=9), 10, 10).penalty == 3.0  # capped at 30 %
    assert assess(policy, "a1", "ann", DUE + timedelta(days=9), 2, 10).penalty == 2  # never below 0 points
    assert assess(policy, "a1", "bob", DUE + timedelta(hours=40), 10, 10).penalty == 0  # his extension
    assert assess(policy, "a1", "ann", None, 10, 10).penalty == 0  # no time known: not late
    assert assess(policy, "a2", "ann", DUE + timedelta(days=3), 10, 10).penalty == 0  # no due date
    hourly = _policy(late_method="per_hour", late_rate=0.05, late_cap=1.0)
    assert assess(hourly, "a1", "ann", DUE + timedelta(minutes=90), 10, 10).penalty == 1.0  # two hours begun
    cutoff = _policy(late_cutoff_hours=72)
    late = assess(cutoff, "a1", "ann", DUE + timedelta(hours=73), 8, 10)
    assert late.penalty == 8 and "cutoff" in late.note


def test_settings_and_times_are_checked():
    assert parse_time("2026-12-01 23:59:00.123456 UTC") == DUE + timedelta(microseconds=123456)
    assert parse_time("2026-12-02T00:59:00+01:00") == DUE + timedelta(minutes=0) + timedelta(minutes=0)
    with pytest.raises(UserError, match="is not a time"):
        parse_time("next tuesday")
    with pytest.raises(UserError, match="late_method"):
        _policy(late_method="weekly")


def test_course_settings_give_the_policy(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Autograder.due = {'a1': '2026-12-01T23:59:00Z'}\n"
        "c.Autograder.late_method = 'per_hour'\nc.Autograder.late_rate = 0.02\n")
    policy = course_late_policy(tmp_path)
    assert policy.deadline("a1", "ann") == DUE and policy.method.name == "per_hour" and policy.rate == 0.02
    assert course_late_policy(None) == LatePolicy()


def _flat(folder, name, when):
    path = folder / name
    path.write_text("{}")
    moment = when.timestamp()
    os.utime(path, (moment, moment))
    return path


def test_timestamps_from_nbgrader_folders_zip_times_and_a_csv_and_the_last_file_before_the_cutoff(tmp_path):
    nested = tmp_path / "subs" / "ann" / "a1"
    nested.mkdir(parents=True)
    (nested / "a1.ipynb").write_text("{}")
    (nested / "timestamp.txt").write_text("2026-12-02 02:00:00.000000 UTC")
    flat = tmp_path / "subs"
    _flat(flat, "bob_1_a1.ipynb", DUE - timedelta(hours=1))
    _flat(flat, "bob_2_a1.ipynb", DUE + timedelta(hours=100))  # after his cutoff: not the one that counts
    policy = _policy(late_cutoff_hours=24)
    found = {s.student_id: s for s in discover(flat, "a1", ["a1"], Finding(
        file_times=True, cutoff_for=lambda student: policy.cutoff("a1", student)))}
    assert found["ann"].timestamp == DUE + timedelta(hours=2, minutes=1)
    assert found["bob"].notebooks["a1"].name == "bob_1_a1.ipynb" and found["bob"].timestamp == DUE - timedelta(hours=1)
    assert "graded bob_1_a1.ipynb, not bob_2_a1.ipynb" in found["bob"].notes[0]
    (tmp_path / "times.csv").write_text("student_id,timestamp\nann,2026-12-01T12:00:00Z\n")
    times = read_times(tmp_path / "times.csv")
    found = {s.student_id: s for s in discover(flat, "a1", ["a1"], Finding(times=times))}
    assert found["ann"].timestamp == DUE - timedelta(hours=11, minutes=59)


def test_rows_export_and_feedback_carry_the_penalty(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("t1", "nb", "a1", max_score=10, cell_type="code")
    tests = [TestResult("t1", "one", 10.0, 10.0, False, "passed", "")]
    with gradebook.Writer(url, "a1") as writer:
        writer.save(SubmissionResult("ann", Status.GRADED, "", {"nb": NotebookResult(Status.GRADED, tests)},
                                     timestamp=(DUE + timedelta(hours=30)).isoformat()))
        writer.save(SubmissionResult("cy", Status.GRADED, "", {"nb": NotebookResult(Status.GRADED, tests)}))
    policy = _policy()
    rows = {row.student_id: row for row in gradebook.rows(url, "a1", policy)}
    assert (rows["ann"].score, rows["ann"].penalty, rows["ann"].raw_score) == (8.0, 2.0, 10.0)
    assert rows["cy"].penalty == 0 and rows["cy"].timestamp == ""
    assert gradebook.rows(url, "a1")[0].score == 10.0  # without a policy nothing is taken
    export(url, "a1", tmp_path / "grades.csv", late=policy)
    line = next(r for r in csv.DictReader(open(tmp_path / "grades.csv")) if r["student_id"] == "ann")
    assert (line["score"], line["penalty"], line["raw_score"], line["hours_late"]) == ("8", "2", "10", "30.00")
    assert "30.0 h late" in line["reason"] and line["timestamp"].startswith("2026-12-03T05:59")
    assert "<strong>Late penalty:</strong> −2 (30.0 h late" in summary_html("ann", "a1", rows["ann"])


def test_nbgraders_own_late_submission_plugin_sets_the_penalty(tmp_path):
    """``late_method = "nbgrader"``: nbgrader's LateSubmissionPlugin, configured as nbgrader configures it,
    decides the penalty (its "zero" method takes the whole score of a late submission)."""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Autograder.due = {'a1': '2026-12-01T23:59:00Z'}\n"
        "c.Autograder.late_method = 'nbgrader'\nc.LateSubmissionPlugin.penalty_method = 'zero'\n")
    policy = course_late_policy(tmp_path)
    assert policy.method.name == "nbgrader"
    assert assess(policy, "a1", "ann", DUE + timedelta(hours=2), 7, 10).penalty == 7
    assert assess(policy, "a1", "ann", DUE - timedelta(hours=2), 7, 10).penalty == 0
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Autograder.due = {'a1': '2026-12-01T23:59:00Z'}\nc.Autograder.late_method = 'nbgrader'\n")
    assert assess(course_late_policy(tmp_path), "a1", "ann", DUE + timedelta(hours=2), 7, 10).penalty == 0


def test_nbgrader_penalties_per_notebook_as_nbgrader_stores_them_with_the_cutoff_and_the_cap(tmp_path):
    """Under the late method ``nbgrader`` each notebook's penalty is the plugin's on that notebook's score
    (kept within it, as ``AssignLatePenalties`` keeps it); the policy's cutoff takes every score and its
    cap scales the penalties down together."""
    from autograder.core.plugins import LateCase
    from autograder.intake.lateness import notebook_penalties

    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.Autograder.due = {'a1': '2026-12-01T23:59:00Z'}\n"
        "c.Autograder.late_method = 'nbgrader'\nc.LateSubmissionPlugin.penalty_method = 'zero'\n"
        "c.Autograder.late_cutoff_hours = 24\nc.Autograder.late_cap = 0.5\n")
    policy = course_late_policy(tmp_path)
    scores = {"nb1": 3.0, "nb2": 1.0}
    late = LateCase("ann", "a1", 2.0, 4.0, 10.0, 0.0)
    assert notebook_penalties(policy, late, DUE + timedelta(hours=2), scores) == scores  # "zero": 4 ≤ cap 5
    capped = LateCase("ann", "a1", 2.0, 4.0, 4.0, 0.0)  # cap: half of 4 points, shared in proportion
    assert notebook_penalties(policy, capped, DUE + timedelta(hours=2), scores) == {"nb1": 1.5, "nb2": 0.5}
    after = LateCase("ann", "a1", 30.0, 4.0, 4.0, 0.0)  # after the cutoff: every point, whatever the cap
    assert notebook_penalties(policy, after, DUE + timedelta(hours=30), scores) == scores
    on_time = LateCase("ann", "a1", 0.0, 4.0, 10.0, 0.0)
    assert notebook_penalties(policy, on_time, DUE, scores) == {"nb1": 0.0, "nb2": 0.0}
