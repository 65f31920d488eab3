"""Submission intake: read a submitted file safely, parse it as a notebook, copy what the student sent.

Nothing here runs student code; every refusal is an ``InvalidSubmission`` with a sentence for the student.
"""

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.config import DEFAULTS
from autograder.core.workdir import Workdir
from autograder.intake.carry import copy_tree
from autograder.intake.submissions import Submission


class InvalidSubmission(ValueError):
    """A file that is not a notebook the grader can run."""


def read_submission_text(path: Path, max_bytes: int = DEFAULTS.notebook_bytes) -> str:
    """The submitted file as text ("" if empty), refusing symbolic links and files over the size limit
    (a link could point the grader at the instructor's source or another student's work)."""
    if path.is_symlink() or path.parent.is_symlink():
        raise InvalidSubmission(f"{path.name} is (inside) a symbolic link; submit the notebook file itself")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise InvalidSubmission(f"{path.name} cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidSubmission(f"{path.name} is over the {max_bytes / (1 << 20):g} MiB limit")
    return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class SubmittedFile:
    """One submitted notebook as a worker receives it (plain strings: it pickles to worker processes and
    Dask): its file name and either its ``text`` or, when intake refused it, the ``error`` that says why."""

    name: str
    text: str | None = None
    error: str | None = None

    def __post_init__(self):
        if (self.text is None) == (self.error is None):
            raise ValueError(f"a submitted file ({self.name}) has either its text or an error, not both or neither")

    def read(self) -> str:
        """The text, or the intake's refusal as an ``InvalidSubmission``."""
        if self.error is not None:
            raise InvalidSubmission(self.error)
        return self.text


def submitted_file(path: Path | None, max_bytes: int = DEFAULTS.notebook_bytes) -> SubmittedFile | None:
    """What a worker receives for one notebook (None when it was not submitted)."""
    if path is None:
        return None
    try:
        return SubmittedFile(path.name, text=read_submission_text(path, max_bytes))
    except InvalidSubmission as error:
        return SubmittedFile(path.name, error=str(error))


def load_submission(filename: str, text: str) -> tuple[nbformat.NotebookNode, str]:
    """Parse a submitted notebook, converting old formats; (notebook, note) or InvalidSubmission."""
    path = Path(filename)
    if not text.strip():
        raise InvalidSubmission(f"{path.name} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSubmission(f"{path.name} is not valid JSON (truncated or edited by hand?): {error}") from None
    except RecursionError:
        raise InvalidSubmission(f"{path.name} nests its JSON too deeply to be a notebook") from None
    except MemoryError:
        raise InvalidSubmission(f"{path.name} needs more memory to parse than a notebook can") from None
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        raise InvalidSubmission(f"{path.name} is JSON but not a Jupyter notebook")
    major = data.get("nbformat")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:
        raise InvalidSubmission(f"{path.name}: cannot read nbformat {major} notebook ({error})") from None
    if not isinstance(notebook.get("cells"), list):
        raise InvalidSubmission(f"{path.name} has no list of cells")
    for number, cell in enumerate(notebook.cells, 1):  # what assembling and running it take for granted
        if (not isinstance(cell, dict) or not isinstance(cell.get("source", ""), str)
                or not isinstance(cell.get("metadata", {}), dict)):
            raise InvalidSubmission(f"{path.name}: cell {number} is not a notebook cell (its source or metadata "
                                    "is not what Jupyter writes)")
    note = f"converted from nbformat {major}" if major != 4 else ""
    return notebook, note


def copy_student_folder(folder: Path | None, into: Path, max_bytes: int = DEFAULTS.folder_bytes) -> list[str]:
    """The student's other files (data they saved, modules they wrote), up to a size cap: regular files
    only, never through a symbolic link (``autograder.intake.carry``), without Jupyter's checkpoints or a
    kernel's connection files (``.kernel/``). Returns what was left out, a sentence each."""
    if folder is None:
        return []
    return copy_tree(folder, into, max_bytes)


def keep_submitted(entry: Submission, workdir: Workdir, assignment: str) -> None:
    """Keep a copy of what was graded in nbgrader's ``submitted/<student>/<assignment>/`` layout, with the
    submission's time in ``timestamp.txt``: Formgrader counts a submission as autograded only when that file
    gives the time the gradebook holds (``SubmittedAssignment.timestamp``), both absent or both equal; else it
    lists the submission as "needs autograding", without its score."""
    target = workdir.folder("submitted", entry.student_id, assignment)
    target.mkdir(parents=True, exist_ok=True)
    stamp = target / "timestamp.txt"
    if entry.timestamp is not None:  # the text the gradebook's time is parsed from (grade.py: Task.timestamp)
        stamp.write_text(entry.timestamp.isoformat())
    else:
        stamp.unlink(missing_ok=True)  # a time of an earlier hand-in would not match the gradebook's none
    for name, path in entry.notebooks.items():
        if path is not None and not path.is_symlink():
            shutil.copyfile(path, target / f"{name}.ipynb", follow_symlinks=False)
