"""A student's own deadlines: due time, extension, time left, and what a submission now would cost.

From the settings the late policy reads (``c.Autograder.due``, ``extensions``, ``late_method``,
``late_rate``, ``late_cap``, ``late_cutoff_hours``; ``autograder.intake.lateness``), so what a student is told
is what grading will apply: the warning's penalty is ``lateness.assess`` of a submission handed in now.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from autograder.intake.lateness import LatePolicy, assess


@dataclass(frozen=True)
class StudentDeadline:
    """One assignment's deadline for one student, at ``now``."""

    assignment: str
    due: datetime | None  # the course's due time (None: no deadline)
    extension_hours: float  # this student's own extension
    deadline: datetime | None  # due + extension
    cutoff: datetime | None  # after it a submission earns nothing (None: no cutoff)
    now: datetime
    warning: str  # "" while on time; past the deadline, what a submission now counts as

    @property
    def seconds_left(self) -> float | None:
        return None if self.deadline is None else (self.deadline - self.now).total_seconds()

    @property
    def left(self) -> str:
        """The time left in words ("2 days 3 h", "45 min"), "" without a deadline, "past" after it."""
        seconds = self.seconds_left
        if seconds is None:
            return ""
        return "past" if seconds <= 0 else duration(seconds)


def duration(seconds: float) -> str:
    """``seconds`` as a person reads it: 2 days 3 h, 5 h 20 min, 45 min."""
    minutes = int(seconds // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} day{'s' * (days > 1)} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{max(minutes, 1)} min" if seconds > 0 else "0 min"


def warning(policy: LatePolicy, assignment: str, student: str, now: datetime) -> str:
    """What a submission handed in ``now`` counts as, in one sentence ("" when it is on time)."""
    late = assess(policy, assignment, student, now, 1.0, 1.0)  # penalty as a share of the score
    if late.hours <= 0:
        return ""
    cutoff = policy.cutoff(assignment, student)
    if cutoff is not None and now > cutoff:
        return (f"A submission now counts as late by {duration(late.hours * 3600)}, after the cutoff of "
                f"{policy.cutoff_hours:g} h: it earns 0 points.")
    rule = policy.method.describe(policy)
    cost = f"penalty: {late.penalty:.0%} of its score" + (f", {rule}" if rule else "")
    cost = cost if late.penalty else "no penalty"
    return f"A submission now counts as late by {duration(late.hours * 3600)} ({cost})."


def student_deadlines(policy: LatePolicy, assignments: list[str], student: str,
                      now: datetime | None = None) -> list[StudentDeadline]:
    """Each of ``assignments`` as ``student`` sees it at ``now`` (default: this moment)."""
    now = now or datetime.now(UTC)
    out = []
    for assignment in assignments:
        hours = policy.extensions.get(assignment, {}).get(student, 0.0)
        due = policy.due.get(assignment)
        deadline = policy.deadline(assignment, student)
        out.append(StudentDeadline(assignment, due, hours, deadline, policy.cutoff(assignment, student), now,
                                   warning(policy, assignment, student, now)))
    return out


def soonest_first(deadlines: list[StudentDeadline]) -> list[StudentDeadline]:
    """Open deadlines soonest first, then past ones (latest first), then those without a deadline."""
    def key(item: StudentDeadline):
        if item.deadline is None:
            return 2, 0.0, item.assignment
        left = item.seconds_left or 0.0
        return (0, left, item.assignment) if left > 0 else (1, -left, item.assignment)

    return sorted(deadlines, key=key)
