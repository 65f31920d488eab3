"""Every run of a notebook gets a folder no earlier run wrote, without a spare kernel too (the path a Dask
worker takes): a link a student planted before killing the kernel is never written through by the
grader's restart."""

from pathlib import Path

import pytest

from autograder.core.config import Limits
from autograder.core.course import grade_id, read_notebook
from autograder.run.worker import NotebookJob, RunSettings, grade_notebook
from autograder.tools.samples import Sample, build

pytestmark = pytest.mark.slow

PLANT = """import os
if not os.path.exists("planted"):
    open("planted", "w").write("1")
    for _name in ("data.csv",):
        if os.path.lexists(_name):
            os.rename(_name, _name + ".old")
        os.symlink({victim!r}, _name)
    os._exit(1)  # the grader restarts the notebook: it writes data.csv again, into the folder it finds
"""


def test_a_restart_without_a_pool_writes_no_planted_link(tmp_path, perceptron_course, sandbox_mode):
    course = perceptron_course
    victim = tmp_path / "victim.txt"
    victim.write_text("not the grader's to write")
    source = read_notebook(course.source_path("01_perceptron", "01_perceptron"))
    release = read_notebook(course.release_path("01_perceptron", "01_perceptron"))
    submitted = build(Sample("solved", "", "full", None, "solution"), source, release)
    cell = next(c for c in submitted.cells if grade_id(c) == "predict")
    cell.source = PLANT.format(victim=str(victim)) + "\n" + cell.source
    scratch = tmp_path / "grade-x"
    scratch.mkdir()
    job = NotebookJob(source, release, submitted, {}, files={"data.csv": b"the instructor's data"})
    run, _ = grade_notebook(job, scratch, RunSettings(Limits(cell_seconds=30, notebook_seconds=120), sandbox_mode),
                            pool=None)
    assert victim.read_text() == "not the grader's to write", run.reason
    assert not any(p.is_symlink() for p in scratch.rglob("*"))
    assert "stopped and skipped" in run.reason, run.reason
    assert not list(Path(tmp_path).glob("kernel-*"))  # every run's folder removed with its kernel
