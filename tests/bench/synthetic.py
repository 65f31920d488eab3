"""A synthetic class for timing ``rescore`` and ``similarity`` on many students without grading them all.

A small batch is graded for real; the class is ``count`` students, each a copy of one real graded
submission of that batch under a new student id: its ``SubmissionResult`` (statuses, per-test results,
executed notebooks) stored through the same ``grade.store`` and ``gradebook.Writer`` grading uses, and its
submitted notebooks kept in ``submitted/`` as ``keep_submitted`` keeps them. So rescore judges real stored
records and similarity compares real answers; nothing is written by hand.

So that the copies are not byte-identical (nor all alike once normalised, which would leave similarity
nothing to find), each answer cell of each copy is disguised deterministically, seeded by the student's
index: the locals of its functions renamed, the code reformatted (``ast.unparse``), comments added, and one
no-op line (``<name> = <k>``) inserted at a seeded place in a function. The insertion changes the parsed
tokens, so copies of one submission fall into small groups that share most of their windows, as students
who worked together would. The same disguise goes into the executed notebook of the copy, so the graded
and the submitted answers agree.

The class exists to time the two commands on a class of this size; grading a class of 800 for real is
``make bench-scale``'s job (``tests/bench/run_scale.py``).
"""

import ast
import copy
import random
from dataclasses import dataclass

import nbformat

from autograder.core.course import file_hash, grade_id, is_answer
from autograder.core.results import SubmissionResult
from autograder.core.workdir import Workdir
from autograder.grade import store
from autograder.store import gradebook

COMMENTS = ("# my attempt", "# see lecture 1", "# TODO tidy up", "# works on the examples", "# vectorised")


@dataclass
class GradedCopy:
    """One real graded submission to copy: its result and, by notebook name, the texts of its submitted
    and executed notebooks (a notebook that never ran has no executed text)."""

    result: SubmissionResult
    submitted: dict[str, str]
    executed: dict[str, str]


def read_graded(workdir: Workdir, assignment: str, results: list[SubmissionResult]) -> list[GradedCopy]:
    """The batch ``results`` (as ``grade_assignment`` returned them) with their notebooks from ``workdir``."""
    out = []
    for result in results:
        submitted = workdir.folder("submitted", result.student_id, assignment)
        autograded = workdir.folder("autograded", result.student_id, assignment)
        out.append(GradedCopy(
            result,
            {path.stem: path.read_text() for path in sorted(submitted.glob("*.ipynb"))},
            {path.stem: path.read_text() for path in sorted(autograded.glob("*.ipynb"))}))
    return out


class _Disguise(ast.NodeTransformer):
    """Renames the locals a function assigns (its arguments stay: tests may pass them by keyword) and
    inserts one no-op assignment at a seeded place in the first function's body."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.inserted = False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        if not any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(node)):
            bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            suffix = f"_{self.rng.choice(('my', 'tmp', 'val', 'x'))}{self.rng.randrange(100)}"
            renamed = {name: f"{name}{suffix}" for name in bound}
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and n.id in renamed:
                    n.id = renamed[n.id]
        if not self.inserted:
            self.inserted = True
            start = 1 if node.body and isinstance(node.body[0], ast.Expr) else 0  # after a docstring
            place = self.rng.randint(start, max(start, len(node.body) - 1))  # before the return, if last
            line = ast.parse(f"_step = {self.rng.randrange(10)}").body[0]
            node.body.insert(place, line)
        return node


def disguise_code(code: str, seed: str) -> str:
    """``code`` renamed, reformatted, commented and with one no-op line, the same for the same ``seed``;
    code that does not parse is only commented."""
    rng = random.Random(seed)
    comment = rng.choice(COMMENTS)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return f"{comment}\n{code}"
    reformatted = ast.unparse(ast.fix_missing_locations(_Disguise(rng).visit(tree)))
    lines = reformatted.splitlines()
    starts = sorted({node.lineno - 1 for node in ast.walk(ast.parse(reformatted)) if isinstance(node, ast.stmt)})
    for at in sorted(rng.sample(starts, min(len(starts), rng.randint(1, 3))), reverse=True):
        indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]  # a comment line before a statement
        lines.insert(at, indent + rng.choice(COMMENTS))
    return "\n".join(lines) + "\n" * rng.randint(0, 2)


def disguise_notebook(text: str, seed: str) -> str:
    """A notebook's text with every answer code cell disguised (seeded by ``seed`` and the cell's grade id)."""
    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_answer(cell):
            cell.source = disguise_code(cell.source, f"{seed}:{grade_id(cell)}")
    return nbformat.writes(notebook)


def synthetic_class(base: list[GradedCopy], workdir: Workdir, assignment: str, count: int) -> list[str]:
    """Store ``count`` students in ``workdir`` (whose gradebook knows ``assignment``), student ``i`` a
    disguised copy of ``base[i % len(base)]``; returns their ids."""
    if not base:
        raise ValueError("a synthetic class needs at least one graded submission to copy")
    students = []
    with gradebook.Writer(workdir.db_url, assignment) as writer:
        for index in range(count):
            original = base[index % len(base)]
            student = f"synthetic{index:04d}"
            folder = workdir.folder("submitted", student, assignment)
            folder.mkdir(parents=True, exist_ok=True)
            paths = []
            for name, text in original.submitted.items():
                paths.append(folder / f"{name}.ipynb")
                paths[-1].write_text(disguise_notebook(text, f"{student}:{name}"))
            result = copy.deepcopy(original.result)
            result.student_id = student
            result.submission_sha256 = file_hash(*paths) if paths else ""
            for name, notebook in result.notebooks.items():
                if name in original.executed:
                    notebook.executed = disguise_notebook(original.executed[name], f"{student}:{name}")
            store(result, workdir, writer)
            students.append(student)
    return students


def copy_reference(graded: Workdir, into: Workdir) -> None:
    """The graded batch's cached reference records, so the class's commands need no reference run."""
    for path in sorted(graded.folder("reference").rglob("*.json")):
        target = into.path / path.relative_to(graded.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())

