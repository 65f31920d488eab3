"""The reference: the instructor's solution run in a clean kernel (``reference_run``), and its cache, computed
once per source version (the notebook and the assignment's other files) and reference format.

``reference/<assignment>/<notebook>.json`` holds ``{"source_sha256", "format", "cells", "modules"}``,
``cells`` mapping each test cell's grade id to a ``ReferenceCell``'s plain form and ``modules`` naming the
installed modules the reference's cells imported (``ReferenceRun``). A cache of another
source, another ``records.FORMAT_VERSION``, without ``modules`` or that cannot be read is computed again,
never misread.

Why the modules: much of a notebook's start-up is paid inside its cells, not at its imports. The first
``torch.optim`` step imports ``torch._dynamo`` (about 800 modules, 1 core-s); the first digits load imports
scikit-learn and SciPy; the first figure imports Pillow. A template (``autograder.run.template``) imports
them before any submission arrives, once per worker rather than once per submission (a kernel that pays
its own imports does not: ``SandboxBackend.shares_imports``). Only modules of the installation (the
standard library and site-packages) are named, never a file of the course or of a work folder; a
student's kernel gets them in ``sys.modules`` only, never as names in its namespace, as with the given
code's imports (``autograder.run.kernel_launcher``).
"""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
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

MODULES_MARK = "autograder-reference-modules:"
MAX_WARM_CHARS = 60_000  # the list travels in an environment variable (Linux allows 128 KiB per string)
# Run before the reference's first cell: an import finder that finds nothing and notes every module that a
# cell, a function or code outside the installation imports, but not those that an installed module's
# own top level imports (they come with it).
_WATCH_CELL = """\
import sys as _ag_sys, sysconfig as _ag_sysconfig


class _AgImportRoots:
    installed = tuple({_ag_sysconfig.get_paths()[key].rstrip("/") + "/"
                       for key in ("stdlib", "platstdlib", "purelib", "platlib")})
    names = []

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        frame = _ag_sys._getframe(1)
        while frame is not None:
            code = frame.f_code
            if (code.co_name == "<module>" and code.co_filename.startswith(cls.installed)
                    and frame.f_globals.get("__name__") != "__main__"):  # not the kernel's launcher
                return None
            frame = frame.f_back
        cls.names.append(name)
        return None


_ag_sys.meta_path.insert(0, _AgImportRoots)
"""
# Run after the reference's last cell: those modules that came from the installation, in import order.
_LIST_CELL = f"""\
import json as _ag_json
_ag_sys.meta_path.remove(_AgImportRoots)
print({MODULES_MARK!r} + _ag_json.dumps([
    _n for _n in _AgImportRoots.names
    if str(getattr(getattr(_ag_sys.modules.get(_n), "__spec__", None), "origin", None) or "").startswith(
        _AgImportRoots.installed + ("built-in", "frozen"))]))
"""


@dataclass(frozen=True)
class ReferenceRun:
    """The reference solution's run: each test cell's ``ReferenceCell`` by grade id, and the installed
    modules its cells imported, in order, those whose import brings the rest (``torch._dynamo``, not the
    800 modules it imports; ``warm_modules`` of them)."""

    cells: dict[str, ReferenceCell]
    modules: tuple[str, ...] = ()


def warm_modules(modules: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``modules`` in their order without repeats, at most ``MAX_WARM_CHARS`` of them."""
    out, size = [], 0
    for name in dict.fromkeys(modules):
        size += len(name) + 1
        if size > MAX_WARM_CHARS:
            break
        out.append(name)
    return tuple(out)


def load_reference(course: Course, assignment: str, workdir: Workdir,
                   limits: Limits) -> dict[str, dict[str, ReferenceCell]]:
    """Reference cells of every notebook (notebook name → grade id → cell), cached in the work directory by
    the source's hash."""
    return {name: run.cells for name, run in load_reference_runs(course, assignment, workdir, limits).items()}


def load_reference_runs(course: Course, assignment: str, workdir: Workdir,
                        limits: Limits) -> dict[str, ReferenceRun]:
    """``ReferenceRun`` of every notebook by name, cached in the work directory by the source's hash."""
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
        run = reference_run(read_notebook(source_path), limits, files=files)
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")  # written whole, then renamed: no reader
        partial.write_text(json.dumps({"source_sha256": digest, "format": FORMAT_VERSION,
                                       "cells": {gid: cell.to_dict() for gid, cell in run.cells.items()},
                                       "modules": list(run.modules)}))
        partial.replace(cache)  # ever sees half a file
        out[name] = run
    return out


def _read_cache(cache: Path, digest: str) -> ReferenceRun | None:
    """The cached run when ``cache`` is of this source and format, else None (to be computed again)."""
    if not cache.exists():
        return None
    try:
        cached = json.loads(cache.read_text())
        if cached.get("source_sha256") != digest or cached.get("format") != FORMAT_VERSION:
            return None
        modules = cached["modules"]
        if not all(isinstance(name, str) for name in modules):
            return None
        return ReferenceRun({gid: ReferenceCell.from_dict(cell) for gid, cell in cached["cells"].items()},
                            tuple(modules))
    except (ValueError, AttributeError, KeyError, TypeError):  # an older layout, a half-written or edited file
        return None


def reference_records(source: nbformat.NotebookNode, limits: Limits | None = None,
                      kernel_name: str = "python3", files: dict[str, bytes] | None = None
                      ) -> dict[str, ReferenceCell]:
    """Each test cell's ``ReferenceCell`` (trust level and records) by grade id: ``reference_run``'s cells."""
    return reference_run(source, limits, kernel_name, files).cells


def reference_run(source: nbformat.NotebookNode, limits: Limits | None = None,
                  kernel_name: str = "python3", files: dict[str, bytes] | None = None) -> ReferenceRun:
    """Run the reference notebook in a clean kernel (with the assignment's other ``files`` in its folder),
    between two cells of the grader's that list the installed modules its cells imported (those whose
    import brings the rest: ``torch._dynamo``, not the 800 modules it imports).

    Raises ReferenceError naming the cell when the reference fails a test, a check cannot record its
    value, or the notebook does not run to the end.
    """
    notebook = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells = [nbformat.v4.new_code_cell(_WATCH_CELL), *notebook.cells, nbformat.v4.new_code_cell(_LIST_CELL)]
    with tempfile.TemporaryDirectory(prefix="reference-") as scratch:
        write_files(files or {}, Path(scratch))
        run = run_notebook(notebook, Path(scratch), env=grading_env(), limits=limits, kernel_name=kernel_name)
    if run.status != Status.GRADED:
        reason = run.reason
        if run.stopped_at:  # numbered among the reference's own cells, not counting the grader's first one
            reason = reason.replace(f"cell {run.stopped_at + 1}", f"cell {run.stopped_at}", 1)
        raise ReferenceError(f"the reference solution did not run to the end: {run.status}: {reason}")
    listing = run.notebook.cells.pop()
    run.notebook.cells.pop(0)
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
    return ReferenceRun(out, warm_modules(_listed_modules(listing)))


def _listed_modules(cell: nbformat.NotebookNode) -> tuple[str, ...]:
    """The module names ``_LIST_CELL`` printed (none when it did not print them: nothing is preloaded)."""
    for output in cell.get("outputs", []):
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in "".join(text).splitlines():
            if line.startswith(MODULES_MARK):
                try:
                    names = json.loads(line[len(MODULES_MARK):])
                except ValueError:
                    return ()
                return tuple(name for name in names if isinstance(name, str))
    return ()
