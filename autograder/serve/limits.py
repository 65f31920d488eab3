"""How many submissions of one student are graded per hour (``c.Autograder.serve_per_hour``).

A sliding hour by the service's own clock (a student can write any time into ``timestamp.txt``, and the
service may have been down when a submission arrived): the submissions graded for this student whose
grading started within the last hour count. One past the limit is not graded; its page names the time
from which the next submission will be.
"""

from dataclasses import dataclass

HOUR = 3600.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    next_at: float = 0.0  # seconds since the epoch from which a new submission is graded (when not allowed)


def check(graded_at: list[float], now: float, per_hour: int) -> Verdict:
    """Whether a student whose submissions were graded at ``graded_at`` may have one more graded ``now``."""
    if per_hour <= 0:
        return Verdict(True)
    recent = sorted(moment for moment in graded_at if now - moment < HOUR)
    if len(recent) < per_hour:
        return Verdict(True)
    return Verdict(False, recent[len(recent) - per_hour] + HOUR)
