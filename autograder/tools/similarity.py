"""Similarity of submissions, answer cell by answer cell, for a person to read (it accuses no one).

Each answer cell is reduced to what survives renaming and reformatting: it is parsed (comments, blank
lines and layout vanish), docstrings are dropped, and every name is replaced by its order of first
appearance (``v0``, ``v1``, ...; attribute names such as ``.append`` stay). The result is a sequence of
tokens, cut into 5-token windows; the windows of the release's starter code (signature, stub) are removed,
so only what the student wrote counts. Two cells are compared by the Jaccard overlap of their windows, a
pair of submissions by the sum over the cells both answered divided by the cells either answered. An
inverted index over the windows finds the candidate pairs, so a class of 800 is not 320,000 full comparisons.
"""

import ast
import io
import itertools
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from autograder.core.course import grade_id, is_answer, read_notebook
from autograder.outputs import pages

WINDOW = 5


@dataclass
class Pair:
    """Two students, their similarity (0..1) and the cells compared, most similar first."""

    first: str
    second: str
    score: float
    cells: list[tuple[str, float]] = field(default_factory=list)  # (answer grade id, cell similarity)


def normalise(code: str) -> list[str]:
    """The tokens of ``code`` that survive renaming and reformatting. Code too deep for the parser or the
    tree walk (a 2,000-term expression) falls back to its plain tokens, so one answer never stops the report."""
    if not code.strip():
        return []
    try:
        return _Canonical().tokens(ast.parse(code))[1:]  # without the Module every cell starts with
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return _plain_tokens(code)


def _plain_tokens(code: str) -> list[str]:
    """Tokens of code that does not parse (comments and layout still ignored)."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    try:
        return [tok.string for tok in tokenize.generate_tokens(io.StringIO(code).readline) if tok.type not in skip]
    except (tokenize.TokenError, IndentationError, SyntaxError, RecursionError, MemoryError):
        return code.split()


class _Canonical(ast.NodeVisitor):
    """Walks a tree, emitting node types, constants and names by order of first appearance."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.out: list[str] = []

    def tokens(self, tree: ast.AST) -> list[str]:
        self.visit(tree)
        return self.out

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}")

    def generic_visit(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:]  # a docstring says nothing about the code
        self.out.append(type(node).__name__)
        super().generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self.out.append(self._name(node.id))

    def visit_arg(self, node: ast.arg) -> None:
        self.out.append(self._name(node.arg))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.out.append("def")  # the function's name is the assignment's, the same for everyone
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.visit(node.value)
        self.out.append("." + node.attr)

    def visit_Constant(self, node: ast.Constant) -> None:
        self.out.append(repr(node.value) if not isinstance(node.value, str) else "str")


def _windows(tokens: list[str]) -> set[int]:
    if len(tokens) < WINDOW:
        return {hash(tuple(tokens))} if tokens else set()
    return {hash(tuple(tokens[i:i + WINDOW])) for i in range(len(tokens) - WINDOW + 1)}


def answers(notebook, release) -> dict[str, set[int]]:
    """Each answered code cell's windows (cells left as the release had them are not answers)."""
    starters = {grade_id(cell): _windows(normalise(cell.source)) for cell in release.cells if is_answer(cell)}
    out = {}
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "code":
            windows = _windows(normalise(cell.source)) - starters.get(grade_id(cell), set())
            if windows:  # what the student wrote beyond the release's starter code
                out[grade_id(cell)] = windows
    return out


def similar_pairs(submissions: dict[str, dict[str, set[int]]], top: int = 20) -> list[Pair]:
    """The ``top`` most similar pairs of students, given each student's answers' windows."""
    index: dict[tuple[str, int], list[str]] = defaultdict(list)
    for student, cells in submissions.items():
        for gid, windows in cells.items():
            for window in windows:
                index[(gid, window)].append(student)
    candidates = set()
    for students in index.values():
        if len(students) <= 50:  # a window everyone shares (boilerplate) proposes no pair
            candidates.update(itertools.combinations(sorted(students), 2))
    pairs = []
    for first, second in candidates:
        a, b = submissions[first], submissions[second]
        shared = sorted(set(a) & set(b))
        cells = sorted(((gid, len(a[gid] & b[gid]) / len(a[gid] | b[gid])) for gid in shared),
                       key=lambda item: -item[1])
        if cells:
            pairs.append(Pair(first, second, sum(s for _, s in cells) / len(set(a) | set(b)), cells))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.first, pair.second))[:top]


def similarity_report(workdir, course, assignment: str, top: int = 20) -> tuple[list[Pair], Path]:
    """Compare the submissions kept in ``submitted/`` and write ``reports/<assignment>-similarity.html``."""
    names = course.notebook_names(assignment)
    releases = {name: read_notebook(course.release_path(assignment, name)) for name in names}
    submitted = workdir.folder("submitted")
    code: dict[str, dict[str, str]] = {}
    windows: dict[str, dict[str, set[int]]] = {}
    for folder in sorted(submitted.glob(f"*/{assignment}")) if submitted.is_dir() else []:
        student = folder.parent.name
        windows[student], code[student] = {}, {}
        for name in names:
            path = folder / f"{name}.ipynb"
            if not path.is_file():
                continue
            try:
                notebook = read_notebook(path)
                found_cells = answers(notebook, releases[name])
            except Exception:  # an unreadable file was graded as invalid; nothing to compare
                continue
            for gid, found in found_cells.items():
                windows[student][f"{name}:{gid}"] = found
            code[student].update({f"{name}:{grade_id(c)}": c.source for c in notebook.cells
                                  if is_answer(c) and c.cell_type == "code"})
    pairs = similar_pairs(windows, top)
    out = workdir.folder("reports") / f"{assignment}-similarity.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_page(assignment, pairs, code, len(windows)), encoding="utf-8")
    return pairs, out


def _page(assignment: str, pairs: list[Pair], code: dict[str, dict[str, str]], count: int) -> str:
    """The page (``templates/pages/similarity.html.j2``, autoescaped: an answer holding ``</pre><script>``
    is shown as the text it is)."""
    return pages.render("similarity.html.j2", assignment=assignment, pairs=pairs, code=code, count=count)
