"""The page a student fetches for each submission, written where nbgrader's *fetch feedback* finds it.

nbgrader names a notebook's feedback ``<exchange>/<course>/feedback/<md5(secret + notebook)>.html``, the
secret being the submission's ``submission_secret.txt`` (``nbgrader.utils.notebook_hash``); the student's
Assignment List shows *feedback ready to be fetched* as soon as that file exists, and again when it changes.
So every state of a submission is a page there: queued (with how many are ahead), past the hourly limit
(and from when the next one is graded), replaced by a later submission, refused, and at last graded.

A graded page before the student's deadline (with any extension) shows the visible tests only, and with
``serve_shows = "visible_and_hidden_count"`` how many hidden tests pass; it is built from the visible
tests' results alone, so no description, message or score of a hidden test is on it, and the graded
notebook's hidden cells and every output showing hidden code or values are withheld as on every feedback
page (``autograder.outputs.redact``). After the deadline it is the whole feedback page, as ``feedback`` writes it.
Pages load MathJax from ``mathjax/`` beside them, which *fetch feedback* does not copy: formulas on a
fetched page stay as written.
"""

import os
import secrets as random
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from autograder.core.results import GradebookRow
from autograder.outputs import mathjax, pages, redact
from autograder.outputs.feedback import answers_tested, feedback_notebook, summary, summary_html


def feedback_paths(folder: Path, secret: str, notebooks: tuple[str, ...]) -> dict[str, Path]:
    """Where nbgrader's fetch feedback looks for each notebook's page of a submission with ``secret``."""
    from nbgrader.utils import notebook_hash

    if not secret:
        return {}
    return {name: folder / f"{notebook_hash(secret=secret, notebook_id=name)}.html" for name in notebooks}


def write_page(path: Path, text: str) -> None:
    """Replace ``path`` at once (a student fetching never reads half a page), readable by its owner's
    student through the secret name only (the folder is not listable)."""
    partial = path.with_name(f".{random.token_hex(8)}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o644)
    os.replace(partial, path)


def when(seconds: float) -> str:
    """A time as the pages write it: UTC, to the minute."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Status:
    """A page for a submission that is not graded (yet)."""

    assignment: str
    student: str
    state: str  # queued, limited, superseded, refused
    heading: str
    submitted: str
    lines: list[str] = field(default_factory=list)
    written: str = ""


def status_html(status: Status) -> str:
    return pages.render("serve_status.html.j2", status=replace(status, written=status.written or when(time.time())))


@dataclass(frozen=True)
class Before:
    """What a page before the deadline adds to the visible tests: the hidden tests' count (0 0: not shown),
    when the work was handed in, and what happens after the deadline."""

    hidden_passed: int
    hidden_total: int
    handed_in: str
    after: str


def visible_row(row: GradebookRow) -> GradebookRow:
    """``row`` with its visible tests only, and their points as the score: nothing of a hidden test."""
    tests = [test for test in row.tests if not test.hidden]
    return replace(row, tests=tests, score=sum(test.score or 0.0 for test in tests),
                   max_score=sum(test.points for test in tests), penalty=0.0)


def before_deadline(row: GradebookRow, count_hidden: bool, deadline: datetime | None) -> Before:
    hidden = [test for test in row.tests if test.hidden]
    passed = sum(1 for test in hidden if test.score is not None and test.score >= test.points)
    if row.hours_late > 0:
        handed_in = f"late: {row.lateness}."
    elif deadline is not None:
        handed_in = f"on time (your deadline: {deadline.astimezone(UTC):%Y-%m-%d %H:%M} UTC)."
    else:
        handed_in = "on time (no deadline is set)."
    after = ("The hidden tests' results and your total are shown once your deadline has passed."
             if deadline is not None else "The hidden tests' results and your total come with the final feedback.")
    return Before(passed if count_hidden else 0, len(hidden) if count_hidden else 0, handed_in, after)


_EXPORTER: list = []


def _render(notebook: nbformat.NotebookNode, top: str, assignment: str) -> str:
    if not _EXPORTER:
        _EXPORTER.append(mathjax.exporter())
    body, _ = _EXPORTER[0].from_notebook_node(notebook, resources={"metadata": {"name": f"Feedback: {assignment}"},
                                                                   "page_top": top})
    return body


@dataclass(frozen=True)
class Graded:
    """A graded submission's page: its row, one graded notebook (None when nothing ran), the secrets of
    every notebook of the submission, and what the student may see now (``before`` None: everything)."""

    assignment: str
    row: GradebookRow
    notebook: nbformat.NotebookNode | None
    secrets: redact.Secrets | None
    before: Before | None


def graded_html(page: Graded) -> str:
    """The page of a graded submission (see the module's docstring for what it shows when)."""
    row, graded = page.row, page.notebook
    secrets = page.secrets or (redact.Secrets.of(graded) if graded is not None else None)
    answers = {} if graded is None else answers_tested(graded)
    if page.before is None:
        notebook = nbformat.v4.new_notebook() if graded is None else feedback_notebook(graded, row.tests, secrets)
        return _render(notebook, summary_html(row.student_id, page.assignment, row, answers, secrets), page.assignment)
    shown = visible_row(row)
    notebook = nbformat.v4.new_notebook() if graded is None else feedback_notebook(graded, shown.tests, secrets)
    top = pages.render("serve_summary.html.j2", view=page.before,
                       summary=summary(row.student_id, page.assignment, shown, answers, secrets))
    return _render(notebook, top, page.assignment)
