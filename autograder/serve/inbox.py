"""What is in the exchange's inbox for one assignment, keyed by submission folder and content.

nbgrader's *Submit* copies the student's folder to ``inbound/<student>+<assignment>+<timestamp>+<random>/``
with ``timestamp.txt`` and ``submission_secret.txt`` beside the notebooks; the folder name is new for every
submission. The student owns that folder and can still write it, so nothing here follows a link or trusts
a time the student wrote: files are read with ``O_NOFOLLOW``, and a submission's time is the later of its
``timestamp.txt`` and the newest change time (``ctime``, which no user can set back) of its files.

``scan`` is cheap enough to run every few seconds over a class: a folder's content hash is computed again
only when the sizes and times of its files changed (``Arrival.signature``).
"""

import hashlib
import os
import pwd
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder.core.errors import UserError
from autograder.intake.lateness import parse_time
from autograder.intake.submissions import valid_student_id

SECRET, TIMESTAMP = "submission_secret.txt", "timestamp.txt"
_MAX_SMALL = 4096  # bytes read of timestamp.txt and submission_secret.txt
MAX_HASHED = 256 << 20  # a file larger than this is not read to hash it (grading copies less than that)
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Arrival:
    """One submission folder in the inbox."""

    key: str  # the folder's name: unique per submission
    student: str
    path: Path
    submitted_at: datetime  # the later of timestamp.txt and the newest ctime of its files
    secret: str  # what nbgrader hashes with a notebook's name to name its feedback page ("" without one)
    notebooks: tuple[str, ...]  # the notebooks handed in, without .ipynb
    signature: str  # names, sizes and times of its files: when it changes, the content is hashed again
    owner: str  # the Unix account that owns the folder


def parse_name(name: str, assignment: str) -> str | None:
    """The student of an inbox folder's name, when the folder is a submission of ``assignment``."""
    parts = name.rsplit("+", 3)
    if len(parts) == 4 and parts[1] == assignment:
        student = parts[0]
    else:
        parts = name.rsplit("+", 2)  # nbgrader's ExchangeSubmit.add_random_string = False
        student = parts[0] if len(parts) == 3 and parts[1] == assignment else None
    return student if student and valid_student_id(student) else None


def _files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """Regular files directly in ``folder`` and one level below (the notebooks and the student's data),
    by name, with their lstat; links and special files left out."""
    out = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(info.st_mode):
            out.append((entry.name, info))
        elif stat.S_ISDIR(info.st_mode) and not entry.name.startswith("."):
            for inner in sorted(os.scandir(entry.path), key=lambda e: e.name):
                inner_info = inner.stat(follow_symlinks=False)
                if stat.S_ISREG(inner_info.st_mode):
                    out.append((f"{entry.name}/{inner.name}", inner_info))
    return out


def _read(folder: Path, name: str, limit: int | None = None) -> bytes:
    """A file's bytes, opened without following a link (empty when it is not a regular file)."""
    top = os.open(folder, _DIR)
    try:
        parts = name.split("/")
        where = top
        for part in parts[:-1]:
            where = os.open(part, _DIR, dir_fd=where)
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=where)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return b""
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read(limit) if limit else handle.read()
        finally:
            os.close(fd)
            if where != top:
                os.close(where)
    except OSError:
        return b""
    finally:
        os.close(top)


def content_hash(arrival: Arrival) -> str:
    """SHA-256 of the submission's files (names and bytes), without nbgrader's time and secret files. A file
    larger than ``MAX_HASHED`` (more than grading would copy) counts by its size and times, unread."""
    digest = hashlib.sha256()
    for name, info in _files(arrival.path):
        if name in (SECRET, TIMESTAMP):
            continue
        digest.update(name.encode() + b"\0")
        if info.st_size > MAX_HASHED:
            digest.update(repr((info.st_size, info.st_mtime_ns, info.st_ctime_ns)).encode())
        else:
            digest.update(hashlib.sha256(_read(arrival.path, name)).digest())
    return digest.hexdigest()


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def arrival(folder: Path, student: str) -> Arrival | None:
    """The submission in ``folder`` (None when it vanished or is not a folder)."""
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return None
        files = _files(folder)
    except OSError:
        return None
    newest = max([info.st_ctime, *(entry.st_ctime for _, entry in files)])
    when = datetime.fromtimestamp(newest, UTC)
    written = _read(folder, TIMESTAMP, _MAX_SMALL).decode(errors="replace").strip()
    if written:
        try:
            when = max(when, parse_time(written[:100]))
        except UserError:
            pass  # an unreadable time: the files' own times count
    signature = hashlib.sha256(repr([(name, entry.st_size, entry.st_mtime_ns, entry.st_ctime_ns)
                                     for name, entry in files]).encode()).hexdigest()
    notebooks = tuple(name[:-6] for name, _ in files if name.endswith(".ipynb") and "/" not in name)
    secret = _read(folder, SECRET, _MAX_SMALL).decode(errors="replace")
    return Arrival(folder.name, student, folder, when, secret, notebooks, signature, _owner(info.st_uid))


def scan(inbound: Path, assignment: str) -> list[Arrival]:
    """Every submission of ``assignment`` in the inbox, oldest first."""
    found = []
    for entry in os.scandir(inbound):
        student = parse_name(entry.name, assignment)
        if student is None:
            continue
        got = arrival(Path(entry.path), student)
        if got is not None:
            found.append(got)
    return sorted(found, key=lambda item: (item.submitted_at, item.key))
