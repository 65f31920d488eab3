"""What travels between the plan, the runners and the worker processes (or a Dask cluster): named, frozen
dataclasses that pickle, never positional tuples."""

import dataclasses
import pickle
from pathlib import Path

import pytest

from autograder.core.config import Limits
from autograder.core.results import GradebookRow, TestResult
from autograder.core.status import Status
from autograder.intake.intake import SubmittedFile
from autograder.judge.scoring import ReferenceCell
from autograder.outputs.feedback import PageJob
from autograder.run.backends import backend
from autograder.run.kernels import KernelKey
from autograder.run.worker import NotebookFiles, RunSettings, Task
from autograder.tools.mutants import Mutant, MutantJob

ROW = GradebookRow("ann", Status.GRADED, "", 1.0, 2.0, 0, 0.5,
                   [TestResult("t", "a test.", 2.0, 1.0, False, "partial", "partial")])
JOBS = [
    NotebookFiles("{}", "{}", SubmittedFile("a.ipynb", text="{}")),
    MutantJob("{}", "{}", {"t": ReferenceCell.of([])}, RunSettings(Limits(), "none"),
              Mutant("f", 3, "Add->Sub", "def f(): return 1 - 2")),
    PageJob("a1", ROW, Path("autograded/ann/a1/nb.ipynb"), Path("feedback/ann/a1/nb.html"), None,
            (Path("autograded/ann/a1/nb.ipynb"),)),
    KernelKey("/tmp/scratch", (("NBGRADER_EXECUTION", "autograde"),), Limits(), backend("none")),
]


@pytest.mark.parametrize("job", JOBS, ids=lambda job: type(job).__name__)
def test_a_job_is_frozen_and_arrives_in_a_worker_process_equal(job):
    assert dataclasses.is_dataclass(job)
    assert pickle.loads(pickle.dumps(job)) == job
    first = dataclasses.fields(job)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(job, first, None)


def test_a_task_carries_typed_notebook_files_and_pickles():
    task = Task("ann", {"a": JOBS[0]}, {"a": {}}, RunSettings(Limits(), "none"))
    arrived = pickle.loads(pickle.dumps(task))
    assert arrived == task and isinstance(arrived.notebooks["a"].submission, SubmittedFile)


def test_a_spare_kernel_is_used_only_for_the_same_key():
    key = JOBS[-1]
    assert key == dataclasses.replace(key, env=tuple(key.env))  # equal by value, as the pool compares them
    assert key != dataclasses.replace(key, env=(*key.env, ("EXTRA", "1")))
    assert key != dataclasses.replace(key, limits=Limits(cell_seconds=1))
    assert key != dataclasses.replace(key, backend=backend("bwrap"))
