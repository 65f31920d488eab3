"""A kernel's work folder with a cap on its size and its number of files: a tmpfs mounted on the folder.

A student who fills the disk or creates a million files must meet a limit of their own, not the grading
host's disk. Where the grader may mount (root, or ``CAP_SYS_ADMIN``, as on CI and this course's
machines), ``mount`` puts a tmpfs of ``Limits.disk_bytes`` and ``Limits.disk_files`` inodes on the
kernel's folder before anything is copied in; the sandbox binds that folder as the kernel's only
writable one, and ``unmount`` detaches it when the kernel is closed. Its pages count in the kernel's
memory cgroup too. An ordinary user cannot mount: the folder stays a plain folder, each file is still
capped by ``prlimit --fsize``, and ``doctor`` says the folder's cap is absent. (bubblewrap's own
``--size`` tmpfs would need no privilege, but the grader could then neither fill the folder before the
kernel starts nor read it after it is dead: it is given to the private /tmp instead.)

``full`` reads the mounted folder after a run and says which cap was reached, for the submission's reason.
"""

import ctypes
import ctypes.util
import os
from pathlib import Path

MS_NOSUID, MS_NODEV = 2, 4
MNT_DETACH = 2
_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def mount(folder: Path, size_bytes: int, files: int) -> str | None:
    """Mount a capped tmpfs on the empty ``folder``; None when done, else why it could not be."""
    options = f"size={int(size_bytes)},nr_inodes={int(files)},mode=0755".encode()
    if _LIBC.mount(b"tmpfs", os.fsencode(folder), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        error = ctypes.get_errno()
        return f"mounting a tmpfs failed: {os.strerror(error)}"
    return None


def unmount(folder: Path) -> None:
    """Detach the tmpfs from ``folder`` (its files go with it). Never raises."""
    _LIBC.umount2(os.fsencode(folder), MNT_DETACH)


def mounts() -> list[tuple[Path, str]]:
    """This process's mount points, each with its line of ``/proc/self/mountinfo`` (none when unreadable)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    return [(Path(line.split()[4].encode().decode("unicode_escape")), line) for line in lines
            if len(line.split()) > 4]


def sweep(alive=None) -> list[Path]:
    """Unmount the capped work folders (``kernel-<creator pid>-...``) whose grader is gone (a killed grader
    leaves them, holding the files its kernels wrote) and remove them; returns the folders swept."""
    from autograder.run.cgroups import _alive

    alive = alive or _alive
    swept = []
    for folder, line in mounts():
        if " - tmpfs " not in line:
            continue
        parts = folder.name.split("-")
        if len(parts) >= 3 and parts[0] == "kernel" and parts[1].isdigit() and not alive(int(parts[1])):
            unmount(folder)
            try:
                folder.rmdir()
            except OSError:
                pass
            swept.append(folder)
    return swept


def full(folder: Path, size_bytes: int, files: int) -> str | None:
    """Which cap of the mounted ``folder`` a run reached, as a sentence, or None."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    if info.f_ffree == 0:
        return f"the kernel's work folder reached its cap of {files} files"
    if info.f_bavail * info.f_frsize < 64 << 10:
        return f"the kernel's work folder reached its cap of {size_bytes / (1 << 20):g} MiB"
    return None


def can_mount(scratch: Path) -> str | None:
    """None when this process may mount a capped work folder (tried for real), else why not."""
    import tempfile

    probe = Path(tempfile.mkdtemp(prefix="autograder-mount-", dir=scratch))
    try:
        why = mount(probe, 1 << 20, 16)
        if why is None:
            unmount(probe)
        return why
    finally:
        try:
            probe.rmdir()
        except OSError:
            pass
