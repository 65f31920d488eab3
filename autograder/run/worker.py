"""The worker's job: one student's submission, from its files to a ``SubmissionResult``.

A ``Task`` carries everything the worker needs (texts, not paths, except the student's own folder), so
a worker on another machine of a Dask cluster needs no shared files. ``grade_one`` never raises.
"""

import copy
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from autograder.core.config import DEFAULTS, THREAD_ENV, Limits
from autograder.core.plugins import Judge, SandboxBackend
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status, worst
from autograder.intake.carry import write_files
from autograder.intake.intake import InvalidSubmission, SubmittedFile, copy_student_folder, load_submission
from autograder.judge.records import RecordJudge
from autograder.judge.scoring import ReferenceCell, grading_env, score_cells
from autograder.run.assemble import assemble
from autograder.run.backends import SandboxMode, backend
from autograder.run.execute import Run
from autograder.run.kernels import POOL, PRELOAD_ENV, KernelPool, OneShot, preload_modules


@dataclass(frozen=True)
class NotebookFiles:
    """One notebook of the assignment: the instructor's source and release, and what was submitted (its
    text, or the reason intake refused it; None when it was not handed in)."""

    source: str
    release: str
    submission: SubmittedFile | None
    warm: tuple[str, ...] = ()  # installed modules the reference's kernel imported (reference.warm_modules)


@dataclass(frozen=True)
class RunSettings:
    """How every notebook of a batch runs: its limits, the sandbox backend (``autograder.run.backends``; a name
    or an instance), whether plots are rendered, and the judge of checks (``autograder.core.plugins.Judge``)."""

    limits: Limits = DEFAULTS
    sandbox: SandboxBackend | str = SandboxMode.BWRAP
    figures: bool = False
    judge: Judge = field(default_factory=RecordJudge)


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to grade: the instructor's source and release, what was submitted (notebooks), the
    reference records of its test cells, the assignment's other files (written over the student's), and
    the notebook ``assemble`` already made of the three (None: assembled here), and the installed modules
    the reference's kernel imported (``autograder.run.reference.warm_modules``)."""

    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    submitted: nbformat.NotebookNode | None
    reference: dict[str, ReferenceCell]
    files: dict[str, bytes] = field(default_factory=dict)
    assembled: nbformat.NotebookNode | None = None
    warm: tuple[str, ...] = ()


@dataclass
class Task:
    """One student's grading job, self-contained."""

    student_id: str
    notebooks: dict[str, NotebookFiles]
    reference: dict[str, dict[str, ReferenceCell]]  # notebook name → grade id → its reference
    run: RunSettings = field(default_factory=RunSettings)
    folder: str | None = None  # the student's other files, copied into the scratch directory
    scratch_root: str | None = None
    digest: str = ""  # the submission's hash, stored to skip it next time if unchanged
    timestamp: str = ""  # when it was submitted (ISO 8601), for the late policy
    notes: list[str] = field(default_factory=list)  # intake notes appended to the reason
    files: dict[str, bytes] = field(default_factory=dict)  # the assignment's other files (source/<a>/), as bytes
    prestart: bool = True  # take kernels from the worker's pool, the next one booting while this one runs


def grade_notebook(job: NotebookJob, scratch: Path, settings: RunSettings = RunSettings(),
                   pool: KernelPool | OneShot | None = None, carry_over: bool = False) -> tuple[Run, list[TestResult]]:
    """Assemble, run (sandboxed by ``settings.sandbox``) and score one submitted notebook.

    ``job.files``, the assignment's other files (data, images, helper modules of ``source/<a>/``), are
    written into the kernel's folder before every run, over any file of the same name the student sent: a
    student's ``data.csv`` or ``helpers.py`` never replaces the instructor's.

    Every run takes a started kernel (from ``pool``, or one launched for it) in a fresh folder of its own,
    never one an earlier run has written: the folder gets a copy of ``scratch`` first. With ``carry_over``
    the files the notebook leaves there are copied back into ``scratch`` for the next notebook of the
    submission (nbgrader runs an assignment's notebooks in one folder), only once the kernel and every
    process of its sandbox are dead, and never through a link (``autograder.intake.carry``).

    A cell that runs past its time limit, kills its kernel or hits the memory cap does not end the
    grading: the notebook runs again from the top in a fresh sandboxed kernel, from the same files, with
    that cell replaced by one that raises (so its tests score 0 with the reason), and the cells after it
    are graded. At most ``limits.restarts`` times, within the notebook's total time limit.

    ``job.assembled``: the notebook ``assemble`` already made of the three (the worker assembles first, so
    that a submission it cannot assemble is the student's ``invalid``, not a grader error).
    """
    limits = settings.limits
    notebook = job.assembled if job.assembled is not None else assemble(job.source, job.release, job.submitted)
    stopped: dict[int, str] = {}  # cell index -> what happened to it
    budget = limits.notebook_seconds
    phases: dict[str, float] = {}
    env = grading_env(settings.figures)
    if pool is not None:  # a kernel started ahead imports the given code's modules while it waits; a template,
        # once per worker, also those the reference's kernel imported in its cells (torch._dynamo at the first
        # optimiser step...)
        warm = list(job.warm) if backend(settings.sandbox).shares_imports else []
        env[PRELOAD_ENV] = ",".join(dict.fromkeys(preload_modules(job.source) + warm))
    pool = pool if pool is not None else OneShot()
    while True:
        attempt = _without(notebook, stopped)
        capped = replace(limits, notebook_seconds=budget)
        kernel = pool.take(scratch.parent, env, limits, settings.sandbox)
        try:
            copy_student_folder(scratch, kernel.folder, limits.folder_bytes)
            write_files(job.files or {}, kernel.folder)
            run = kernel.run(attempt, capped)
        except BaseException:
            pool.give_back(kernel)
            raise
        budget -= run.seconds
        for phase, seconds in run.phases.items():
            phases[phase] = phases.get(phase, 0.0) + seconds
        again = (run.status in (Status.TIMEOUT, Status.CRASHED, Status.MEMORY) and run.stopped_at is not None
                 and run.stopped_at not in stopped and len(stopped) < limits.restarts and budget > 1.0)
        try:
            if carry_over and not again:  # what the notebook's last run left, for the next notebook
                if kernel.stop():
                    copy_student_folder(kernel.folder, scratch, limits.folder_bytes)
                else:
                    run.reason = "; ".join(filter(None, [run.reason, "the files it left were not carried to the "
                                                         "next notebook: its sandbox did not stop"]))
        finally:
            pool.give_back(kernel)
        if not again:
            break
        stopped[run.stopped_at] = f"{run.status}: {run.reason}"
    run.phases = phases
    if stopped:
        what = "; ".join(stopped.values())
        if run.status == Status.GRADED:
            run.reason = "; ".join(filter(None, [f"graded, {len(stopped)} cell{'s' * (len(stopped) > 1)} "
                                                 f"stopped and skipped ({what})", run.reason]))
        else:
            run.reason = f"{run.reason} (after {len(stopped)} restart{'s' * (len(stopped) > 1)}: {what})"
    return run, score_cells(run.notebook, job.reference, stop_reason=run.reason,
                            reply_errors=run.reply_errors, judge=settings.judge)


def _without(notebook, stopped: dict[int, str]):
    """A copy of ``notebook`` whose ``stopped`` cells raise at once, saying why they were skipped."""
    attempt = copy.deepcopy(notebook)
    for index, why in stopped.items():
        message = f"skipped by the grader: in an earlier run this cell ended the kernel's run ({why})"
        attempt.cells[index].source = f"raise RuntimeError({message!r})"
    return attempt


def grade_one(task: Task) -> SubmissionResult:
    """Grade one student's submission (in a worker process). Never raises: a failure of the grader itself
    is this student's ``crashed`` result, marked ``grader_fault`` so that the next ``grade`` runs it again.

    The scratch folder gets the student's own files first, then the assignment's ``task.files`` over
    them (the student's files never overwrite the instructor's), then each notebook in turn."""
    started = time.perf_counter()
    try:
        result = _grade_all(task)
    except Exception as error:  # one student never stops the batch, whatever went wrong
        result = SubmissionResult(task.student_id, Status.CRASHED,
                                  f"grader error: {type(error).__name__}: {str(error)[:300]}", grader_fault=True)
    result.seconds = time.perf_counter() - started
    return result


def _grade_all(task: Task) -> SubmissionResult:
    result = SubmissionResult(task.student_id)
    reasons: list[str] = []
    with tempfile.TemporaryDirectory(prefix="grade-", dir=task.scratch_root) as scratch:
        scratch = Path(scratch)
        folder = Path(task.folder) if task.folder else None
        left_out = copy_student_folder(folder, scratch, task.run.limits.folder_bytes)
        if left_out:  # over the size limit, unreadable: the student learns which of their files the grader lacked
            reasons.append("; ".join(left_out[:3]) + (f" (and {len(left_out) - 3} more)" if len(left_out) > 3 else ""))
        names = list(task.notebooks)
        for name, files in task.notebooks.items():
            notebook, reason = _grade_file(name, files, task, scratch, carry_over=name != names[-1])
            result.notebooks[name] = notebook
            if reason:
                reasons.append(reason)
    # a notebook not handed in is missing on its own and scores 0; the others keep their points and name the
    # submission's status (missing only when nothing was handed in)
    handed_in = [notebook.status for notebook in result.notebooks.values() if notebook.status != Status.MISSING]
    result.status = worst(handed_in) if handed_in else Status.MISSING
    result.reason = "; ".join(reasons)
    result.grader_fault = any(notebook.grader_fault for notebook in result.notebooks.values())
    return result


def _grade_file(name: str, files: NotebookFiles, task: Task, scratch: Path,
                carry_over: bool) -> tuple[NotebookResult, str]:
    """One notebook of the submission and the reason to report for it ("" when there is none)."""
    if files.submission is None:
        return NotebookResult(Status.MISSING), f"no {name}.ipynb was submitted"
    filename = files.submission.name or f"{name}.ipynb"
    try:
        submitted, note = load_submission(filename, files.submission.read())
    except InvalidSubmission as error:
        return NotebookResult(Status.INVALID), str(error)
    except Exception as error:  # anything else reading or parsing it is this file's, not the batch's
        return NotebookResult(Status.INVALID), _unreadable(filename, error)
    source, release = nbformat.reads(files.source, 4), nbformat.reads(files.release, 4)  # the instructor's
    try:
        notebook = assemble(source, release, submitted)
    except Exception as error:  # a submission that cannot be assembled is the student's invalid
        return NotebookResult(Status.INVALID), _unreadable(filename, error)
    for stale in scratch.glob("*.ipynb"):
        stale.unlink()
    try:
        job = NotebookJob(source, release, submitted, task.reference[name], task.files, assembled=notebook,
                          warm=files.warm)
        run, tests = grade_notebook(job, scratch, task.run, POOL if task.prestart else None, carry_over)
    except Exception as error:  # never let one submission stop the batch; the next grade runs it again
        return NotebookResult(Status.CRASHED, grader_fault=True), "; ".join(filter(None, [
            note, f"grader error: {type(error).__name__}: {error}"]))
    reason = "; ".join(filter(None, [note, run.reason]))
    return NotebookResult(Status(run.status), tests, nbformat.writes(run.notebook),
                          sum(run.cell_seconds.values()), run.phases), reason


def _unreadable(filename: str, error: BaseException) -> str:
    return f"{filename} could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"


def worker_init() -> None:
    """Each worker process: one BLAS/torch thread."""
    os.environ.update(THREAD_ENV)
