"""An instructor's check of their own tests: single-point changes to the reference solution (operators,
comparisons, constants, axes, reductions, deleted statements), each graded with the real pipeline. A
change that still earns full marks is a *survivor*: either the hidden tests are too weak there, or the
change is equivalent (it computes the same thing), which the instructor writes down once in
``mutants/<assignment>.txt`` (one ``<mutant id>  <why it is equivalent>`` per line; this course keeps them
in ``tests/files/mutants/``) so the command stops listing it.

Only lines inside ``### BEGIN SOLUTION`` / ``### END SOLUTION`` are changed: the signature and docstring
are the student's starting point, not the answer.
"""

import ast
import copy
import re
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograder.core.course import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    Course,
    grade_id,
    is_answer,
    read_notebook,
    solution_notebook,
)
from autograder.judge.scoring import ReferenceCell
from autograder.run.worker import NotebookJob, RunSettings, grade_notebook, worker_init

_BEGIN, _END = (re.compile(rf"^\s*### {marker}\s*$") for marker in (BEGIN_SOLUTION, END_SOLUTION))
_SWAP_OPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
             ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}
_SWAP_CMP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
             ast.NotEq: ast.Eq}
_SWAP_REDUCE = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "argmax": "argmin", "argmin": "argmax"}


@dataclass(frozen=True)
class Mutant:
    """One single-point change: where (answer cell, line of the cell) and what."""

    cell: str
    line: int
    what: str
    source: str  # the answer cell's whole source with the change
    occurrence: int = 1  # the same change at the same line a second time (two constants 1 on one line)

    @property
    def id(self) -> str:
        what = re.sub(r"[^a-zA-Z0-9=.+*/<>!-]+", "_", self.what)
        return f"{self.cell}:{self.line}:{what}" + (f"#{self.occurrence}" if self.occurrence > 1 else "")


@dataclass
class Verdict:
    mutant: Mutant
    score: float
    max_score: float
    failing: list[str] = field(default_factory=list)

    @property
    def survived(self) -> bool:
        return not self.failing and self.score >= self.max_score


def _solution_lines(source: str) -> set[int]:
    """1-based line numbers, in the cell as a student receives it solved (markers removed), of the
    lines that were inside the solution markers."""
    inside, number, lines = False, 0, set()
    for line in source.splitlines():
        if _BEGIN.match(line):
            inside = True
            continue
        if _END.match(line):
            inside = False
            continue
        number += 1
        if inside:
            lines.add(number)
    return lines


def _sites(tree: ast.AST, lines: set[int]) -> Iterator[tuple[ast.AST, str, int]]:
    """(node, description, line) of every change this module makes, inside ``lines``."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if line not in lines:
            continue
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _SWAP_OPS:
            yield node, f"{type(node.op).__name__}->{_SWAP_OPS[type(node.op)].__name__}", line
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _SWAP_CMP:
            yield node, f"{type(node.ops[0]).__name__}->{_SWAP_CMP[type(node.ops[0])].__name__}", line
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
            yield node, f"constant {node.value!r}->{_changed_constant(node.value)!r}", line
        elif isinstance(node, ast.keyword) and node.arg == "axis" and isinstance(node.value, ast.Constant):
            yield node, f"axis={node.value.value!r}->{_other_axis(node.value.value)!r}", line
        elif isinstance(node, ast.Attribute) and node.attr in _SWAP_REDUCE:
            yield node, f".{node.attr}->.{_SWAP_REDUCE[node.attr]}", line
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            yield node, "minus sign removed", line
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return)) and not (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            yield node, f"line {line} deleted", line


def _changed_constant(value):
    if isinstance(value, int):
        return value + 1
    return value * 2 if value else 1.0


def _other_axis(value):
    return 1 if value in (0, -2) else 0


def _apply(node: ast.AST, what: str) -> ast.AST | None:
    """Change ``node`` in place (or return its replacement statement)."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and "->" in what and not what.startswith("constant"):
        node.op = _SWAP_OPS[type(node.op)]()
    elif isinstance(node, ast.Compare):
        node.ops = [_SWAP_CMP[type(node.ops[0])]()]
    elif isinstance(node, ast.Constant):
        node.value = _changed_constant(node.value)
    elif isinstance(node, ast.keyword):
        node.value = ast.Constant(_other_axis(node.value.value))
    elif isinstance(node, ast.Attribute):
        node.attr = _SWAP_REDUCE[node.attr]
    elif isinstance(node, ast.UnaryOp):
        return node.operand
    return None


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST):
        self.target, self.replacement = target, replacement

    def generic_visit(self, node):
        super().generic_visit(node)
        return self.replacement if node is self.target else node


def mutants(source_notebook: nbformat.NotebookNode, cells: list[str] | None = None) -> list[Mutant]:
    """Every single-point change to the answer cells' solution lines (of ``cells``, if given)."""
    solved = {grade_id(c): c.source for c in solution_notebook(source_notebook).cells if is_answer(c)}
    out = []
    for cell in source_notebook.cells:
        gid = grade_id(cell)
        if not (is_answer(cell) and cell.cell_type == "code") or (cells and gid not in cells):
            continue
        lines = _solution_lines(cell.source)
        try:
            tree = ast.parse(solved[gid])
        except SyntaxError:
            continue
        for index, (_, what, line) in enumerate(list(_sites(tree, lines))):
            changed = copy.deepcopy(tree)
            node = [n for n, _, _ in _sites(changed, lines)][index]
            if what.endswith("deleted"):
                replacement = ast.Pass(lineno=line, col_offset=node.col_offset)
                changed = _Replace(node, replacement).visit(changed)
            else:
                replacement = _apply(node, what)
                if replacement is not None:
                    changed = _Replace(node, replacement).visit(changed)
            try:
                text = ast.unparse(ast.fix_missing_locations(changed))
            except Exception:
                continue
            seen = sum(m.cell == gid and m.line == line and m.what == what for m in out)
            out.append(Mutant(gid, line, what, text, seen + 1))
    return out


@dataclass(frozen=True)
class MutantJob:
    """One mutant to grade (in a worker process): its notebook's source and release as texts, the reference
    records of that notebook, how it runs, the change, and the assignment's other files."""

    source: str
    release: str
    reference: dict[str, ReferenceCell]
    settings: RunSettings
    mutant: Mutant
    files: dict[str, bytes] = field(default_factory=dict)


def _grade(job: MutantJob) -> Verdict:
    source, release = nbformat.reads(job.source, 4), nbformat.reads(job.release, 4)
    submitted = solution_notebook(source)
    for cell in submitted.cells:
        if grade_id(cell) == job.mutant.cell:
            cell.source = job.mutant.source
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        _, tests = grade_notebook(NotebookJob(source, release, submitted, job.reference, job.files), Path(scratch),
                                  job.settings)
    auto = [t for t in tests if t.score is not None]
    return Verdict(job.mutant, sum(t.score for t in auto), sum(t.points for t in auto),
                   [t.grade_id for t in auto if t.score < t.points])


NOTES = ("mutants", "tests/files/mutants")  # where a course keeps its notes, in this order


def equivalent(course: Course, assignment: str) -> dict[str, str]:
    """The instructor's notes on survivors that compute the same thing: ``mutants/<assignment>.txt`` (or
    ``tests/files/mutants/<assignment>.txt``, where this course keeps them beside its sample submissions)."""
    path = next((course.root / folder / f"{assignment}.txt" for folder in NOTES
                 if (course.root / folder / f"{assignment}.txt").is_file()), None)
    if path is None:
        return {}
    notes = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            mutant_id, _, why = line.strip().partition(" ")
            notes[mutant_id] = why.strip()
    return notes


@dataclass(frozen=True)
class Selection:
    """Which mutants run: only those of these answer cells (grade ids; None: all), at most ``limit`` per
    notebook, spread over its cells (None: all)."""

    cells: list[str] | None = None
    limit: int | None = None


def run_mutants(course: Course, assignment: str, reference: dict[str, dict[str, ReferenceCell]], settings: RunSettings,
                workers: int = 1, selection: Selection = Selection()) -> list[Verdict]:
    """Grade every mutant of ``selection`` on ``workers`` processes, each run as ``settings`` say."""
    cells, limit = selection.cells, selection.limit
    jobs = []
    files = course.extra_files(assignment)
    for name in course.notebook_names(assignment):
        source = read_notebook(course.source_path(assignment, name))
        found = mutants(source, cells)
        if limit is not None and len(found) > limit:
            step = len(found) / limit
            found = [found[int(i * step)] for i in range(limit)]
        source_text = nbformat.writes(source)
        release_text = course.release_path(assignment, name).read_text()
        jobs += [MutantJob(source_text, release_text, reference[name], settings, m, files) for m in found]
    if workers <= 1:
        return [_grade(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=worker_init) as pool:
        return list(pool.map(_grade, jobs))


def summary(verdicts: list[Verdict], notes: dict[str, str]) -> tuple[str, float]:
    """The instructor's list: every survivor with its cell and line (the ones explained as equivalent
    apart), and the share of mutants killed (equivalent ones left out of the count)."""
    survivors = [v for v in verdicts if v.survived and v.mutant.id not in notes]
    explained = [v for v in verdicts if v.survived and v.mutant.id in notes]
    counted = len(verdicts) - len(explained)
    killed = (counted - len(survivors)) / counted if counted else 1.0
    lines = [f"{len(verdicts)} mutants: {counted - len(survivors)} killed, {len(survivors)} survived, "
             f"{len(explained)} equivalent (explained) — {killed:.0%} killed"]
    for verdict in survivors:
        m = verdict.mutant
        lines.append(f"  SURVIVED {m.id}: in answer {m.cell}, line {m.line}: {m.what}")
    for verdict in explained:
        lines.append(f"  equivalent {verdict.mutant.id}: {notes[verdict.mutant.id]}")
    return "\n".join(lines), killed
