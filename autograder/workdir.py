"""The grader's work directory: every piece of grading state of a course, in nbgrader's layout."""

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Workdir:
    """gradebook.db, release/, reference/, incoming/, submitted/, scratch/, autograded/, feedback/."""

    path: Path
    db_url: str = ""

    def __post_init__(self):
        self.path = Path(self.path).resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        if not self.db_url:
            self.db_url = f"sqlite:///{self.path / 'gradebook.db'}"

    def folder(self, step: str, student: str = "", assignment: str = "") -> Path:
        return self.path.joinpath(*[part for part in (step, student, assignment) if part])
