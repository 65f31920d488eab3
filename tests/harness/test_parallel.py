"""Parallel grading — local worker processes or a Dask cluster — gives exactly the sequential results."""

import pytest

from autograder.core.config import Limits
from autograder.core.course import read_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.run.worker import RunSettings
from autograder.tools.samples import all_samples, write_samples

A = "01_perceptron"
KEEP = {"untouched", "correct_loops", "wrong_no_bias", "partial_perceptron_only"}


@pytest.fixture(scope="module")
def submissions(tmp_path_factory, perceptron_course):
    course = perceptron_course
    folder = tmp_path_factory.mktemp("parallel")
    write_samples(all_samples(course.root, A), A, read_notebook(course.source_path(A, A)),
                  read_notebook(course.release_path(A, A)), folder, A)
    for extra in folder.iterdir():
        if extra.name not in KEEP:
            for path in sorted(extra.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            extra.rmdir()
    return folder


def outcome(results):
    return {r.student_id: (r.status, [(t.grade_id, t.score) for t in r.tests]) for r in results}


@pytest.fixture(scope="module")
def sequential(perceptron_course, submissions, tmp_path_factory, sandbox_mode):
    course = perceptron_course
    return outcome(grade_assignment(course, A, submissions, Workdir(tmp_path_factory.mktemp("seq")),
                                    GradeOptions(RunSettings(Limits(), sandbox_mode), workers=1, progress=False)))


@pytest.mark.slow
def test_worker_processes_match_sequential(perceptron_course, submissions, sequential, tmp_path, sandbox_mode):
    course = perceptron_course
    assert set(sequential) == KEEP
    parallel = grade_assignment(course, A, submissions, Workdir(tmp_path),
                                GradeOptions(RunSettings(Limits(), sandbox_mode), workers=2, progress=False))
    assert outcome(parallel) == sequential


@pytest.mark.slow
def test_dask_cluster_matches_sequential(perceptron_course, submissions, sequential, tmp_path, sandbox_mode):
    course = perceptron_course
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        results = grade_assignment(course, A, submissions, Workdir(tmp_path, db_url=f"sqlite:///{tmp_path}/gb.db"),
                                   GradeOptions(RunSettings(Limits(), sandbox_mode), progress=False,
                                                scheduler=cluster.scheduler_address))
    assert outcome(results) == sequential
    assert (tmp_path / "gb.db").exists()  # the gradebook went where its SQLAlchemy URL said
