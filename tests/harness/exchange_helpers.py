"""A course's nbgrader exchange in a test folder, driven by nbgrader's own exchange classes: a student's
*Submit* and *Fetch Feedback* exactly as the Assignment List calls them (``ExchangeSubmit``,
``ExchangeFetchFeedback``), so a test proves that nbgrader finds the pages the service writes."""

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

COURSE_ID = "dlcourse"


@dataclass(frozen=True)
class TestExchange:
    __test__ = False

    root: Path  # Exchange.root
    home: Path  # where each student's folders and nbgrader cache live: home/<student>/

    @property
    def inbound(self) -> Path:
        return self.root / COURSE_ID / "inbound"

    @property
    def feedback(self) -> Path:
        return self.root / COURSE_ID / "feedback"

    def make(self, release: Path, assignment: str) -> "TestExchange":
        """The exchange with ``release`` (a release folder) published as ``assignment``."""
        (self.root / COURSE_ID / "outbound").mkdir(parents=True, exist_ok=True)
        self.inbound.mkdir(parents=True, exist_ok=True)
        shutil.copytree(release, self.root / COURSE_ID / "outbound" / assignment, dirs_exist_ok=True)
        return self

    def _config(self, student: str, assignment: str):
        from traitlets.config import Config

        config = Config()
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.assignment_id = assignment
        config.CourseDirectory.student_id = student
        config.Exchange.root = str(self.root)
        config.Exchange.cache = str(self.home / student / ".cache")
        config.Exchange.assignment_dir = str(self.home / student)
        return config

    def _step(self, cls, student: str, assignment: str):
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory

        config = self._config(student, assignment)
        step = cls(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
                   config=config)
        step.log.setLevel(logging.ERROR)
        return step

    def submit(self, student: str, assignment: str, notebooks: dict[str, nbformat.NotebookNode | bytes]) -> Path:
        """Write the student's notebooks (a notebook, or a file's raw bytes) and press Submit; the new inbox
        folder."""
        from nbgrader.exchange.default import ExchangeSubmit

        folder = self.home / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, notebook in notebooks.items():
            if isinstance(notebook, bytes):
                (folder / f"{name}.ipynb").write_bytes(notebook)
            else:
                nbformat.write(notebook, folder / f"{name}.ipynb")
        before = set(self.inbound.iterdir())
        step = self._step(ExchangeSubmit, student, assignment)
        step.start()
        (new,) = set(self.inbound.iterdir()) - before
        return new

    def fetch_feedback(self, student: str, assignment: str) -> dict[str, str]:
        """Press Fetch Feedback: the pages nbgrader found, by notebook (the latest submission's)."""
        from nbgrader.exchange.default import ExchangeFetchFeedback

        self._step(ExchangeFetchFeedback, student, assignment).start()
        folder = self.home / student / assignment / "feedback"
        if not folder.is_dir():
            return {}
        latest = max(folder.iterdir(), key=lambda p: p.name)
        return {path.stem: path.read_text() for path in latest.glob("*.html")}
