"""A checkout the hub's users cannot enter, made reachable: a read-only bind mount for the trial's life.

The hub's users run the course's code (``.hub/python``, ``.venv``'s packages, ``coursetools``) as their own
accounts. A clone under a folder closed to other accounts (``/root``, mode 0700, where CI may clone) cannot be
run by them, so ``up`` (as root) binds the checkout, read-only, onto ``/srv/dlcourse-hub/<name>-<hash>``
and every path the users are given names that place (``Reach.seen``); root keeps writing through the
checkout's own path (``Reach.repo``). ``unmount`` undoes it when the hub stops.
"""

import hashlib
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coursetools.hub_config import HubPaths, SetupError, readable_by_all

BASE = Path("/srv/dlcourse-hub")


@dataclass(frozen=True)
class Reach:
    """Where the checkout is (``repo``, writable by root) and where the hub's users see it (``seen``: the
    same folder unless it is bind-mounted there)."""

    repo: Path
    seen: Path

    @property
    def mounted(self) -> bool:
        return self.seen != self.repo

    def paths(self, state: Path) -> HubPaths:
        """The trial's paths: the users' view of the checkout, root's own as ``origin`` when they differ."""
        return HubPaths(self.seen, state, self.repo if self.mounted else None)


def mount_point(repo: Path, base: Path = BASE) -> Path:
    """``base/<folder name>-<hash of the full path>``: one place per checkout, two clones never collide."""
    digest = hashlib.sha256(str(repo).encode()).hexdigest()[:10]
    return base / f"{repo.name}-{digest}"


def plan(repo: Path, packages: Path | None = None, readable: Callable[[Path], bool] = readable_by_all,
         base: Path = BASE) -> Reach:
    """Where the users will see ``repo``: itself when they can read its code and ``packages`` (the course
    environment's site-packages), else a mount point under ``base``. A ``packages`` outside the checkout
    that they cannot read is refused with a sentence (a mount of the checkout would not reach it)."""
    repo = Path(repo).resolve()
    packages = Path(packages or sysconfig.get_paths()["purelib"]).resolve()
    needed = (repo / "autograder", repo / "coursetools", packages)
    if all(readable(path) for path in needed):
        return Reach(repo, repo)
    if not packages.is_relative_to(repo) and not readable(packages):
        raise SetupError(f"the course's packages ({packages}) lie outside the checkout, in a folder the students' "
                         f"accounts cannot enter: build the environment inside the checkout (`make setup` makes "
                         f"{repo / '.venv'}) or under a folder every account can enter")
    return Reach(repo, mount_point(repo, base))


def is_mount(path: Path) -> bool:
    """Whether ``path`` is a mount point, bind mounts of the same file system included (which
    ``os.path.ismount`` misses: the folder and its parent share a device)."""
    try:
        with open("/proc/self/mounts") as handle:
            points = {line.split()[1].encode().decode("unicode_escape") for line in handle if line.strip()}
    except OSError:
        return os.path.ismount(path)
    return str(path) in points


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    return "" if done.returncode == 0 else (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"


def mount(reach: Reach) -> None:
    """Bind ``reach.repo`` read-only onto ``reach.seen`` (as root; once: an existing mount is kept)."""
    if not reach.mounted or is_mount(reach.seen):
        return
    if os.geteuid() != 0:
        raise SetupError(f"{reach.repo} cannot be entered by other accounts and only root can bind it onto "
                         f"{reach.seen}: run as root, or clone the course under a folder every account can enter")
    for folder in [*reversed(reach.seen.parents), reach.seen]:
        if not folder.exists():
            folder.mkdir(mode=0o755)
            folder.chmod(0o755)
    for command in (["mount", "--bind", str(reach.repo), str(reach.seen)],
                    ["mount", "-o", "remount,bind,ro", str(reach.seen)]):
        problem = _run(command)
        if problem:
            unmount(reach)
            raise SetupError(f"could not bind {reach.repo} onto {reach.seen} ({' '.join(command)}: {problem}): "
                             "clone the course under a folder every account can enter (not under /root)")
    if not readable_by_all(reach.seen / "autograder"):
        unmount(reach)
        raise SetupError(f"{reach.repo} itself is closed to other accounts (its mode): `chmod o+rx {reach.repo}` "
                         "or clone it again under a folder every account can enter")


def unmount(reach: Reach) -> None:
    """Undo ``mount``: unbind (lazily if a process still holds it) and remove the empty mount point."""
    if not reach.mounted:
        return
    if is_mount(reach.seen) and _run(["umount", str(reach.seen)]):
        problem = _run(["umount", "--lazy", str(reach.seen)])
        if problem:
            print(f"could not unbind {reach.seen} ({problem}): `umount {reach.seen}` as root", file=sys.stderr)
            return
    try:
        reach.seen.rmdir()
    except OSError:
        pass
