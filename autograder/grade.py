"""Autograde a batch of submissions: one task per student, run by a pool of worker processes, with one
writer (this process) for the gradebook. Every submission ends with a status and a reason.
"""

import json
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograder import gradebook, sandbox
from autograder.assemble import assemble
from autograder.course import Course, file_hash, read_notebook
from autograder.errors import UserError
from autograder.execute import CRASHED, GRADED, INVALID, MISSING, THREAD_ENV, Limits
from autograder.generate import generate
from autograder.scoring import grading_env, reference_records, score_cells
from autograder.submissions import Submission, discover, unpack_zip, valid_student_id

MAX_NOTEBOOK_BYTES = 20 << 20
MAX_FOLDER_BYTES = 200 << 20
SEVERITY = [GRADED, "memory", "timeout", CRASHED, INVALID, MISSING]


@dataclass
class Workdir:
    """All grading state of a course: gradebook.db, submitted/, autograded/, feedback/, reference/."""

    path: Path
    db_url: str = ""

    def __post_init__(self):
        self.path = Path(self.path).resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        if not self.db_url:
            self.db_url = f"sqlite:///{self.path / 'gradebook.db'}"

    def folder(self, step: str, student: str = "", assignment: str = "") -> Path:
        return self.path.joinpath(*[part for part in (step, student, assignment) if part])


class InvalidSubmission(ValueError):
    """A file that is not a notebook the grader can run."""


def read_submission_text(path: Path) -> str:
    """The submitted file as text ("" if empty), refusing symbolic links and files over the size limit
    (a link could point the grader at the instructor's source or another student's work)."""
    if path.is_symlink() or path.parent.is_symlink():
        raise InvalidSubmission(f"{path.name} is (inside) a symbolic link; submit the notebook file itself")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise InvalidSubmission(f"{path.name} cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise InvalidSubmission(f"{path.name} is over the {MAX_NOTEBOOK_BYTES >> 20} MiB limit")
    return data.decode("utf-8", errors="replace")


def load_submission(filename: str, text: str) -> tuple[nbformat.NotebookNode, str]:
    """Parse a submitted notebook, converting old formats; (notebook, note) or InvalidSubmission."""
    path = Path(filename)
    if not text.strip():
        raise InvalidSubmission(f"{path.name} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSubmission(f"{path.name} is not valid JSON (truncated or edited by hand?): {error}") from None
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        raise InvalidSubmission(f"{path.name} is JSON but not a Jupyter notebook")
    major = data.get("nbformat")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:
        raise InvalidSubmission(f"{path.name}: cannot read nbformat {major} notebook ({error})") from None
    if not isinstance(notebook.get("cells"), list):
        raise InvalidSubmission(f"{path.name} has no list of cells")
    note = f"converted from nbformat {major}" if major != 4 else ""
    return notebook, note


def _copy_folder(folder: Path | None, into: Path) -> None:
    """The student's other files (data they saved, modules they wrote), up to a size cap."""
    if folder is None or not folder.is_dir():
        return
    total = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or ".ipynb_checkpoints" in path.parts:
            continue
        total += path.stat().st_size
        if total > MAX_FOLDER_BYTES:
            break
        target = into / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def grade_notebook(source, release, submitted, reference: list | dict, scratch: Path, limits: Limits,
                   sandbox_mode: str, figures: bool = False):
    """Assemble, run (sandboxed) and score one submitted notebook: (Run, [TestResult])."""
    notebook = assemble(source, release, submitted)
    run = sandbox.run(notebook, scratch, grading_env(figures), limits, sandbox_mode)
    return run, score_cells(run.notebook, reference, stop_reason=run.reason)


def grade_one(task: dict) -> dict:
    """Grade one student's submission (runs in a worker process). Never raises."""
    started = time.perf_counter()
    result = {"student_id": task["student_id"], "status": GRADED, "reason": "", "notebooks": {}, "executed": {}}
    reasons, statuses = [], []
    limits = Limits(**task["limits"])
    with tempfile.TemporaryDirectory(prefix="grade-", dir=task.get("scratch_root")) as scratch:
        scratch = Path(scratch)
        _copy_folder(Path(task["folder"]) if task.get("folder") else None, scratch)
        for name, files in task["notebooks"].items():
            source, release = nbformat.reads(files["source"], 4), nbformat.reads(files["release"], 4)
            if files["submission"] is None:
                statuses.append(MISSING)
                reasons.append(f"no {name}.ipynb was submitted")
                result["notebooks"][name] = []
                continue
            try:
                if "error" in files["submission"]:
                    raise InvalidSubmission(files["submission"]["error"])
                submitted, note = load_submission(files["submission"]["name"], files["submission"]["text"])
            except InvalidSubmission as error:
                statuses.append(INVALID)
                reasons.append(str(error))
                result["notebooks"][name] = []
                continue
            if note:
                reasons.append(note)
            for stale in scratch.glob("*.ipynb"):
                stale.unlink()
            try:
                run, tests = grade_notebook(source, release, submitted, task["reference"][name], scratch,
                                            limits, task["sandbox"], task.get("figures", False))
            except Exception as error:  # never let one submission stop the batch
                statuses.append(CRASHED)
                reasons.append(f"grader error: {type(error).__name__}: {error}")
                result["notebooks"][name] = []
                continue
            statuses.append(run.status)
            result["cell_seconds"] = result.get("cell_seconds", 0.0) + sum(run.cell_seconds.values())
            if run.reason:
                reasons.append(run.reason)
            result["notebooks"][name] = [test.to_dict() for test in tests]
            result["executed"][name] = nbformat.writes(run.notebook)
    result["status"] = max(statuses, key=SEVERITY.index) if statuses else MISSING
    result["reason"] = "; ".join(reasons)
    result["seconds"] = time.perf_counter() - started
    return result


def _worker_init() -> None:
    os.environ.update(THREAD_ENV)


def load_reference(course: Course, assignment: str, workdir: Workdir, limits: Limits) -> dict[str, dict]:
    """Reference records of every notebook, cached in the work directory by the source's hash."""
    out = {}
    for name in course.notebook_names(assignment):
        source_path = course.source_path(assignment, name)
        digest = file_hash(source_path)
        cache = workdir.folder("reference", assignment) / f"{name}.json"
        if cache.exists():
            cached = json.loads(cache.read_text())
            if cached.get("source_sha256") == digest:
                out[name] = cached["records"]
                continue
        records = reference_records(read_notebook(source_path), limits)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"source_sha256": digest, "records": records}))
        out[name] = records
    return out


def grade_assignment(course: Course, assignment: str, submissions: Path, workdir: Workdir,
                     workers: int | None = None, limits: Limits | None = None, roster: list[str] = (),
                     sandbox_mode: str = "bwrap", force: bool = False, progress: bool = True,
                     scheduler: str | None = None, figures: bool = False, allow_weaker: bool = False) -> list[dict]:
    """Grade every submission of ``assignment`` found in ``submissions`` (folder or zip).

    Returns one result per student (status, reason, per-test results) after storing them in the
    gradebook and writing executed notebooks to ``autograded/``. Re-running skips students whose
    submission and source are unchanged since their last run, unless ``force``. With ``scheduler``
    (``tcp://HOST:PORT``) the tasks run on a Dask distributed cluster instead of local processes.
    Figures are not rendered unless ``figures`` (the executed notebooks then carry no plots).
    Without cgroup caps on processes and memory it refuses (``SandboxUnavailable``) unless ``allow_weaker``.
    """
    limits = limits or Limits()
    workers = workers or os.cpu_count() or 1
    sandbox.require(sandbox_mode, allow_weaker)
    if sandbox_mode != sandbox.NONE:
        sandbox.sweep_stale_cgroups()
    names = course.notebook_names(assignment)
    release_dir = generate(course, assignment, workdir.folder("release"), workdir.db_url)
    reference = load_reference(course, assignment, workdir, limits)
    source_sha = file_hash(*[course.source_path(assignment, name) for name in names])
    submissions = Path(submissions)
    if submissions.suffix == ".zip":
        submissions = unpack_zip(submissions, workdir.folder("incoming"))
    found = discover(submissions, assignment, names, roster)
    before = {str(p): file_hash(p) for s in found for p in s.notebooks.values() if p is not None}
    previous = gradebook.previous_runs(workdir.db_url, assignment)
    texts = {name: (course.source_path(assignment, name).read_text(), (release_dir / f"{name}.ipynb").read_text())
             for name in names}

    results, tasks = [], []
    for entry in found:
        if not valid_student_id(entry.student_id):
            results.append(_unrunnable(entry, INVALID, f"unusable student id {entry.student_id!r}"))
            continue
        digest = file_hash(*[p for p in entry.notebooks.values() if p is not None]) \
            if any(entry.notebooks.values()) else ""
        old = previous.get(entry.student_id)
        if not force and old and old["submission_sha256"] == digest and old["source_sha256"] == source_sha:
            continue  # already graded this exact submission against this exact source
        _copy_submitted(entry, workdir, assignment)
        tasks.append({  # self-contained: a worker on another machine needs no shared files
            "student_id": entry.student_id, "folder": str(entry.folder) if entry.folder else None,
            "notebooks": {name: {"submission": _submitted(entry.notebooks[name]), "source": texts[name][0],
                                 "release": texts[name][1]} for name in names},
            "reference": reference, "limits": asdict(limits), "sandbox": sandbox_mode,
            "scratch_root": None if scheduler else str(workdir.folder("scratch")), "digest": digest,
            "notes": entry.notes, "figures": figures,
        })
    workdir.folder("scratch").mkdir(exist_ok=True)
    by_student = {task["student_id"]: task for task in tasks}
    with gradebook.Writer(workdir.db_url, assignment) as writer:
        for result in results:  # the unrunnable ones, known before any kernel starts
            _store(result, workdir, writer)
        for result in _run_tasks(tasks, workers, progress, scheduler):
            task = by_student[result["student_id"]]
            result["submission_sha256"], result["source_sha256"] = task["digest"], source_sha
            if task["notes"]:
                result["reason"] = "; ".join(filter(None, [result["reason"], *task["notes"]]))
            _store(result, workdir, writer)  # stored as each finishes: an interrupted batch resumes
            results.append(result)
    after = {path: file_hash(Path(path)) for path in before}
    changed = [path for path in before if before[path] != after[path]]
    if changed:
        raise RuntimeError(f"submissions changed while grading (they must never be written): {changed}")
    return sorted(results, key=lambda r: r["student_id"])


def _submitted(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        return {"name": path.name, "text": read_submission_text(path)}
    except InvalidSubmission as error:
        return {"name": path.name, "error": str(error)}


def _run_tasks(tasks: list[dict], workers: int, progress: bool, scheduler: str | None = None):
    """Yield results as workers finish them; a worker that dies becomes a crashed result."""
    if not tasks:
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), desc="grading", unit="sub", disable=not progress)
    if scheduler:
        yield from _run_on_cluster(tasks, scheduler, bar)
    elif workers == 1:
        for task in tasks:
            yield grade_one(task)
            bar.update()
        bar.close()
        return
    # a last line of defence behind each kernel's own watchdog: a worker that never answers
    per_task = max(Limits(**tasks[0]["limits"]).notebook_seconds, 1.0) * len(tasks[0]["notebooks"]) + 120
    deadline = per_task * -(-len(tasks) // workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"), initializer=_worker_init)
    futures = {pool.submit(grade_one, task): task for task in tasks}
    pending = set(futures)
    try:
        for future in as_completed(futures, timeout=deadline):
            pending.discard(future)
            task = futures[future]
            try:
                yield future.result()
            except Exception as error:  # the worker process itself died
                yield {"student_id": task["student_id"], "status": CRASHED, "notebooks": {}, "executed": {},
                       "reason": f"grading worker died: {type(error).__name__}: {error}", "seconds": 0.0}
            bar.update()
    except TimeoutError:
        for future in pending:
            yield {"student_id": futures[future]["student_id"], "status": CRASHED, "notebooks": {},
                   "executed": {}, "seconds": 0.0, "reason": f"no answer from its grading worker in {deadline:.0f} s"}
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        bar.close()


def _run_on_cluster(tasks: list[dict], scheduler: str, bar):
    """The same tasks on a Dask distributed cluster (every worker needs this package and bubblewrap)."""
    try:
        from distributed import Client
        from distributed import as_completed as completed
    except ImportError as error:
        raise UserError("--scheduler needs Dask's distributed package: pip install 'dlcourse[dask]' "
                                 "(or pip install distributed)") from error

    with Client(scheduler, timeout=120) as client:
        # retries: a task whose worker was lost (restarted, missed heartbeats under load) runs again;
        # grading is idempotent, so a second run gives the same result
        futures = {client.submit(grade_one, task, pure=False, retries=2,
                                 key=f"grade-{task['student_id']}-{uuid.uuid4().hex}"): task for task in tasks}
        for future in completed(list(futures)):
            task = futures[future]
            try:
                yield future.result()
            except Exception as error:
                yield {"student_id": task["student_id"], "status": CRASHED, "notebooks": {}, "executed": {},
                       "reason": f"cluster worker failed: {type(error).__name__}: {error}", "seconds": 0.0}
            bar.update()
    bar.close()


def _unrunnable(entry: Submission, status: str, reason: str) -> dict:
    return {"student_id": entry.student_id, "status": status, "reason": reason, "notebooks": {},
            "executed": {}, "seconds": 0.0}


def _copy_submitted(entry: Submission, workdir: Workdir, assignment: str) -> None:
    """Keep a copy of what was graded in nbgrader's ``submitted/<student>/<assignment>/`` layout."""
    target = workdir.folder("submitted", entry.student_id, assignment)
    target.mkdir(parents=True, exist_ok=True)
    for name, path in entry.notebooks.items():
        if path is not None and not path.is_symlink():
            shutil.copyfile(path, target / f"{name}.ipynb", follow_symlinks=False)


def _store(result: dict, workdir: Workdir, writer: gradebook.Writer) -> None:
    folder = workdir.folder("autograded", result["student_id"], writer.assignment)
    if result.get("executed"):
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in result.pop("executed").items():
            (folder / f"{name}.ipynb").write_text(text)
    writer.save(result)
