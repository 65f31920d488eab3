"""Runners: the same tasks run one after another, on a pool of local worker processes, or on a Dask
cluster. Each yields results as they finish; a worker that dies or never answers becomes a crashed
result, so the batch always ends with one result per task."""

import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from autograder.core.errors import UserError
from autograder.core.results import SubmissionResult, unrunnable
from autograder.core.status import Status
from autograder.run.kernels import POOL
from autograder.run.worker import Task, grade_one, worker_init


def run_tasks(tasks: list[Task], workers: int, progress: bool, scheduler: str | None = None
              ) -> Iterator[SubmissionResult]:
    """Results as workers finish them: sequential with one worker, a process pool, or Dask's ``scheduler``."""
    if not tasks:
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), desc="grading", unit="sub", disable=not progress)
    try:
        if scheduler:
            yield from _on_cluster(tasks, scheduler, bar)
        elif workers == 1:
            try:
                for task in tasks:
                    yield grade_one(task)
                    bar.update()
            finally:
                POOL.close()  # the spare kernel started for a next task that will not come
        else:
            yield from _on_pool(tasks, workers, bar)
    finally:
        bar.close()


def _on_pool(tasks: list[Task], workers: int, bar) -> Iterator[SubmissionResult]:
    # a last line of defence behind each kernel's own watchdog: a worker that never answers
    limits = tasks[0].run.limits
    per_task = max(limits.notebook_seconds, 1.0) * len(tasks[0].notebooks) + limits.worker_grace_seconds
    deadline = per_task * -(-len(tasks) // workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"), initializer=worker_init)
    futures = {pool.submit(grade_one, task): task for task in tasks}
    pending = set(futures)
    try:
        for future in as_completed(futures, timeout=deadline):
            pending.discard(future)
            try:
                yield future.result()
            except Exception as error:  # the worker process itself died
                yield unrunnable(futures[future].student_id, Status.CRASHED,
                                 f"grading worker died: {type(error).__name__}: {error}", grader_fault=True)
            bar.update()
    except TimeoutError:
        for future in pending:
            yield unrunnable(futures[future].student_id, Status.CRASHED,
                             f"no answer from its grading worker in {deadline:.0f} s", grader_fault=True)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
    else:
        pool.shutdown(wait=True)  # each worker stops its spare kernel as it exits
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _on_cluster(tasks: list[Task], scheduler: str, bar) -> Iterator[SubmissionResult]:
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
        futures = {client.submit(grade_one, task, pure=False, retries=task.run.limits.cluster_retries,
                                 key=f"grade-{task.student_id}-{uuid.uuid4().hex}"): task for task in tasks}
        for future in completed(list(futures)):
            try:
                yield future.result()
            except Exception as error:
                yield unrunnable(futures[future].student_id, Status.CRASHED,
                                 f"cluster worker failed: {type(error).__name__}: {error}", grader_fault=True)
            bar.update()
