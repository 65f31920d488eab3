"""The reference cache: the records of the instructor's solution, computed once per source version (the
notebook and the assignment's other files) and reference format.

``reference/<assignment>/<notebook>.json`` holds ``{"source_sha256", "format", "cells"}``, ``cells`` mapping
each test cell's grade id to a ``ReferenceCell``'s plain form. A cache of another source, another
``records.FORMAT_VERSION`` or that cannot be read is computed again, never misread."""

import hashlib
import json
import os
from pathlib import Path

from autograder.config import Limits
from autograder.course import Course, file_hash, read_notebook
from autograder.records import FORMAT_VERSION
from autograder.scoring import ReferenceCell, reference_records
from autograder.workdir import Workdir


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
