"""The grader's work directory: every piece of grading state of a course, in nbgrader's layout."""

from dataclasses import dataclass
from pathlib import Path

from autograder.core.errors import UserError


@dataclass
class Workdir:
    """gradebook.db, release/, reference/, incoming/, submitted/, scratch/, autograded/, feedback/.

    ``grade`` makes one where there is none; every other command reads what a ``grade`` wrote, so with
    ``must_exist`` a folder without a gradebook is refused with a sentence (a mistyped ``--workdir`` would
    otherwise become an empty gradebook, and an export of nobody)."""

    path: Path
    db_url: str = ""
    must_exist: bool = False

    def __post_init__(self):
        self.path = Path(self.path).resolve()
        if self.must_exist:
            self._require_gradebook()
        else:
            self.path.mkdir(parents=True, exist_ok=True)
        if not self.db_url:
            self.db_url = f"sqlite:///{self.path / 'gradebook.db'}"

    def _require_gradebook(self) -> None:
        database = (Path(self.db_url.removeprefix("sqlite:///")) if self.db_url.startswith("sqlite:///")
                    else None if self.db_url else self.path / "gradebook.db")
        if database is not None and not database.is_file():
            where = f"--db-url {self.db_url}" if self.db_url else f"the work directory {self.path}"
            raise UserError(f"no gradebook at {database}: {where} has never been graded into (mistyped "
                            "--workdir?). Pass the --workdir (or --db-url) that `grade` wrote, or grade first: "
                            "python -m autograder grade ASSIGNMENT --submissions ... --workdir DIR")

    def folder(self, step: str, student: str = "", assignment: str = "") -> Path:
        return self.path.joinpath(*[part for part in (step, student, assignment) if part])
