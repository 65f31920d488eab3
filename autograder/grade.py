"""Grade a batch of submissions of one assignment: plan → run → store.

Plan: generate the release, load the reference records, find the submissions and make one ``Task`` per
student who needs grading (unchanged submissions are skipped). Run: a runner (sequential, process pool or
Dask) grades each task in a worker. Store: this process, the batch's one writer, saves each result to the
gradebook and the executed notebooks to ``autograded/`` as it arrives. Every submission ends with a status
and a reason; the submitted files are never written.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from autograder import gradebook, sandbox
from autograder.config import Limits
from autograder.course import Course, file_hash
from autograder.errors import UserError
from autograder.generate import generate_if_changed
from autograder.intake import keep_submitted, submitted_file
from autograder.lateness import LatePolicy
from autograder.reference import load_reference
from autograder.results import SubmissionResult, unrunnable
from autograder.runners import run_tasks
from autograder.status import Status
from autograder.submissions import discover, unpack_zip, valid_student_id
from autograder.workdir import Workdir
from autograder.worker import NotebookFiles, Task


@dataclass
class Plan:
    """What a batch will do: the tasks to run, the results known before any kernel starts, and the
    hashes that tell the next batch what is unchanged."""

    tasks: list[Task]
    known: list[SubmissionResult]
    source_sha256: str
    submitted_hashes: dict[str, str]  # every submitted file's hash, to prove grading never wrote one


def grade_assignment(course: Course, assignment: str, submissions: Path, workdir: Workdir,
                     workers: int | None = None, limits: Limits | None = None, roster: list[str] = (),
                     sandbox_mode: str = sandbox.BWRAP, force: bool = False, progress: bool = True,
                     scheduler: str | None = None, figures: bool = False, allow_weaker: bool = False,
                     late: LatePolicy | None = None, times: dict | None = None) -> list[SubmissionResult]:
    """Grade every submission of ``assignment`` found in ``submissions`` (folder or zip).

    Returns one result per student graded in this batch, sorted by student id, after storing each in the
    gradebook. Re-running skips students whose submission and source are unchanged since their last run,
    unless ``force``. With ``scheduler`` (``tcp://HOST:PORT``) the tasks run on a Dask cluster. Figures are
    not rendered unless ``figures``. Without cgroup caps on processes and memory it refuses
    (``SandboxUnavailable``) unless ``allow_weaker``. Submission times (``timestamp.txt``, a zip's file
    times, or ``times``) are stored; with ``late``, of several files of one notebook the last before the
    student's cutoff is graded.
    """
    limits = limits or Limits()
    refuse_workdir_in_source(course, workdir)
    sandbox.require(sandbox_mode, allow_weaker)
    if sandbox_mode != sandbox.NONE:
        sandbox.sweep_stale_cgroups()
    plan = plan_batch(course, assignment, Path(submissions), workdir, limits, roster, sandbox_mode, force,
                      figures, remote=bool(scheduler), late=late or LatePolicy(), times=times or {})
    results = list(plan.known)
    with gradebook.Writer(workdir.db_url, assignment) as writer:
        for result in plan.known:
            store(result, workdir, writer)
        by_student = {task.student_id: task for task in plan.tasks}
        for result in run_tasks(plan.tasks, workers or os.cpu_count() or 1, progress, scheduler):
            task = by_student[result.student_id]
            result.submission_sha256, result.source_sha256 = task.digest, plan.source_sha256
            result.timestamp = task.timestamp
            result.reason = "; ".join(filter(None, [result.reason, *task.notes]))
            store(result, workdir, writer)  # stored as each finishes: an interrupted batch resumes
            results.append(result)
    changed = [path for path, digest in plan.submitted_hashes.items() if file_hash(Path(path)) != digest]
    if changed:
        raise RuntimeError(f"submissions changed while grading (they must never be written): {changed}")
    return sorted(results, key=lambda result: result.student_id)


def refuse_workdir_in_source(course: Course, workdir: Workdir) -> None:
    """A work directory inside ``source/`` would make its gradebook, reference values and other students'
    notebooks files of the assignment, copied into every student's sandbox: refuse it with a sentence."""
    source = (course.root / "source").resolve()
    if workdir.path.resolve().is_relative_to(source):
        raise UserError(f"the work directory {workdir.path} is inside the course's source/ folder: its gradebook "
                        "and every student's work would be copied into each student's sandbox as files of the "
                        "assignment. Pass a --workdir outside source/ (the default, grading/, is beside it).")


def plan_batch(course: Course, assignment: str, submissions: Path, workdir: Workdir, limits: Limits,
               roster: list[str], sandbox_mode: str, force: bool, figures: bool, remote: bool,
               late: LatePolicy, times: dict) -> Plan:
    """Release, reference and one task per student to grade; a copy of each submission in ``submitted/``."""
    names = course.notebook_names(assignment)
    extra = course.extra_files(assignment)
    source_sha = course.source_hash(assignment)
    release_dir = generate_if_changed(course, assignment, workdir.folder("release"), workdir.db_url, source_sha)
    reference = load_reference(course, assignment, workdir, limits)
    zipped = submissions.suffix == ".zip"
    if zipped:
        submissions = unpack_zip(submissions, workdir.folder("incoming"))
    found = discover(submissions, assignment, names, roster, times=times, file_times=zipped,
                     cutoff_for=lambda student: late.cutoff(assignment, student))
    if not any(entry.folder or any(entry.notebooks.values()) for entry in found):
        raise UserError(f"no submission of {assignment} in {submissions}: expected <student>/{assignment}/"
                        f"<notebook>.ipynb, <student>/<notebook>.ipynb or <student>_*.ipynb files; check "
                        "--submissions (nothing was graded and no stored grade was changed)")
    previous = gradebook.previous_runs(workdir.db_url, assignment)
    texts = {name: (course.source_path(assignment, name).read_text(), (release_dir / f"{name}.ipynb").read_text())
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
            if (not force and old and old["submission_sha256"] == digest and old["source_sha256"] == source_sha
                    and not old.get("grader_fault")):
                continue  # already graded this exact submission against this exact source
            notebooks = {name: NotebookFiles(*texts[name], submitted_file(entry.notebooks[name], limits.notebook_bytes))
                         for name in names}
            keep_submitted(entry, workdir, assignment)
        except OSError as error:
            known.append(unrunnable(entry.student_id, Status.INVALID,
                                    f"the submitted files cannot be read ({error.strerror or error})"))
            continue
        tasks.append(Task(
            student_id=entry.student_id, reference=reference, limits=limits, sandbox_mode=sandbox_mode,
            notebooks=notebooks, folder=str(entry.folder) if entry.folder else None, figures=figures,
            digest=digest, timestamp=entry.timestamp.isoformat() if entry.timestamp else "",
            scratch_root=None if remote else str(workdir.folder("scratch")), notes=list(entry.notes),
            files=extra, prestart=not remote))  # a cluster's workers outlive the batch: no spare kernel left there
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
