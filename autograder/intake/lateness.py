"""Deadlines, late work and extensions: when a submission counts as late, and what it costs.

Set in the course's ``nbgrader_config.py`` (times in ISO 8601; a time without a zone is UTC)::

    c.Autograder.due = {"01_perceptron": "2026-12-01T23:59:00+01:00"}
    c.Autograder.extensions = {"01_perceptron": {"alice": 48}}   # hours beyond the due time
    c.Autograder.late_method = "per_day"     # "none", "per_hour", "per_day", "nbgrader" or a LateMethod class
    c.Autograder.late_rate = 0.1             # share of the maximum score taken per hour or day begun
    c.Autograder.late_cap = 0.5              # at most this share in all
    c.Autograder.late_cutoff_hours = 72      # later than this: 0 points (0 = no cutoff)

A submission's time comes from nbgrader's ``timestamp.txt`` beside it (what ``nbgrader collect`` and the
exchange write), the time stored in the zip an LMS exports, or a ``--timestamps`` CSV
(``student_id,timestamp``). Without a time a submission is never late. The penalty is worked out when the
grades are read (export, feedback, report), so an extension granted after grading counts at once. Under
``nbgrader`` it is nbgrader's: asked of the plugin per notebook when graded and stored in nbgrader's
tables (``SubmittedNotebook.late_submission_penalty``, beside the submission's time and the due time) as
``nbgrader autograde`` stores it, so Formgrader and ``nbgrader export`` show it; a change of due time or
extension counts from the next ``grade --force`` or ``rescore``, as in nbgrader.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from autograder.core.config import course_settings
from autograder.core.errors import UserError
from autograder.core.plugins import LateCase, LateMethod, resolve


def parse_time(text: str, where: str = "") -> datetime:
    """An aware datetime from ISO 8601 or nbgrader's ``2026-12-01 23:59:00.123456 UTC``."""
    value = text.strip()
    if value.endswith(" UTC"):
        value = value[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"{where or 'a timestamp'}: {text.strip()!r} is not a time (write it as ISO 8601, "
                        "e.g. 2026-12-01T23:59:00+01:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LateMethodName(StrEnum):
    """The built-in late methods' names, as ``c.Autograder.late_method`` writes them (a course's own
    ``LateMethod`` is named by its importable class name instead)."""

    NONE = "none"
    PER_HOUR = "per_hour"
    PER_DAY = "per_day"
    NBGRADER = "nbgrader"


@dataclass(frozen=True)
class NoPenalty(LateMethod):
    """Late work is marked late and costs nothing (``none``)."""

    name = LateMethodName.NONE

    def penalty(self, lateness: LateCase) -> float:
        return 0.0


@dataclass(frozen=True)
class PerHour(LateMethod):
    """``late_rate`` of the maximum score per hour begun (``per_hour``)."""

    name = LateMethodName.PER_HOUR
    hours_per_unit = 1.0
    unit = "hour"

    def penalty(self, lateness: LateCase) -> float:
        return lateness.rate * math.ceil(lateness.hours / self.hours_per_unit) * lateness.max_score

    def describe(self, policy) -> str:
        return f"{policy.rate:.0%} per {self.unit} begun, at most {policy.cap:.0%}"


@dataclass(frozen=True)
class PerDay(PerHour):
    """``late_rate`` of the maximum score per day begun (``per_day``)."""

    name = LateMethodName.PER_DAY
    hours_per_unit = 24.0
    unit = "day"


@dataclass(frozen=True)
class NbgraderLate(LateMethod):
    """nbgrader's own ``LateSubmissionPlugin`` (or the subclass ``c.AssignLatePenalties.plugin_class`` names),
    configured from the course's ``nbgrader_config.py`` as nbgrader configures it (``nbgrader``)."""

    name = LateMethodName.NBGRADER
    config: dict = field(default_factory=dict, compare=False, hash=False)  # the course's whole configuration

    def plugin(self):
        """The course's late-submission plugin, built as nbgrader's ``AssignLatePenalties`` builds it."""
        from traitlets.config import Config
        from traitlets.utils.importstring import import_item

        config = Config(self.config)
        name = config.get("AssignLatePenalties", {}).get("plugin_class", "nbgrader.plugins.LateSubmissionPlugin")
        return (import_item(name) if isinstance(name, str) else name)(config=config)

    def penalty(self, lateness: LateCase) -> float:
        return float(self.plugin().late_submission_penalty(lateness.student, lateness.score, lateness.hours * 3600)
                     or 0.0)

    def notebook_penalties(self, lateness: LateCase, scores: dict[str, float]) -> dict[str, float]:
        """The penalty of each notebook (by name, from its score in ``scores``) as ``nbgrader autograde``
        stores it: the plugin asked per notebook, its answer kept between 0 and that notebook's score."""
        plugin = self.plugin()
        return {name: min(max(float(plugin.late_submission_penalty(lateness.student, score, lateness.hours * 3600)
                                    or 0.0), 0.0), score) for name, score in scores.items()}


METHODS = {method.name: method for method in (NoPenalty, PerHour, PerDay, NbgraderLate)}


@dataclass(frozen=True)
class LatePolicy:
    due: dict[str, datetime] = field(default_factory=dict)
    extensions: dict[str, dict[str, float]] = field(default_factory=dict)  # assignment -> student -> hours
    method: LateMethod = field(default_factory=NoPenalty)
    rate: float = 0.0
    cap: float = 1.0
    cutoff_hours: float = 0.0

    @classmethod
    def from_settings(cls, settings) -> "LatePolicy":
        """The policy of ``settings`` (an ``autograder.core.config.Autograder``): due times, extensions, and the
        late method its ``late_method`` names (a built-in or an importable ``LateMethod``)."""
        method = resolve(settings.late_method, LateMethod, METHODS, "late_method")
        if isinstance(method, NbgraderLate):
            method = NbgraderLate(dict(settings.config))
        rate, cap, cutoff_hours = settings.late_rate, settings.late_cap, settings.late_cutoff_hours
        if not (0 <= rate <= 1 and 0 <= cap <= 1 and cutoff_hours >= 0):
            raise UserError("c.Autograder.late_rate and late_cap are shares of the score (0 to 1), "
                            "late_cutoff_hours is 0 (no cutoff) or a number of hours")
        return cls({name: parse_time(str(when), f"c.Autograder.due[{name!r}]") for name, when in settings.due.items()},
                   {name: {student: float(hours) for student, hours in granted.items()}
                    for name, granted in settings.extensions.items()}, method, float(rate), float(cap),
                   float(cutoff_hours))

    def deadline(self, assignment: str, student: str) -> datetime | None:
        """The student's due time for ``assignment`` (with any extension), or None without a due date."""
        due = self.due.get(assignment)
        if due is None:
            return None
        return due + timedelta(hours=self.extensions.get(assignment, {}).get(student, 0.0))

    def cutoff(self, assignment: str, student: str) -> datetime | None:
        """After this time a submission earns nothing (None: no cutoff)."""
        deadline = self.deadline(assignment, student)
        if deadline is None or not self.cutoff_hours:
            return None
        return deadline + timedelta(hours=self.cutoff_hours)


@dataclass(frozen=True)
class Lateness:
    hours: float = 0.0  # after the student's deadline; 0 when on time or without a time or due date
    penalty: float = 0.0  # points taken off
    note: str = ""  # in words, for the CSV and the feedback page


def assess(policy: LatePolicy, assignment: str, student: str, when: datetime | None, score: float,
           max_score: float) -> Lateness:
    """How late ``when`` is for this student, and the points that costs on ``score``."""
    deadline = policy.deadline(assignment, student)
    if when is None or deadline is None or when <= deadline:
        return Lateness()
    hours = (when - deadline).total_seconds() / 3600
    words = f"{hours:.1f} h late" if hours < 48 else f"{hours / 24:.1f} days late"
    cutoff = policy.cutoff(assignment, student)
    if cutoff is not None and when > cutoff:
        return Lateness(hours, score, f"{words}, after the cutoff of {policy.cutoff_hours:g} h: 0 points")
    taken = policy.method.penalty(LateCase(student, assignment, hours, score, max_score, policy.rate))
    penalty = max(0.0, min(score, policy.cap * max_score, taken))
    if not penalty:
        return Lateness(hours, 0.0, words)
    rule = policy.method.describe(policy)
    return Lateness(hours, penalty, f"{words}: {rule}" if rule else words)


def notebook_penalties(policy: LatePolicy, case: LateCase, when: datetime,
                       scores: dict[str, float]) -> dict[str, float]:
    """What nbgrader's ``SubmittedNotebook.late_submission_penalty`` holds for each notebook of a submission
    (``scores``: each notebook's score; ``case``: the whole submission, hours late included) under the late
    method ``nbgrader``: the plugin's penalty per notebook, as ``nbgrader autograde`` stores it; all of
    each score after the policy's cutoff; scaled down together to at most ``late_cap`` of the maximum."""
    if not case.hours or not isinstance(policy.method, NbgraderLate):
        return {name: 0.0 for name in scores}
    cutoff = policy.cutoff(case.assignment, case.student)
    if cutoff is not None and when > cutoff:
        return dict(scores)
    each = policy.method.notebook_penalties(case, scores)
    total, limit = sum(each.values()), policy.cap * case.max_score
    scale = limit / total if total > limit else 1.0
    return {name: penalty * scale for name, penalty in each.items()}


def choose(candidates: list[tuple[object, datetime | None]], cutoff: datetime | None) -> tuple[object, list]:
    """Of several submissions of one notebook, the one that counts: the last before the cutoff (the last of
    all when every one is after it, or when none has a time); the others, listed."""
    timed = [item for item in candidates if item[1] is not None]
    if not timed:
        return candidates[-1][0], [item[0] for item in candidates[:-1]]
    before = [item for item in timed if cutoff is None or item[1] <= cutoff]
    chosen = max(before or timed, key=lambda item: item[1])[0]
    return chosen, [item[0] for item in candidates if item[0] is not chosen]


def course_late_policy(course_root: Path | None) -> LatePolicy:
    """The course's deadlines, extensions and late policy, from its `c.Autograder` settings."""
    return LatePolicy.from_settings(course_settings(course_root))
