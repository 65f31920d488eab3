"""Caps on a sandboxed kernel's processes and memory through Linux control groups, v1 and v2.

One kernel gets one group (``KernelGroup``): the sandbox writes the kernel's PID into ``procs_files``
before the kernel starts, reads ``memory_hit()`` after the run, and ``remove()`` kills what is left and
deletes the group. ``detect()`` picks the backend this host allows and says why when there is none:

- **cgroup v1** (``/sys/fs/cgroup/pids`` and ``/memory`` writable, typically as root on older hosts):
  a group under each controller, ``pids.max`` and ``memory.limit_in_bytes``; and where the ``cpu``
  controller is writable a third group with ``cpu.cfs_quota_us`` (the kernel's CPU share in cores) and
  ``cpu.shares`` (the same weight for every kernel when the CPUs are contended).
- **cgroup v2** (one unified hierarchy, current Ubuntu, Debian, Fedora and CI runners): a group under a
  subtree this process may write, ``pids.max``, ``memory.max`` and ``memory.swap.max``, and
  ``memory.events`` for whether the cap was hit; ``cpu.max`` and ``cpu.weight`` where the ``cpu``
  controller is offered. As root the subtree is ``/sys/fs/cgroup/autograder``.
  As an ordinary user it is the grader's own cgroup when it is *delegated* to that user (for example
  ``systemd-run --user --scope -p Delegate=yes python -m autograder grade ...``): v2 allows controllers
  only in groups without processes, so the grader first moves itself into a leaf ``autograder-grader``.

Where neither works the sandbox falls back to per-process ``prlimit`` caps and says so (``doctor``).
"""

import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PREFIX = "autograder-"
CONTROLLERS = ("memory", "pids")  # required: without them the sandbox falls back to prlimit
CPU_PERIOD_US = 100_000  # the CFS period the CPU quota is a share of


class CgroupError(RuntimeError):
    """A cgroup that should be writable refused a new group (grading must not go on without its caps)."""


def _write(path: Path, text: str) -> None:
    path.write_text(text)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _read_int(path: Path) -> int:
    try:
        return int(_read(path).strip() or 0)
    except ValueError:
        return 0


def _events(path: Path) -> dict[str, int]:
    """``memory.events``: lines of ``name count``."""
    out = {}
    for line in _read(path).splitlines():
        name, _, value = line.partition(" ")
        if value.strip().isdigit():
            out[name] = int(value)
    return out


def _kill_and_remove(folders: list[Path], kill_file: Path | None = None, seconds: float = 10.0) -> None:
    """Kill every process in ``folders`` (a fork bomb's survivors) and delete the folders.

    A group cannot be removed while the kernel still reaps its killed processes (EBUSY): wait for that,
    at most ``seconds``. Any other refusal ends the attempt (there is nothing a retry would change).
    """
    if kill_file is not None and kill_file.exists():
        try:
            _write(kill_file, "1")  # cgroup v2: the kernel kills every process in the group at once
        except OSError:
            pass
    deadline = time.monotonic() + seconds
    for folder in folders:
        delay = 0.002
        while True:
            for pid in _read(folder / "cgroup.procs").split():
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, PermissionError, ValueError):
                    pass
            try:
                folder.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError as error:
                if error.errno != errno.EBUSY or time.monotonic() > deadline:
                    break
                time.sleep(delay)
                delay = min(delay * 2, 0.05)


def _abandoned(folder: Path) -> bool:
    """A kernel's group (``autograder-<creator pid>-<id>``) that no process uses and whose creator is gone.
    A live grader's group may be empty for a moment, between its creation and its kernel's start: another
    batch's sweep must leave it alone."""
    if _read(folder / "cgroup.procs").strip():
        return False
    creator = folder.name.removeprefix(PREFIX).split("-")[0]
    return not (creator.isdigit() and _alive(int(creator)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class KernelGroup:
    """The cgroup(s) of one kernel."""

    procs_files: list[Path]  # write the kernel's PID into each
    memory_bytes: int
    version: int
    folders: list[Path]
    cpu_cores: float | None = None  # the CPU quota written, None where no cpu controller could be used

    def cpu_folder(self) -> Path | None:
        """The group's folder that holds its CPU settings (v1: the one under the cpu controller)."""
        if self.cpu_cores is None:
            return None
        if self.version == 2:
            return self.folders[0]
        return next((f for f in self.folders if f.parent.name.split(",")[0] in ("cpu", "cpu,cpuacct")), None)

    def memory_hit(self) -> bool:
        """Did the kernel reach its memory cap (the kernel OOM-killed it, or it ran into the cap)?"""
        if self.version == 2:
            events = _events(self.folders[0] / "memory.events")
            peak = _read_int(self.folders[0] / "memory.peak")  # Linux 5.19 and later
            return events.get("oom_kill", 0) > 0 or events.get("max", 0) > 0 or peak >= 0.9 * self.memory_bytes
        memory = next((f for f in self.folders if f.parent.name == "memory"), None)
        if memory is None:
            return False
        peak = _read_int(memory / "memory.max_usage_in_bytes")
        return _read_int(memory / "memory.failcnt") > 0 or peak >= 0.9 * self.memory_bytes

    def empty(self, seconds: float = 10.0) -> bool:
        """Kill every process in the group and wait (at most ``seconds``) until none is left; the group stays."""
        deadline = time.monotonic() + seconds
        kill = self.folders[0] / "cgroup.kill"
        if self.version == 2 and kill.exists():
            try:
                _write(kill, "1")
            except OSError:
                pass
        while True:
            left = [pid for folder in self.folders for pid in _read(folder / "cgroup.procs").split()]
            if not left:
                return True
            if time.monotonic() > deadline:
                return False
            for pid in left:
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, PermissionError, ValueError):
                    pass
            time.sleep(0.005)

    def remove(self) -> None:
        kill = self.folders[0] / "cgroup.kill" if self.version == 2 else None
        _kill_and_remove(self.folders, kill)


class V1:
    """cgroup v1: one group under the pids and one under the memory controller."""

    version = 1

    def __init__(self, root: Path = CGROUP_ROOT):
        self.root = Path(root)

    def unavailable(self) -> str | None:
        for controller in CONTROLLERS:
            base = self.root / controller
            if not (base / "cgroup.procs").exists():
                return f"no cgroup v1 {controller} controller at {base}"
            if not os.access(base, os.W_OK):
                return f"{base} is not writable by this user (uid {os.geteuid()})"
        return None

    def prepare(self) -> None:
        """Nothing to set up on v1."""

    def cpu_controller(self) -> bool:
        """Can kernels get a CPU quota here (a writable cpu controller)?"""
        base = self.root / "cpu"
        return (base / "cpu.cfs_quota_us").exists() and os.access(base, os.W_OK)

    def controllers(self) -> tuple[str, ...]:
        return CONTROLLERS + (("cpu",) if self.cpu_controller() else ())

    def create(self, name: str, memory_bytes: int, pids_max: int, cpu_cores: float | None = None) -> KernelGroup:
        folders = []
        use_cpu = cpu_cores is not None and self.cpu_controller()
        try:
            for controller in CONTROLLERS + (("cpu",) if use_cpu else ()):
                folder = self.root / controller / name
                folder.mkdir()
                folders.append(folder)
            _write(self.root / "pids" / name / "pids.max", str(pids_max))
            _write(self.root / "memory" / name / "memory.limit_in_bytes", str(memory_bytes))
            if use_cpu:
                _write(self.root / "cpu" / name / "cpu.cfs_period_us", str(CPU_PERIOD_US))
                _write(self.root / "cpu" / name / "cpu.cfs_quota_us", str(_quota_us(cpu_cores)))
                _write(self.root / "cpu" / name / "cpu.shares", "1024")  # every kernel the same weight
        except OSError as error:
            _kill_and_remove(folders, seconds=1)
            raise CgroupError(f"cannot create the cgroup {name} under {self.root}: {error}") from error
        return KernelGroup([f / "cgroup.procs" for f in folders], memory_bytes, 1, folders,
                           cpu_cores if use_cpu else None)

    def groups(self) -> set[Path]:
        """Every kernel group of this harness under the controllers it uses."""
        return {folder for controller in self.controllers() if (self.root / controller).is_dir()
                for folder in (self.root / controller).glob(f"{PREFIX}*")}

    def sweep(self) -> None:
        for folder in self.groups():
            if _abandoned(folder):
                _kill_and_remove([folder], seconds=0)


def _quota_us(cpu_cores: float) -> int:
    """A CPU share in cores as microseconds of CPU per ``CPU_PERIOD_US`` (at least 1 ms, the kernel's floor)."""
    return max(1000, round(cpu_cores * CPU_PERIOD_US))


def left_behind(backend: "V1 | V2", before: set[Path], creators: set[int]) -> set[Path]:
    """The kernel groups that exist now, did not before, and were created by one of ``creators`` (process
    ids; a group's name holds its creator's): what a batch's workers failed to remove."""
    found = set()
    for folder in backend.groups() - before:
        creator = folder.name.removeprefix(PREFIX).split("-")[0]
        if creator.isdigit() and int(creator) in creators:
            found.add(folder)
    return found


def own_cgroup(root: Path = CGROUP_ROOT, proc_self: Path = Path("/proc/self/cgroup")) -> Path | None:
    """This process's cgroup v2 folder (the ``0::`` line of /proc/self/cgroup)."""
    for line in _read(proc_self).splitlines():
        if line.startswith("0::"):
            return root / line[3:].strip().lstrip("/")
    return None


class V2:
    """cgroup v2: kernel groups under ``base``, a subtree this process may write."""

    version = 2

    def __init__(self, root: Path = CGROUP_ROOT, base: Path | None = None, euid: int | None = None,
                 proc_self: Path = Path("/proc/self/cgroup")):
        self.root = Path(root)
        self.euid = os.geteuid() if euid is None else euid
        self.proc_self = proc_self
        if base is None:
            base = self.root / "autograder" if self.euid == 0 else own_cgroup(self.root, proc_self)
        self.base = base

    def unavailable(self) -> str | None:
        if not (self.root / "cgroup.controllers").exists():
            return f"{self.root} is not a cgroup v2 (unified) hierarchy"
        if self.base is None:
            return "this process is in no cgroup v2 group"
        parent = self.root if self.euid == 0 else self.base
        offered = _read(parent / "cgroup.controllers").split()
        missing = [c for c in CONTROLLERS if c not in offered]
        if missing:
            return f"the cgroup {parent} does not offer the {' and '.join(missing)} controller(s)"
        if not os.access(parent, os.W_OK) or not os.access(parent / "cgroup.subtree_control", os.W_OK):
            return (f"the cgroup {parent} is not delegated to this user (uid {self.euid}); run the grader in a "
                    "delegated scope: systemd-run --user --scope -p Delegate=yes python -m autograder ...")
        return None

    def controllers(self) -> tuple[str, ...]:
        """The required controllers, and cpu where the parent offers it."""
        parent = self.root if self.euid == 0 else self.base
        offered = _read(parent / "cgroup.controllers").split() if parent is not None else []
        return CONTROLLERS + (("cpu",) if "cpu" in offered else ())

    def prepare(self) -> None:
        """Make ``base`` a parent that hands the memory, pids (and cpu) controllers to its children."""
        wanted = self.controllers()
        enable = " ".join(f"+{c}" for c in wanted)
        try:
            if self.euid == 0:
                if not set(wanted) <= set(_read(self.root / "cgroup.subtree_control").split()):
                    _write(self.root / "cgroup.subtree_control", enable)
                self.base.mkdir(exist_ok=True)
            elif not set(wanted) <= set(_read(self.base / "cgroup.subtree_control").split()):
                # v2's rule: a group with processes cannot enable controllers for children. Move the
                # processes of our own (delegated) group into a leaf of it first.
                leaf = self.base / f"{PREFIX}grader"
                leaf.mkdir(exist_ok=True)
                for pid in _read(self.base / "cgroup.procs").split():
                    _write(leaf / "cgroup.procs", pid)
            if not set(wanted) <= set(_read(self.base / "cgroup.subtree_control").split()):
                _write(self.base / "cgroup.subtree_control", enable)
        except OSError as error:
            raise CgroupError(f"cannot hand the memory and pids controllers to groups under {self.base}: {error}"
                              ) from error

    def create(self, name: str, memory_bytes: int, pids_max: int, cpu_cores: float | None = None) -> KernelGroup:
        folder = self.base / name
        use_cpu = cpu_cores is not None and "cpu" in _read(self.base / "cgroup.subtree_control").split()
        try:
            folder.mkdir()
            _write(folder / "pids.max", str(pids_max))
            _write(folder / "memory.max", str(memory_bytes))
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", "0")  # the cap is on memory, not memory plus swap
            if use_cpu:
                _write(folder / "cpu.max", f"{_quota_us(cpu_cores)} {CPU_PERIOD_US}")
                _write(folder / "cpu.weight", "100")  # every kernel the same weight
        except OSError as error:
            _kill_and_remove([folder], seconds=1)
            raise CgroupError(f"cannot create the cgroup {folder}: {error}") from error
        return KernelGroup([folder / "cgroup.procs"], memory_bytes, 2, [folder], cpu_cores if use_cpu else None)

    def groups(self) -> set[Path]:
        """Every kernel group of this harness under ``base`` (not the grader's own leaf)."""
        if not (self.base and self.base.is_dir()):
            return set()
        return {folder for folder in self.base.glob(f"{PREFIX}*") if folder.name != f"{PREFIX}grader"}

    def sweep(self) -> None:
        for folder in self.groups():
            if _abandoned(folder):
                _kill_and_remove([folder], seconds=0)


def detect(root: Path = CGROUP_ROOT) -> tuple[V1 | V2 | None, str]:
    """The backend this host allows (prepared for use), or None and the reason there is none."""
    if (Path(root) / "cgroup.controllers").exists():
        backend: V1 | V2 = V2(root)
    else:
        backend = V1(root)
    reason = backend.unavailable()
    if reason is not None:
        return None, reason
    try:
        backend.prepare()
    except CgroupError as error:
        return None, str(error)
    return backend, f"cgroup v{backend.version}"
