"""The reference: the instructor's solution run in a clean kernel (``reference_records``), and its cache, computed
once per source version (the notebook and the assignment's other files) and reference format.

``reference/<assignment>/<notebook>.json`` holds ``{"source_sha256", "format", "cells"}``, ``cells`` mapping
each test cell's grade id to a ``ReferenceCell``'s plain form. A cache of another source, another
``records.FORMAT_VERSION`` or that cannot be read is computed again, never misread."""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import nbformat

from autograder.core import course as roles
from autograder.core.config import Limits
from autograder.core.course import Course, file_hash, read_notebook
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.intake.carry import write_files
from autograder.judge.records import FORMAT_VERSION, cell_error, cell_records
from autograder.judge.scoring import ReferenceCell, ReferenceError, grading_env, partial_credit
from autograder.run.execute import run_notebook


def load_reference(course: Course, assignment: str, workdir: Workdir,
                   limits: Limits) -> dict[str, dict[str, ReferenceCell]]:
    """Reference cells of every notebook (notebook name → grade id → cell), cached in the work directory by
    the source's hash."""
    out = {}
    files = course.extra_files(assignment)
    extras = hashlib.sha256(json.dumps({k: hashlib.sha256(v).hexdigest() for k, v in files.items()},
                                       sort_keys=True).encode()).hexdigest()
    for name in course.notebook_names(assignment):
        source_path = course.source_path(assignment, name)
        digest = file_hash(source_path) + (f"+{extras}" if files else "")
        cache = workdir.folder("reference", assignment) / f"{name}.json"
        cached = _read_cache(cache, digest)
        if cached is not None:
            out[name] = cached
            continue
        cells = reference_records(read_notebook(source_path), limits, files=files)
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")  # written whole, then renamed: no reader
        partial.write_text(json.dumps({"source_sha256": digest, "format": FORMAT_VERSION,
                                       "cells": {gid: cell.to_dict() for gid, cell in cells.items()}}))
        partial.replace(cache)  # ever sees half a file
        out[name] = cells
    return out


def _read_cache(cache: Path, digest: str) -> dict[str, ReferenceCell] | None:
    """The cached cells when ``cache`` is of this source and format, else None (to be computed again)."""
    if not cache.exists():
        return None
    try:
        cached = json.loads(cache.read_text())
        if cached.get("source_sha256") != digest or cached.get("format") != FORMAT_VERSION:
            return None
        return {gid: ReferenceCell.from_dict(cell) for gid, cell in cached["cells"].items()}
    except (ValueError, AttributeError, KeyError, TypeError):  # an older layout, a half-written or edited file
        return None


def reference_records(source: nbformat.NotebookNode, limits: Limits | None = None,
                      kernel_name: str = "python3", files: dict[str, bytes] | None = None
                      ) -> dict[str, ReferenceCell]:
    """Run the reference notebook in a clean kernel (with the assignment's other ``files`` in its folder);
    each test cell's ``ReferenceCell`` (trust level and records) by grade id.

    Raises ReferenceError naming the cell when the reference fails a test, a check cannot record its
    value, or the notebook does not run to the end.
    """
    notebook = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="reference-") as scratch:
        write_files(files or {}, Path(scratch))
        run = run_notebook(notebook, Path(scratch), env=grading_env(), limits=limits, kernel_name=kernel_name)
    if run.status != Status.GRADED:
        raise ReferenceError(f"the reference solution did not run to the end: {run.status}: {run.reason}")
    out = {}
    for cell in run.notebook.cells:
        if not roles.is_test(cell):
            continue
        gid = roles.grade_id(cell)
        error = cell_error(cell)
        if error is not None:
            raise ReferenceError(f"test cell {gid} fails on the reference solution: "
                                 f"{error.get('ename')}: {error.get('evalue')}")
        records = cell_records(cell)
        bad = [r for r in records if r.get("error")]
        if bad:
            raise ReferenceError(f"test cell {gid}: {bad[0]['error']}")
        if not records:
            credit = partial_credit(cell, roles.points(cell))
            if credit is not None and credit < roles.points(cell):
                raise ReferenceError(f"test cell {gid} gives the reference solution {credit:g} of "
                                     f"{roles.points(cell):g} points (its last result)")
        out[gid] = ReferenceCell.of(records)
    return out
