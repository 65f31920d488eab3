"""Find the submissions in a folder or zip, whatever layout the instructor downloaded.

Layouts understood:
- nbgrader's ``<student>/<assignment>/<notebook>.ipynb`` (what ``nbgrader collect`` produces);
- ``<student>/<notebook>.ipynb``;
- a flat folder (or zip) of ``<student>_<anything>.ipynb`` files, as learning-management systems export.
Nothing here reads a notebook's contents; unreadable files are the grader's business (status invalid).
"""

import csv
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.core.config import DEFAULTS
from autograder.core.errors import UserError
from autograder.intake.lateness import choose, parse_time

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


@dataclass
class Submission:
    """One student's files for one assignment: notebook name -> path (None when missing)."""

    student_id: str
    notebooks: dict[str, Path | None]
    folder: Path | None = None  # the student's own folder (copied for the kernel), if any
    notes: list[str] = field(default_factory=list)
    timestamp: datetime | None = None  # when it was submitted, where the layout says (autograder.intake.lateness)


def unpack_zip(archive: Path, into: Path, max_bytes: int = DEFAULTS.max_zip_bytes) -> Path:
    """Extract ``archive`` into a folder of ``into`` named after it, refusing absolute paths, '..' and
    oversized contents. The folder of an earlier unpacking of the same name (a child of ``into``, the
    grader's own ``incoming/``) is replaced; nothing else is ever deleted (a name such as ``...zip``, whose
    stem is ``..``, gets a folder of its own)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", archive.stem).strip(".") or "submissions"
    into.mkdir(parents=True, exist_ok=True)
    target = into / name
    if target.is_symlink() or target.is_file():
        raise UserError(f"{target} is not a folder the grader unpacked, so it is left as it is; move it away "
                        "or rename the zip, then run the command again")
    if target.resolve().parent != into.resolve():
        raise UserError(f"{archive.name}: its name cannot name a folder under {into}; rename the zip "
                        "(e.g. submissions.zip) and run the command again")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise UserError(f"{archive} is not a zip archive that can be read ({error}); download it again from "
                        "the LMS, or pass the folder of submissions instead") from None
    with zipped:
        members = zipped.infolist()
        if sum(m.file_size for m in members) > max_bytes:
            raise UserError(f"{archive.name} unpacks to more than {max_bytes / (1 << 30):g} GiB (c.Autograder."
                            "max_zip_bytes); split it, or raise the limit with --max-zip-bytes")
        for member in members:
            name = Path(member.filename)
            if name.is_absolute() or ".." in name.parts:
                raise UserError(f"{archive.name}: refusing the unsafe path {member.filename!r} (a zip entry may "
                                "not leave its folder); unpack it by hand and check what it holds")
            if member.is_dir() or name.name.startswith(".") or "__MACOSX" in name.parts:
                continue
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(member) as src, open(destination, "wb") as dst:
                shutil.copyfileobj(src, dst)
            # the zip's own time of the file (an LMS stores the upload time there; zips carry no zone: UTC)
            moment = datetime(*member.date_time, tzinfo=UTC).timestamp()
            os.utime(destination, (moment, moment))
    # a zip of one folder: descend into it
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


@dataclass(frozen=True)
class Finding:
    """What ``discover`` is told besides the folder: the roster (ids listed as missing when absent), times
    (student id -> time, over any other), whether flat files' own times count (a zip an LMS exported), and
    each student's cutoff (of several files, the last before it counts)."""

    roster: list[str] = field(default_factory=list)
    times: dict[str, datetime] = field(default_factory=dict)
    file_times: bool = False
    cutoff_for: Callable[[str], datetime | None] | None = None


def discover(folder: Path, assignment: str, notebooks: list[str], finding: Finding = Finding()) -> list[Submission]:
    """Every submission under ``folder`` for ``assignment``, plus a missing entry per roster student
    without one. Sorted by student id.

    Times: nbgrader's ``timestamp.txt`` in a student's folder; with ``finding.file_times`` (a zip an LMS
    exported) each flat file's time; ``finding.times`` (student id -> time) wins over both. Several flat
    files of one student for one notebook: the last one before the student's cutoff (``finding.cutoff_for``)
    counts, the others are listed in the notes."""
    roster, times, file_times, cutoff_for = finding.roster, finding.times, finding.file_times, finding.cutoff_for
    found: dict[str, Submission] = {}
    candidates: dict[tuple[str, str], list[tuple[Path, datetime | None]]] = {}
    wanted = set(notebooks)
    for student_dir in sorted(p for p in folder.iterdir()
                              if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        nested = student_dir / assignment
        if nested.is_symlink():  # a link could lead the grader to the instructor's or another student's files
            found[student_dir.name] = Submission(student_dir.name, dict.fromkeys(notebooks),
                                                 notes=[f"{assignment}/ is a symbolic link and was not followed"])
            continue
        home = nested if nested.is_dir() else student_dir
        files = {name: home / f"{name}.ipynb" for name in notebooks}
        found[student_dir.name] = Submission(student_dir.name,
                                             {name: path if path.is_file() else None for name, path in files.items()},
                                             folder=home, timestamp=_timestamp_file(home))
    for path in sorted(folder.glob("*.ipynb")):
        student, _, rest = path.stem.partition("_")
        name = _notebook_for(rest, wanted) if rest else None
        if name is None and len(notebooks) == 1:
            name = notebooks[0]
        if name is None:
            continue
        found.setdefault(student, Submission(student, dict.fromkeys(notebooks)))
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC) if file_times else None
        candidates.setdefault((student, name), []).append((path, when))
    for (student, name), files in candidates.items():
        entry = found[student]
        chosen, others = choose(files, cutoff_for(student) if cutoff_for else None)
        entry.notebooks[name] = chosen
        entry.timestamp = dict(files)[chosen] or entry.timestamp
        if others:
            skipped = ", ".join(p.name for p in others)
            entry.notes.append(f"several files for {name}; graded {chosen.name}, not {skipped}")
    for student, when in (times or {}).items():
        if student in found:
            found[student].timestamp = when
    for student in roster:
        found.setdefault(student, Submission(student, dict.fromkeys(notebooks)))
    return [found[key] for key in sorted(found)]


def _timestamp_file(folder: Path) -> datetime | None:
    """nbgrader's ``timestamp.txt`` (written by the exchange and ``nbgrader collect``), if there is one."""
    path = folder / "timestamp.txt"
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return parse_time(path.read_text()[:100], str(path))
    except UserError:
        return None  # an unreadable time is no time: the submission is not late


def read_times(path: Path) -> dict[str, datetime]:
    """``--timestamps``: a CSV with ``student_id`` and ``timestamp`` columns."""
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"student_id", "timestamp"} <= set(reader.fieldnames):
            raise UserError(f"{path} needs a header line with student_id and timestamp columns")
        return {row["student_id"]: parse_time(row["timestamp"], f"{path}, {row['student_id']}")
                for row in reader if row.get("student_id")}


def _notebook_for(rest: str, wanted: set[str]) -> str | None:
    for name in wanted:
        if name in rest:
            return name
    return None


def valid_student_id(student_id: str) -> bool:
    return bool(STUDENT_ID.match(student_id))
