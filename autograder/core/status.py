"""How the grading of a submission (or of one of its notebooks) ended, with the order of severity used
when a submission's notebooks end differently: the worst one names the submission's status."""

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    """A grading outcome; its value is the word the export, the gradebook and the report use."""

    GRADED = "graded"  # every cell ran to the end (errors in cells are the student's, and score 0)
    MEMORY = "memory"  # the kernel was killed at its memory cap
    TIMEOUT = "timeout"  # a cell or the notebook ran past its time limit
    CRASHED = "crashed"  # the kernel died, or the grader itself failed on this submission
    INVALID = "invalid"  # the file is not a notebook the grader can run
    MISSING = "missing"  # nothing was submitted

    @property
    def severity(self) -> int:
        return list(Status).index(self)


def worst(statuses: Iterable[Status | str]) -> Status:
    """The most severe of ``statuses`` (``MISSING`` when there are none)."""
    found = [Status(status) for status in statuses]
    return max(found, key=lambda status: status.severity) if found else Status.MISSING
