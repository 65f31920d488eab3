"""The service's loop: look at the inbox, grade what is new, write each student's page; again.

One look (``Service.look``) notes every new or changed submission folder in the state, refuses a folder
owned by another account, marks a student's older waiting submissions as replaced by the newest, holds back
the newest when the student is past the hourly limit, and writes a *queued, N ahead* page for each one that
waits. One batch (``Service.grade``) copies the waiting submissions (one per student) into a staging folder
in nbgrader's layout and grades them with ``grade.grade_assignment``, the pipeline, sandbox, gradebook and
worker pool (or Dask cluster) of ``python -m autograder grade``; each result is stored as it finishes and
its page written then, and the pages of those still waiting say how many are ahead of them now. A
submission whose files equal the student's graded one is not run again (the gradebook knows it): its page
is written from the stored grade.

State lives in the work directory (``state.py``): a service killed at any moment grades, when it comes
back, what it had not finished and what arrived meanwhile, and nothing it had finished.
"""

import logging
import signal
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from autograder.core.course import Course, read_notebook
from autograder.core.errors import UserError
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.intake.carry import copy_tree
from autograder.intake.lateness import parse_time
from autograder.outputs import redact
from autograder.serve import limits
from autograder.serve.exchange import CourseExchange
from autograder.serve.inbox import TIMESTAMP, Arrival, content_hash, scan
from autograder.serve.pages import (
    Graded,
    Status,
    before_deadline,
    feedback_paths,
    graded_html,
    status_html,
    when,
    write_page,
)
from autograder.serve.state import GRADED, LIMITED, NEW, QUEUED, REFUSED, SUPERSEDED, Entry, State
from autograder.store import gradebook

log = logging.getLogger("autograder.serve")


class Stopped(Exception):
    """SIGTERM arrived: stop where the loop is (what was not finished is graded at the next start)."""


@dataclass(frozen=True)
class ServeOptions:
    """How the service runs: the exchange, how a batch is graded (as ``grade``), what a student sees before
    the deadline (``shows``), the hourly limit (0: none), the polling interval, and whether a folder may
    belong to another account than the student's."""

    exchange: CourseExchange
    grade: GradeOptions
    shows: str = "visible"
    per_hour: int = 0
    poll_seconds: float = 5.0
    any_owner: bool = False

    @classmethod
    def from_settings(cls, settings, exchange: CourseExchange) -> "ServeOptions":
        """The options of ``settings`` (an ``autograder.core.config.Autograder``)."""
        return cls(exchange, GradeOptions.from_settings(settings, progress=False), settings.serve_shows,
                   settings.serve_per_hour, settings.serve_poll_seconds, settings.serve_any_owner)


class Service:
    """Grading on submit for one assignment of ``course``, its state and grades in ``workdir``."""

    def __init__(self, course: Course, assignment: str, workdir: Workdir, options: ServeOptions):
        self.course, self.assignment, self.workdir, self.options = course, assignment, workdir, options
        self.notebooks = course.notebook_names(assignment)
        self.state = State.of(workdir, assignment)
        self.arrivals: dict[str, Arrival] = {}

    # one look at the inbox ------------------------------------------------------------------------------
    def look(self) -> list[Entry]:
        """Note what is new in the inbox, write the pages of what is not graded; the entries to grade now."""
        now = time.time()
        self.arrivals = {item.key: item for item in scan(self.options.exchange.require_inbound(), self.assignment)}
        for key, item in self.arrivals.items():
            entry = self.state.entries.get(key)
            if entry is None:
                self.state.entries[key] = Entry(key, item.student, item.signature, content_hash(item),
                                                item.submitted_at.isoformat(), now)
            elif entry.signature != item.signature:  # its files were touched: graded again only if they changed
                digest = content_hash(item)
                if digest != entry.sha256:
                    entry.sha256, entry.state, entry.note, entry.seen_at = digest, NEW, "", now
                entry.signature, entry.submitted_at = item.signature, item.submitted_at.isoformat()
        for entry in self.state.pending():
            if entry.key not in self.arrivals:
                self.state.mark(entry.key, SUPERSEDED, "its folder has left the exchange's inbox")
        waiting = self._refuse_and_replace(self.state.pending())
        waiting = [entry for entry in waiting if self._within_limit(entry, now)]
        self._queued_pages(waiting)
        self.state.save()
        return waiting

    def _refuse_and_replace(self, pending: list[Entry]) -> list[Entry]:
        """Refuse folders of another account and folders without a notebook; keep each student's newest."""
        newest: dict[str, Entry] = {}
        for entry in pending:
            item = self.arrivals[entry.key]
            if not self.options.any_owner and item.owner != item.student:
                self._status(entry, REFUSED, "refused", [
                    f"This submission's folder belongs to the account {item.owner}, not to {item.student}, "
                    "so it is not graded. Submit from your own account."])
            elif not set(item.notebooks) & set(self.notebooks):
                self.state.mark(entry.key, REFUSED, f"it holds none of the notebooks {', '.join(self.notebooks)}")
            else:
                kept = newest.get(entry.student)
                if kept is None:
                    newest[entry.student] = entry
                    continue
                if _order(entry) >= _order(kept):
                    newest[entry.student], kept, entry = entry, entry, kept
                self._status(entry, SUPERSEDED, "replaced by a later submission", [
                    f"You handed in again at {_stamp(kept.submitted_at)}; only your latest submission is "
                    "graded. Its feedback comes with that submission."])
        return sorted(newest.values(), key=lambda e: (e.seen_at, e.submitted_at, e.key))

    def _within_limit(self, entry: Entry, now: float) -> bool:
        graded = [other.seen_at for other in self.state.entries.values()
                  if other.student == entry.student and other.state == GRADED]
        verdict = limits.check(graded, now, self.options.per_hour)
        if not verdict.allowed:
            self._status(entry, LIMITED, "not graded: past the hourly limit", [
                f"This course grades at most {self.options.per_hour} submissions of each student per hour, and "
                f"you have handed in {self.options.per_hour} in the last hour, so this one is not graded.",
                f"A submission you hand in from {when(verdict.next_at)} on will be graded."])
        return verdict.allowed

    def _queued_pages(self, waiting: list[Entry]) -> None:
        for ahead, entry in enumerate(waiting):
            self.state.entries[entry.key].state = QUEUED
            self._page(entry, Status(self.assignment, entry.student, QUEUED, f"queued, {ahead} ahead",
                                     _stamp(entry.submitted_at),
                                     [f"Your submission waits to be graded: {ahead} "
                                      f"submission{'' if ahead == 1 else 's'} ahead of it.",
                                      "This page is replaced by your feedback as soon as it is graded."]))

    def _status(self, entry: Entry, state: str, heading: str, lines: list[str]) -> None:
        self.state.mark(entry.key, state, " ".join(lines))
        self._page(entry, Status(self.assignment, entry.student, state, heading, _stamp(entry.submitted_at), lines))

    def _page(self, entry: Entry, status: Status) -> None:
        item = self.arrivals.get(entry.key)
        if item is None:
            return
        text = status_html(status)
        folder = self.options.exchange.ensure_feedback()
        for path in feedback_paths(folder, item.secret, item.notebooks).values():
            write_page(path, text)

    # one batch ------------------------------------------------------------------------------------------
    def grade(self, batch: list[Entry]) -> int:
        """Grade ``batch`` (one entry per student), writing each page as its grade is stored and refreshing
        the queue's pages meanwhile; how many were graded."""
        if not batch:
            return 0
        staging = self._stage(batch)
        by_student = {entry.student: entry for entry in batch}
        self._refreshed = time.monotonic()

        def stored(result) -> None:
            entry = by_student.pop(result.student_id, None)
            if entry is not None:
                self._graded_pages([entry])
            if time.monotonic() - self._refreshed >= self.options.poll_seconds:
                self._refreshed = time.monotonic()
                self.look()  # what arrived meanwhile, and how many are ahead of each waiting one now

        # worker processes, never this one: a kernel run here gets nbclient's own SIGTERM handler, which would
        # end the kernel on a stop and leave the student a grade of a run the service cut short
        workers = max(2, min(self.options.grade.workers or _cores(), len(batch)))
        options = replace(self.options.grade, workers=workers, progress=False, on_stored=stored,
                          order=tuple(entry.student for entry in batch))  # first come, first graded
        grade_assignment(self.course, self.assignment, staging, self.workdir, options)
        self._graded_pages(list(by_student.values()))  # unchanged since their graded run: not run again
        return len(batch)

    def _stage(self, batch: list[Entry]) -> Path:
        """Copies of the batch's submissions as ``<student>/<assignment>/`` with the service's time of each."""
        import shutil

        staging = self.workdir.folder("serve", "staging", self.assignment)
        shutil.rmtree(staging, ignore_errors=True)
        cap = self.options.grade.run.limits
        for entry in batch:
            target = staging / entry.student / self.assignment
            budget = cap.folder_bytes + cap.notebook_bytes * len(self.notebooks)
            copy_tree(self.arrivals[entry.key].path, target, budget)
            (target / TIMESTAMP).write_text(entry.submitted_at)
        return staging

    def _graded_pages(self, entries: list[Entry]) -> None:
        if not entries:
            return
        rows = {row.student_id: row for row in gradebook.rows(self.workdir.db_url, self.assignment,
                                                              self.options.grade.late,
                                                              {entry.student for entry in entries})}
        for entry in entries:
            row = rows.get(entry.student)
            if row is None:  # nothing stored for it: said in the state, never tried forever
                self.state.mark(entry.key, REFUSED, "grading stored no result for it")
                continue
            self._graded_page(entry, row)
            self.state.mark(entry.key, GRADED)
        self.state.save()

    def _graded_page(self, entry: Entry, row) -> None:
        item = self.arrivals.get(entry.key)
        if item is None:
            return
        folder = self.workdir.folder("autograded", entry.student, self.assignment)
        graded = {path.stem: read_notebook(path) for path in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}
        secrets = None
        for notebook in graded.values():
            secrets = redact.Secrets.of(notebook) if secrets is None else secrets | redact.Secrets.of(notebook)
        deadline = self.options.grade.late.deadline(self.assignment, entry.student)
        before = None
        if deadline is None or datetime.now(UTC) <= deadline:
            before = before_deadline(row, self.options.shows == "visible_and_hidden_count", deadline)
        out = self.options.exchange.ensure_feedback()
        for name, path in feedback_paths(out, item.secret, item.notebooks).items():
            write_page(path, graded_html(Graded(self.assignment, row, graded.get(name), secrets, before)))

    # the loop -------------------------------------------------------------------------------------------
    def step(self) -> int:
        """One look and one batch: how many submissions were graded."""
        return self.grade(self.look())

    def run(self, once: bool = False) -> int:
        """Look and grade until SIGTERM (or once, with ``once``); how many submissions were graded."""
        previous = signal.signal(signal.SIGTERM, _stop)
        graded = 0
        try:
            while True:
                signal.signal(signal.SIGTERM, _stop)  # again: nbclient resets it after a run in this process
                try:
                    graded += self.step()
                except (UserError, Stopped):
                    raise
                except Exception as error:  # a batch that failed on the grader's side: tried again next look
                    log.exception("serve: a batch failed (%s); its submissions are tried again at the next look",
                                  error)
                if once:
                    return graded
                time.sleep(self.options.poll_seconds)
        except Stopped:
            log.info("serve: stopped by SIGTERM; what was not graded is graded when it runs again")
            return graded
        finally:
            self.state.save()
            signal.signal(signal.SIGTERM, previous)


def _stop(signum, frame):
    raise Stopped()


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def _order(entry: Entry) -> tuple:
    return parse_time(entry.submitted_at), entry.seen_at, entry.key


def _stamp(iso: str) -> str:
    return parse_time(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
