"""A student's own deadlines and the late warning, from the same settings the late policy reads."""

from datetime import UTC, datetime, timedelta

from autograder.intake.lateness import LatePolicy, PerDay, parse_time
from autograder.serve.deadlines import duration, soonest_first, student_deadlines

DUE = parse_time("2026-12-01T23:59:00+01:00")
POLICY = LatePolicy({"a1": DUE, "a2": DUE + timedelta(days=7)}, {"a1": {"alice": 48}}, PerDay(), 0.1, 0.5, 72)


def test_the_deadline_is_the_students_own_with_the_time_left():
    now = DUE - timedelta(hours=5, minutes=20)
    alice, bob = (student_deadlines(POLICY, ["a1"], who, now)[0] for who in ("alice", "bob"))
    assert alice.extension_hours == 48 and alice.deadline == DUE + timedelta(hours=48)
    assert bob.extension_hours == 0 and bob.deadline == DUE
    assert bob.left == "5 h 20 min" and alice.left == "2 days 5 h"
    assert not alice.warning and not bob.warning


def test_past_the_deadline_the_warning_says_how_late_and_the_penalty_grading_will_take():
    now = DUE + timedelta(hours=2)
    bob = student_deadlines(POLICY, ["a1"], "bob", now)[0]
    assert bob.left == "past"
    assert bob.warning == ("A submission now counts as late by 2 h 0 min (penalty: 10% of its score, 10% per day "
                           "begun, at most 50%).")
    assert not student_deadlines(POLICY, ["a1"], "alice", now)[0].warning  # her extension runs for 46 h more
    late = student_deadlines(POLICY, ["a1"], "bob", DUE + timedelta(days=3, hours=1))[0]
    assert "after the cutoff of 72 h: it earns 0 points" in late.warning


def test_no_due_date_means_no_deadline_and_no_warning():
    item = student_deadlines(POLICY, ["a3"], "bob", datetime.now(UTC))[0]
    assert item.deadline is None and item.left == "" and item.warning == ""


def test_open_deadlines_come_first_soonest_first():
    now = DUE + timedelta(hours=1)
    order = [d.assignment for d in soonest_first(student_deadlines(POLICY, ["a3", "a1", "a2"], "bob", now))]
    assert order == ["a2", "a1", "a3"]
    assert duration(59) == "1 min" and duration(3 * 86400 + 7200) == "3 days 2 h"
