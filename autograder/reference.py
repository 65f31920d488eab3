"""The reference cache: the records of the instructor's solution, computed once per source version (the
notebook and the assignment's other files) and reference format."""

import hashlib
import json
import os

from autograder.config import Limits
from autograder.course import Course, file_hash, read_notebook
from autograder.records import FORMAT_VERSION
from autograder.scoring import reference_records
from autograder.workdir import Workdir


def load_reference(course: Course, assignment: str, workdir: Workdir, limits: Limits) -> dict[str, dict]:
    """Reference records of every notebook, cached in the work directory by the source's hash."""
    out = {}
    files = course.extra_files(assignment)
    extras = hashlib.sha256(json.dumps({k: hashlib.sha256(v).hexdigest() for k, v in files.items()},
                                       sort_keys=True).encode()).hexdigest()
    for name in course.notebook_names(assignment):
        source_path = course.source_path(assignment, name)
        digest = file_hash(source_path) + (f"+{extras}" if files else "")
        cache = workdir.folder("reference", assignment) / f"{name}.json"
        if cache.exists():
            cached = json.loads(cache.read_text())
            if cached.get("source_sha256") == digest and cached.get("format") == FORMAT_VERSION:
                out[name] = cached["records"]
                continue
        records = reference_records(read_notebook(source_path), limits, files=files)
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")  # written whole, then renamed: no reader
        partial.write_text(json.dumps({"source_sha256": digest, "format": FORMAT_VERSION, "records": records}))
        partial.replace(cache)  # ever sees half a file
        out[name] = records
    return out
