"""Build the notebook the grader runs from the instructor's source and a student's submission.

The source notebook is the truth for structure: every cell the student does not write (tests with
their hidden parts, read-only cells, instructions, setup code) is taken from ``source/`` by grade id or
cell id, with the source's metadata (points, locks, grade ids). From the submission only the answer cells
(first occurrence of each answer grade id, same cell type) and extra cells the student added are kept;
extra cells stay after the source cell they followed and lose any nbgrader metadata, so deleting,
editing, duplicating, re-labelling or re-ordering cells changes nothing that is graded.
"""

import copy
from collections import defaultdict

import nbformat

from autograder.core.course import cell_key, grade_id, is_answer


def assemble(source: nbformat.NotebookNode, release: nbformat.NotebookNode,
             submission: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook to execute: source structure, the student's answers, the student's extra cells.

    ``release`` supplies the stub of an answer the student deleted.
    """
    source_cells = {cell_key(cell): cell for cell in source.cells}
    answer_keys = {cell_key(cell) for cell in source.cells if is_answer(cell)}
    stubs = {cell_key(cell): cell for cell in release.cells if is_answer(cell)}

    answers: dict[str, nbformat.NotebookNode] = {}
    extras: dict[str | None, list] = defaultdict(list)
    anchor: str | None = None
    for cell in submission.cells:
        key = _match(cell, source_cells)
        if key in answer_keys and key not in answers and cell.cell_type == source_cells[key].cell_type:
            answers[key] = cell
            anchor = key
        elif key is not None and key not in answer_keys:
            anchor = key  # the student's copy of a source cell: the source version is used instead
        else:
            extras[anchor].append(_as_extra(cell))

    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(source.metadata))
    out.cells.extend(extras[None])
    for cell in source.cells:
        key = cell_key(cell)
        new = copy.deepcopy(cell)
        if key in answer_keys:
            taken = answers.get(key) or stubs.get(key)
            new.source = taken.source if taken is not None else ""
        if new.cell_type == "code":
            new.outputs, new.execution_count = [], None
        out.cells.append(new)
        out.cells.extend(extras[key])
    _unique_ids(out)
    return out


def _unique_ids(notebook: nbformat.NotebookNode) -> None:
    """Give later cells that repeat an earlier cell's id a fresh one (nbformat requires unique ids)."""
    seen: set[str] = set()
    for number, cell in enumerate(notebook.cells):
        if cell.get("id") in seen or not cell.get("id"):
            cell.id = f"extra-{number}"
        seen.add(cell.id)


def _match(cell, source_cells: dict) -> str | None:
    """The source cell a submitted cell stands for, by grade id first, else by nbformat cell id."""
    gid = grade_id(cell)
    if gid is not None and gid in source_cells:
        return gid
    key = f"id:{cell.get('id', '')}"
    if gid is None and key in source_cells:
        return key
    return None


def _as_extra(cell) -> nbformat.NotebookNode:
    """A student's own cell: kept and run, never graded (nbgrader metadata dropped)."""
    cell = copy.deepcopy(cell)
    cell.get("metadata", {}).pop("nbgrader", None)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    if cell.cell_type not in ("code", "markdown", "raw"):
        cell.cell_type = "raw"
    return cell
