"""Grade a batch of submissions of one assignment: plan → run → store.

Plan: generate the release, load the reference records, find the submissions and make one ``Task`` per
student who needs grading (unchanged submissions are skipped). Run: a runner (sequential, process pool or
Dask) grades each task in a worker. Store: this process, the batch's one writer, saves each result to the
gradebook and the executed notebooks to ``autograded/`` as it arrives. Every submission ends with a status
and a reason; the submitted files are never written.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.core.course import Course, file_hash
from autograder.core.errors import UserError
from autograder.core.plugins import Judge, resolve
from autograder.core.results import SubmissionResult, unrunnable
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.intake.intake import keep_submitted, submitted_file
from autograder.intake.lateness import LatePolicy
from autograder.intake.submissions import Finding, discover, unpack_zip, valid_student_id
from autograder.release.generate import generate_if_changed
from autograder.run.backends import backend
from autograder.run.reference import load_reference_runs
from autograder.run.runners import run_tasks
from autograder.run.worker import NotebookFiles, RunSettings, Task
from autograder.store import gradebook


@dataclass
class Plan:
    """What a batch will do: the tasks to run, the results known before any kernel starts, and the
    hashes that tell the next batch what is unchanged."""

    tasks: list[Task]
    known: list[SubmissionResult]
    source_sha256: str
    submitted_hashes: dict[str, str]  # every submitted file's hash, to prove grading never wrote one


@dataclass(frozen=True)
class GradeOptions:
    """How a batch is graded: how each notebook runs (``run``: limits, sandbox backend, figures, judge),
    where and how widely (``workers``, 0 = the cores; ``scheduler``, a Dask cluster's ``tcp://HOST:PORT``),
    and what counts (a roster of ids, ``force`` re-grading, the late policy, submission times)."""

    run: RunSettings = field(default_factory=RunSettings)
    workers: int = 0
    scheduler: str = ""
    roster: tuple[str, ...] = ()
    force: bool = False
    progress: bool = True
    allow_weaker: bool = False
    late: LatePolicy = field(default_factory=LatePolicy)
    times: dict = field(default_factory=dict)
    on_stored: Callable[[SubmissionResult], None] | None = field(default=None, compare=False)  # after each store
    order: tuple[str, ...] = ()  # these students' tasks start first, in this order (serve: order of arrival)

    @classmethod
    def from_settings(cls, settings, **values) -> "GradeOptions":
        """The options of ``settings`` (an ``autograder.core.config.Autograder``): its limits, sandbox, judge,
        workers, scheduler and late policy; ``values`` set the rest (roster, force, progress, times)."""
        sandbox = backend(settings.sandbox).with_packages(tuple(settings.kernel_packages))
        run = RunSettings(settings.limits(), sandbox, settings.keep_figures,
                          resolve(settings.judge, Judge, {}, "judge"))
        return cls(run=run, workers=settings.workers, scheduler=settings.scheduler,
                   allow_weaker=settings.allow_weaker_sandbox, late=LatePolicy.from_settings(settings), **values)


def grade_assignment(course: Course, assignment: str, submissions: Path, workdir: Workdir,
                     options: GradeOptions = GradeOptions()) -> list[SubmissionResult]:
    """Grade every submission of ``assignment`` found in ``submissions`` (folder or zip).

    Returns one result per student graded in this batch, sorted by student id, after storing each in the
    gradebook. Re-running skips students whose submission and source are unchanged since their last run,
    unless ``options.force``. With a ``scheduler`` the tasks run on a Dask cluster. Figures are not rendered
    unless ``options.run.figures``. Without cgroup caps on processes and memory it refuses
    (``SandboxUnavailable``) unless ``allow_weaker``. Submission times (``timestamp.txt``, a zip's file
    times, or ``times``) are stored; with a late policy, of several files of one notebook the last before
    the student's cutoff is graded.
    """
    sandbox = course_backend(options.run.sandbox, course)
    options = replace(options, run=replace(options.run, sandbox=sandbox))
    refuse_workdir_in_source(course, workdir)
    sandbox.require(options.allow_weaker)
    sandbox.sweep()
    plan = plan_batch(course, assignment, Path(submissions), workdir, options)
    results = list(plan.known)
    with gradebook.Writer(workdir.db_url, assignment, options.late) as writer:
        for result in plan.known:
            store(result, workdir, writer)
            if options.on_stored is not None:
                options.on_stored(result)
        by_student = {task.student_id: task for task in plan.tasks}
        for result in run_tasks(plan.tasks, options.workers or os.cpu_count() or 1, options.progress,
                                options.scheduler or None):
            task = by_student[result.student_id]
            result.submission_sha256, result.source_sha256 = task.digest, plan.source_sha256
            result.timestamp = task.timestamp
            result.reason = "; ".join(filter(None, [result.reason, *task.notes]))
            store(result, workdir, writer)  # stored as each finishes: an interrupted batch resumes
            results.append(result)
            if options.on_stored is not None:
                options.on_stored(result)
    changed = [path for path, digest in plan.submitted_hashes.items() if file_hash(Path(path)) != digest]
    if changed:
        raise RuntimeError(f"submissions changed while grading (they must never be written): {changed}")
    return sorted(results, key=lambda result: result.student_id)


def course_backend(value, course: Course):
    """The sandbox backend ``value`` names; a built-in one given no kernel packages lets kernels import those
    of ``course`` (its ``c.Autograder.kernel_packages``)."""
    found = backend(value)
    if getattr(found, "packages", ()) is None:
        from autograder.core.config import course_settings

        found = found.with_packages(tuple(course_settings(course.root).kernel_packages))
    return found


def refuse_workdir_in_source(course: Course, workdir: Workdir) -> None:
    """A work directory inside ``source/`` would make its gradebook, reference values and other students'
    notebooks files of the assignment, copied into every student's sandbox: refuse it with a sentence."""
    source = (course.root / "source").resolve()
    if workdir.path.resolve().is_relative_to(source):
        raise UserError(f"the work directory {workdir.path} is inside the course's source/ folder: its gradebook "
                        "and every student's work would be copied into each student's sandbox as files of the "
                        "assignment. Pass a --workdir outside source/ (the default, grading/, is beside it).")


def plan_batch(course: Course, assignment: str, submissions: Path, workdir: Workdir, options: GradeOptions) -> Plan:
    """Release, reference and one task per student to grade; a copy of each submission in ``submitted/``."""
    limits, late, remote = options.run.limits, options.late, bool(options.scheduler)
    names = course.notebook_names(assignment)
    extra = course.extra_files(assignment)
    source_sha = course.source_hash(assignment)
    release_dir = generate_if_changed(course, assignment, workdir.folder("release"), workdir.db_url, source_sha)
    runs = load_reference_runs(course, assignment, workdir, limits)
    reference = {name: run.cells for name, run in runs.items()}
    zipped = submissions.suffix == ".zip"
    if zipped:
        submissions = unpack_zip(submissions, workdir.folder("incoming"), limits.max_zip_bytes)
    finding = Finding(list(options.roster), options.times, file_times=zipped,
                      cutoff_for=lambda student: late.cutoff(assignment, student))
    found = discover(submissions, assignment, names, finding)
    if not any(entry.folder or any(entry.notebooks.values()) for entry in found):
        raise UserError(f"no submission of {assignment} in {submissions}: expected <student>/{assignment}/"
                        f"<notebook>.ipynb, <student>/<notebook>.ipynb or <student>_*.ipynb files; check "
                        "--submissions (nothing was graded and no stored grade was changed)")
    previous = gradebook.previous_runs(workdir.db_url, assignment)
    given = {name: NotebookFiles(course.source_path(assignment, name).read_text(),
                                 (release_dir / f"{name}.ipynb").read_text(), None, runs[name].modules)
             for name in names}
    workdir.folder("scratch").mkdir(parents=True, exist_ok=True)
    tasks, known, hashes = [], [], {}
    for entry in found:
        if not valid_student_id(entry.student_id):
            known.append(unrunnable(entry.student_id, Status.INVALID, f"unusable student id {entry.student_id!r}"))
            continue
        files = [p for p in entry.notebooks.values() if p is not None]
        old = previous.get(entry.student_id)
        if not files and old and old["status"] != Status.MISSING:
            continue  # handed in before, absent from this folder (a roster name): the graded run stays
        try:  # one student's unreadable file is that student's invalid, never the batch's end
            mine = {str(p): file_hash(p) for p in files}
            digest = file_hash(*files) if files else ""
            hashes.update(mine)
            if (not options.force and old and old["submission_sha256"] == digest and old["source_sha256"] == source_sha
                    and not old.get("grader_fault")):
                continue  # already graded this exact submission against this exact source
            notebooks = {name: replace(given[name], submission=submitted_file(entry.notebooks[name],
                                                                              limits.notebook_bytes))
                         for name in names}
            keep_submitted(entry, workdir, assignment)
        except OSError as error:
            known.append(unrunnable(entry.student_id, Status.INVALID,
                                    f"the submitted files cannot be read ({error.strerror or error})"))
            continue
        tasks.append(Task(
            student_id=entry.student_id, reference=reference, run=options.run,
            notebooks=notebooks, folder=str(entry.folder) if entry.folder else None,
            digest=digest, timestamp=entry.timestamp.isoformat() if entry.timestamp else "",
            scratch_root=None if remote else str(workdir.folder("scratch")), notes=list(entry.notes),
            files=extra, prestart=not remote))  # a cluster's workers outlive the batch: no spare kernel left there
    first = {student: place for place, student in enumerate(options.order)}
    tasks.sort(key=lambda task: first.get(task.student_id, len(first)))  # stable: the rest by student id
    return Plan(tasks, known, source_sha, hashes)


def store(result: SubmissionResult, workdir: Workdir, writer: gradebook.Writer) -> None:
    """The executed notebooks to ``autograded/<student>/<assignment>/``, the result to the gradebook."""
    folder = workdir.folder("autograded", result.student_id, writer.assignment)
    for name, notebook in result.notebooks.items():
        if notebook.executed is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.ipynb").write_text(notebook.executed)
            notebook.executed = None  # written once; the result the caller keeps stays small
    writer.save(result)
