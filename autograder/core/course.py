"""Where a course's files live, and what role each notebook cell plays (from nbgrader's metadata)."""

import ast
import copy
import fnmatch
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

# nbgrader's region markers, as its ClearSolutions and ClearHiddenTests match them (a source notebook writes
# them after "### "); every module of the harness takes them from here
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
_SOLUTION_MARKER = re.compile(rf"^\s*### ({re.escape(BEGIN_SOLUTION)}|{re.escape(END_SOLUTION)})\s*$")
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"

SOURCE, RELEASE = "source", "release"
IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__")  # what nbgrader's generate leaves out (generate.py)


@dataclass(frozen=True)
class Course:
    """The repository root is the nbgrader course directory: ``source/<a>/<a>.ipynb`` and
    ``release/<a>/<a>.ipynb`` for every assignment ``a``."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Course":
        """The course whose root holds ``nbgrader_config.py``, searching upwards from ``start``."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "nbgrader_config.py").exists() and (folder / SOURCE).is_dir():
                return cls(folder)
        package_root = Path(__file__).resolve().parents[2]  # the checkout holding autograder/core/
        if (package_root / SOURCE).is_dir():
            return cls(package_root)
        raise FileNotFoundError(f"no course directory (with nbgrader_config.py and source/) above {here}")

    def assignments(self) -> list[str]:
        """Assignment names in course order (their folders in ``source/``)."""
        return sorted(p.name for p in (self.root / SOURCE).iterdir()
                      if p.is_dir() and not p.name.startswith("."))

    def notebook_names(self, assignment: str) -> list[str]:
        """Notebook names (without .ipynb) of an assignment, from ``source/``."""
        folder = self.root / SOURCE / assignment
        if not folder.is_dir():
            raise FileNotFoundError(f"no assignment {assignment!r}: {folder} does not exist "
                                    f"(assignments: {', '.join(self.assignments()) or 'none'})")
        return sorted(p.stem for p in folder.glob("*.ipynb"))

    def source_hash(self, assignment: str) -> str:
        """SHA-256 over the assignment's notebooks and other files: a change to any of them (a data file or
        helper module too) regenerates the release and regrades everyone."""
        names = self.notebook_names(assignment)
        return file_hash(*[self.source_path(assignment, name) for name in names],
                         *[self.root / SOURCE / assignment / relative for relative in self.extra_files(assignment)])

    def extra_files(self, assignment: str) -> dict[str, bytes]:
        """The assignment's other files in ``source/<a>/`` (data, images, helper modules), by path relative
        to that folder: nbgrader's generate copies them into the release, and the grader copies them into
        the reference run's and every student's folder. Symbolic links and ``IGNORE``d names are left out."""
        folder = self.root / SOURCE / assignment
        out = {}
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if (path.is_symlink() or not path.is_file() or path.suffix == ".ipynb" and len(relative.parts) == 1
                    or any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in IGNORE)):
                continue
            out[relative.as_posix()] = path.read_bytes()
        return out

    def source_path(self, assignment: str, notebook: str) -> Path:
        return self.root / SOURCE / assignment / f"{notebook}.ipynb"

    def release_path(self, assignment: str, notebook: str) -> Path:
        return self.root / RELEASE / assignment / f"{notebook}.ipynb"


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(str(path), as_version=4)


def file_hash(*paths: Path) -> str:
    """SHA-256 over the bytes of ``paths`` (in order)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    value = nbgrader_meta(cell).get("grade_id")
    return value if isinstance(value, str) else None


def is_test(cell) -> bool:
    """An autograded test cell: code, graded, not a solution."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer(cell) -> bool:
    """A cell the student writes: a solution cell (code answer or manually graded markdown)."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_manual(cell) -> bool:
    """A manually graded answer (graded and a solution)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))


def points(cell) -> float:
    return float(nbgrader_meta(cell).get("points", 0) or 0)


def cell_key(cell) -> str:
    """How a cell is matched between source and submission: its grade id, else its nbformat id."""
    return grade_id(cell) or f"id:{cell.get('id', '')}"


def description(cell) -> str:
    """The one-line docstring a test cell opens with (its name for students), else its grade id."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        tree = None
    if tree and tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant) \
            and isinstance(tree.body[0].value.value, str):
        return tree.body[0].value.value.strip().splitlines()[0]
    return grade_id(cell) or "test"


def is_hidden(cell) -> bool:
    """A test cell with a hidden part (stripped from the student release)."""
    return BEGIN_HIDDEN in cell.source


def solution_notebook(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The reference solution as a student would hand it in: source answers without the markers."""
    notebook = copy.deepcopy(source)
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "code":
            cell.source = "\n".join(line for line in cell.source.splitlines() if not _SOLUTION_MARKER.match(line))
    return notebook
