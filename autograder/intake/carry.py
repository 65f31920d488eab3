"""Copy files between a student's folders without ever following a path the student controls.

A sandboxed kernel can write its working folder: it can plant a symbolic link where the grader expects a
file or a folder (``data.csv -> ~/.ssh/id_rsa``, ``sub -> /``), and a process it leaves behind could swap
a checked file for a link between the check and the copy. So nothing here resolves a path by name: every
folder is opened with ``O_DIRECTORY | O_NOFOLLOW`` relative to the descriptor of its parent (``dir_fd``),
every file with ``O_NOFOLLOW`` relative to its folder's descriptor, and only what ``fstat`` of the open
descriptor says is a regular file or a folder is copied. A link, a device or a FIFO is skipped whatever
it becomes later. Callers still kill the kernel first (``autograder.run.worker``): then nothing changes while
the copy runs.

Writes go the same way into a folder the grader created: ``O_CREAT | O_EXCL | O_NOFOLLOW`` where the
target must be new, and ``write_file`` replaces whatever a name holds (a link, a folder) instead of
writing through it.
"""

import os
import shutil
import stat
from pathlib import Path

SKIPPED_FOLDERS = frozenset({".ipynb_checkpoints", ".kernel"})  # Jupyter's and the kernel's connection files
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1 << 20


def copy_tree(source: Path, target: Path, max_bytes: int) -> list[str]:
    """Copy the regular files under ``source`` into ``target`` (created if needed), at most ``max_bytes``
    in all, skipping links, special files and ``SKIPPED_FOLDERS``. Returns what was left out and why (a
    sentence each), for the submission's reason. A missing or linked ``source`` copies nothing."""
    try:
        top = os.open(source, _DIR_FLAGS)
    except OSError:
        return []
    Path(target).mkdir(parents=True, exist_ok=True)
    into = os.open(target, _DIR_FLAGS)
    budget = [max_bytes]
    notes: list[str] = []
    try:
        _copy_folder(top, into, "", budget, notes)
    finally:
        os.close(top)
        os.close(into)
    return notes


def _copy_folder(source_fd: int, target_fd: int, where: str, budget: list[int], notes: list[str]) -> None:
    for name in sorted(os.listdir(source_fd)):
        relative = f"{where}{name}"
        try:
            info = os.stat(name, dir_fd=source_fd, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            if name in SKIPPED_FOLDERS:
                continue
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=source_fd)  # a link swapped in since: ELOOP/ENOTDIR
            except OSError:
                continue
            try:
                try:
                    os.mkdir(name, 0o755, dir_fd=target_fd)
                except FileExistsError:
                    pass
                child_target = os.open(name, _DIR_FLAGS, dir_fd=target_fd)
            except OSError as error:
                os.close(child)
                notes.append(f"{relative}/ was not copied: {error.strerror}")
                continue
            try:
                _copy_folder(child, child_target, relative + "/", budget, notes)
            finally:
                os.close(child)
                os.close(child_target)
        elif stat.S_ISREG(info.st_mode):
            if info.st_size > budget[0]:
                notes.append(f"{relative} and what follows were not copied: over the size limit of the student's "
                             "files")
                budget[0] = -1
                return
            copied = _copy_file(source_fd, target_fd, name, budget[0])
            if isinstance(copied, str):
                notes.append(f"{relative} was not copied: {copied}")
            else:
                budget[0] -= copied
        if budget[0] < 0:
            return


def _copy_file(source_fd: int, target_fd: int, name: str, limit: int) -> int | str:
    """Copy one file by descriptors; the bytes copied, or why it was not."""
    try:
        reader = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=source_fd)
    except OSError as error:
        return error.strerror or str(error)
    try:
        if not stat.S_ISREG(os.fstat(reader).st_mode):  # swapped for a FIFO or a device since the stat
            return "not a regular file"
        _remove(target_fd, name)
        writer = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                         dir_fd=target_fd)
        copied = 0
        try:
            while chunk := os.read(reader, _CHUNK):
                copied += len(chunk)
                if copied > limit:  # it grew since the stat
                    os.ftruncate(writer, 0)
                    return "over the size limit of the student's files"
                os.write(writer, chunk)
        finally:
            os.close(writer)
        return copied
    except OSError as error:
        return error.strerror or str(error)
    finally:
        os.close(reader)


def _remove(folder_fd: int, name: str) -> None:
    """Remove whatever ``name`` is in the folder (a file, a link, a folder), never following a link."""
    try:
        info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(name, dir_fd=folder_fd)  # rmtree with dir_fd never follows links
    else:
        os.unlink(name, dir_fd=folder_fd)


def write_file(folder: Path, relative: str, data: bytes) -> None:
    """Write ``data`` at ``folder/relative`` replacing whatever is there (a link or folder of that name is
    removed, never written through); folders on the way are created, and a link among them is replaced."""
    parts = Path(relative).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or Path(relative).is_absolute():
        raise ValueError(f"not a relative file name inside the folder: {relative!r}")
    Path(folder).mkdir(parents=True, exist_ok=True)
    current = os.open(folder, _DIR_FLAGS)
    try:
        for part in parts[:-1]:
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=current)
            except OSError:
                _remove(current, part)
                os.mkdir(part, 0o755, dir_fd=current)
                child = os.open(part, _DIR_FLAGS, dir_fd=current)
            os.close(current)
            current = child
        _remove(current, parts[-1])
        writer = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                         dir_fd=current)
        with os.fdopen(writer, "wb") as handle:
            handle.write(data)
    finally:
        os.close(current)


def write_files(files: dict[str, bytes], folder: Path) -> None:
    """Write an assignment's other files (relative paths → bytes) into ``folder``, replacing whatever a
    student left under those names (a symbolic link is replaced, never written through)."""
    for relative, data in files.items():
        write_file(folder, relative, data)
