"""Files carried between a student's folders never follow a path the student controls (``autograder.intake.carry``):
links are skipped or replaced, a link swapped in between the check and the copy is not followed, the
worker carries a notebook's files only once its kernel is dead, and a work directory inside ``source/``
is refused."""

import os
from pathlib import Path

import nbformat
import pytest

from autograder.core.config import Limits
from autograder.core.course import Course
from autograder.core.errors import UserError
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions, grade_assignment
from autograder.intake import carry, intake
from autograder.run import worker
from autograder.run.execute import Run
from autograder.run.worker import RunSettings


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("the instructor's secret")
    return path


def test_links_and_special_files_are_never_copied(tmp_path, secret):
    student, into = tmp_path / "student", tmp_path / "into"
    (student / "sub").mkdir(parents=True)
    (student / "data.csv").write_text("1,2")
    (student / "sub" / "notes.txt").write_text("mine")
    (student / "leak.txt").symlink_to(secret)
    (student / "root").symlink_to("/")
    (student / ".kernel").mkdir()
    (student / ".kernel" / "connection.json").write_text("{}")
    os.mkfifo(student / "pipe")
    notes = intake.copy_student_folder(student, into)
    copied = sorted(str(p.relative_to(into)) for p in into.rglob("*"))
    assert copied == ["data.csv", "sub", "sub/notes.txt"] and notes == []
    assert (into / "data.csv").read_text() == "1,2"


def test_a_link_swapped_in_after_the_check_is_not_followed(tmp_path, secret, monkeypatch):
    """The race of a process left running in the sandbox: ``data.csv`` is a file when looked at, a link to
    the secret when opened."""
    student, into = tmp_path / "student", tmp_path / "into"
    student.mkdir()
    (student / "data.csv").write_text("harmless")
    real_stat = os.stat

    def stat_then_swap(path, *args, **kwargs):
        found = real_stat(path, *args, **kwargs)
        if os.fspath(path).endswith("data.csv") and not os.path.islink(student / "data.csv"):
            os.unlink(student / "data.csv")
            os.symlink(secret, student / "data.csv")
        return found

    monkeypatch.setattr(os, "stat", stat_then_swap)
    intake.copy_student_folder(student, into)
    monkeypatch.undo()
    copied = into / "data.csv"
    assert not copied.exists() or "secret" not in copied.read_text()


def test_files_are_written_over_a_planted_link_not_through_it(tmp_path, secret):
    folder = tmp_path / "kernel"
    (folder / "sub").mkdir(parents=True)
    (folder / "data.csv").symlink_to(secret)
    (folder / "helpers").symlink_to(tmp_path)  # a folder on the way is a link
    from autograder.intake.carry import write_files

    write_files({"data.csv": b"instructor", "helpers/util.py": b"x = 1\n"}, folder)
    assert secret.read_text() == "the instructor's secret" and not (tmp_path / "util.py").exists()
    assert (folder / "data.csv").read_bytes() == b"instructor" and not (folder / "data.csv").is_symlink()
    assert (folder / "helpers" / "util.py").read_bytes() == b"x = 1\n" and not (folder / "helpers").is_symlink()
    with pytest.raises(ValueError):
        carry.write_file(folder, "../escape.txt", b"")


class _Kernel:
    def __init__(self, folder: Path, log: list):
        self.folder, self.log, self.dead = folder, log, False

    def run(self, notebook, limits=None):
        (self.folder / "left.txt").write_text("made by the notebook")
        return Run(notebook)

    def stop(self, seconds: float = 10.0) -> bool:
        self.dead = True
        self.log.append("stop")
        return True

    def kill(self):
        self.dead = True
        self.log.append("kill")

    def close(self):
        self.kill()


class _Pool:
    def __init__(self, root: Path, log: list):
        self.root, self.log, self.count = root, log, 0

    def take(self, root, env, limits, mode):
        self.count += 1
        folder = self.root / f"kernel-{self.count}"
        folder.mkdir()
        return _Kernel(folder, self.log)

    def give_back(self, kernel):
        kernel.kill()


def test_the_worker_carries_files_only_from_a_dead_kernel(tmp_path, monkeypatch):
    log: list = []
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    real_copy = worker.copy_student_folder

    def copy(source, into, max_bytes):
        if source is not None and Path(source).name.startswith("kernel-"):
            log.append("carry")
        return real_copy(source, into, max_bytes)

    monkeypatch.setattr(worker, "copy_student_folder", copy)
    monkeypatch.setattr(worker, "assemble", lambda source, release, submitted: nbformat.v4.new_notebook())
    monkeypatch.setattr(worker, "score_cells", lambda *args, **kwargs: [])
    empty = nbformat.v4.new_notebook()
    worker.grade_notebook(worker.NotebookJob(empty, empty, None, {}), scratch, worker.RunSettings(Limits(), "none"),
                          pool=_Pool(tmp_path, log), carry_over=True)
    assert "carry" in log and log.index("carry") > min(log.index(e) for e in ("stop", "kill") if e in log), log
    assert (scratch / "left.txt").read_text() == "made by the notebook"


def test_a_work_directory_inside_source_is_refused(tmp_path):
    (tmp_path / "source" / "a1").mkdir(parents=True)
    inside = Workdir(tmp_path / "source" / "a1" / "grading")
    with pytest.raises(UserError, match="inside the course's source/ folder.*--workdir"):
        grade_assignment(Course(tmp_path), "a1", tmp_path / "subs", inside,
                         GradeOptions(RunSettings(sandbox="none"), progress=False))


def test_files_over_the_size_limit_are_named(tmp_path):
    student = tmp_path / "student"
    student.mkdir()
    (student / "a.txt").write_text("12")
    (student / "b.bin").write_bytes(b"x" * 100)
    notes = intake.copy_student_folder(student, tmp_path / "into", max_bytes=10)
    assert (tmp_path / "into" / "a.txt").exists() and not (tmp_path / "into" / "b.bin").exists()
    assert notes == ["b.bin and what follows were not copied: over the size limit of the student's files"]
