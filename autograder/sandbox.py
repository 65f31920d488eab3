"""Run a student's kernel in a bubblewrap sandbox.

What the kernel gets: its own user, PID, IPC, UTS and network namespaces (no network at all, only its own
loopback); every capability dropped; a read-only view of the system, the Python environment and the
course's two packages; a private /tmp; and write access to one throwaway folder holding a copy of that
student's files. It cannot see ``source/``, the gradebook, the reference values, other students or the
instructor's home, and it cannot signal the grader. It talks to the grader over Unix sockets in its
folder (IPC transport: TCP would need a shared network namespace).

Limits: a cgroup per kernel caps processes (fork bombs) and memory where cgroups can be written;
``prlimit`` caps CPU seconds, open files, file size and core dumps (and address space when there is no
memory cgroup); the caller's watchdog caps wall-clock time per cell and per notebook.
"""

import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.execute import CRASHED, MEMORY, THREAD_ENV, TIMEOUT, Limits, Run, run_notebook

NONE, BWRAP = "none", "bwrap"
CGROUP_ROOT = Path("/sys/fs/cgroup")
MEMORY_BYTES = 2 << 30  # per kernel; the course's notebooks peak well under 1 GiB
PIDS_MAX = 128
OPEN_FILES = 512
FILE_BYTES = 256 << 20


class SandboxUnavailable(RuntimeError):
    """Grading was asked to sandbox kernels, and it cannot here."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def require(mode: str) -> None:
    """Refuse to grade when the sandbox is asked for and missing (the message says how to fix it)."""
    if mode == NONE:
        return
    if mode != BWRAP:
        raise ValueError(f"unknown sandbox {mode!r}")
    if bwrap_path() is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be isolated. Install it "
            "(Debian/Ubuntu: apt-get install bubblewrap; `make setup` does this when run as root), or pass "
            "--unsafe-no-sandbox to grade without isolation (only for code you trust).")


def _cgroup(controller: str, name: str) -> Path | None:
    """Create ``name`` under a writable cgroup-v1 controller; None where the machine has no such
    controller. Fails closed: a controller that exists but refuses a new group raises, rather than
    letting a kernel run without its cap."""
    base = CGROUP_ROOT / controller
    if not (base / "cgroup.procs").exists() or not os.access(base, os.W_OK):
        return None
    path = base / name
    try:
        path.mkdir()
    except OSError as error:
        raise SandboxUnavailable(f"cannot create the {controller} cgroup {path}: {error}") from error
    return path


def sweep_stale_cgroups() -> None:
    """Remove this harness's cgroups that no process uses any more (left by a killed grader)."""
    for controller in ("pids", "memory"):
        base = CGROUP_ROOT / controller
        for path in base.glob("autograder-*") if base.is_dir() else []:
            try:
                if not (path / "cgroup.procs").read_text().strip():
                    path.rmdir()
            except OSError:
                pass


def _cleanup_cgroup(path: Path | None) -> None:
    """Kill whatever still runs in the cgroup (a fork bomb's survivors) and remove it."""
    if path is None:
        return
    for _ in range(500):  # up to ~10 s: a fork bomb's many processes take a while to be reaped
        try:
            pids = (path / "cgroup.procs").read_text().split()
        except OSError:
            return
        for pid in pids:
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            path.rmdir()
            return
        except OSError:
            time.sleep(0.02)  # killed processes leave the cgroup once the kernel has reaped them


def _read_int(path: Path) -> int:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return 0


def _package_dirs() -> list[Path]:
    """The course's packages (installed editable, so outside site-packages)."""
    root = Path(__file__).resolve().parent.parent
    return [root / "autograder", root / "dlcourse"]


def kernel_argv(scratch: Path, env: dict[str, str], limits: Limits, cgroups: list[Path]) -> list[str]:
    """The command that starts an ipykernel inside the sandbox (``{connection_file}`` is filled by
    jupyter_client)."""
    venv, base = Path(sys.prefix), Path(sys.base_prefix)
    binds = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
             "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
             "--ro-bind-try", "/etc/localtime", "/etc/localtime",
             "--ro-bind-try", "/etc/fonts", "/etc/fonts",
             "--ro-bind", str(base), str(base)]
    if venv != base:
        binds += ["--ro-bind", str(venv), str(venv)]
    for folder in _package_dirs():
        binds += ["--ro-bind", str(folder), str(folder)]
    inner_env = {"HOME": "/tmp", "PATH": f"{venv}/bin:/usr/bin:/bin", "MPLCONFIGDIR": "/tmp/matplotlib",
                 "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", **THREAD_ENV, **env}
    setenv = [arg for key, value in inner_env.items() for arg in ("--setenv", key, value)]
    caps = [f"--cpu={int(limits.notebook_seconds) + 30}", f"--nofile={OPEN_FILES}", f"--fsize={FILE_BYTES}",
            "--core=0"]
    if not any("memory" in str(group) for group in cgroups):
        caps.append(f"--as={MEMORY_BYTES * 2}")
    # the private /tmp is mounted first: a later mount would hide binds under /tmp (a checkout or a
    # scratch folder there)
    bwrap = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
             "--uid", "65534", "--gid", "65534", "--tmpfs", "/tmp", *binds, "--proc", "/proc", "--dev", "/dev",
             "--bind", str(scratch), str(scratch), "--chdir", str(scratch), "--clearenv", *setenv,
             "--", "/usr/bin/prlimit", *caps, "--",
             sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    enter = " ".join(f"echo $$ > {group}/cgroup.procs &&" for group in cgroups)
    return ["/bin/sh", "-c", f'{enter} exec "$@"', "sandbox", *bwrap]


def run(notebook: nbformat.NotebookNode, scratch: Path, env: dict[str, str], limits: Limits,
        mode: str = BWRAP) -> Run:
    """Execute ``notebook`` with ``scratch`` as its working folder, sandboxed unless ``mode`` is "none"."""
    if mode == NONE:
        return run_notebook(notebook, scratch, env=env, limits=limits)
    require(mode)
    name = f"autograder-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    pids = _cgroup("pids", name)
    memory = _cgroup("memory", name)
    if pids is not None:
        (pids / "pids.max").write_text(str(PIDS_MAX))
    if memory is not None:
        (memory / "memory.limit_in_bytes").write_text(str(MEMORY_BYTES))
    groups = [group for group in (pids, memory) if group is not None]
    specs = scratch / ".kernel"
    specs.mkdir(exist_ok=True)
    spec_dir = specs / "sandbox"
    spec_dir.mkdir(exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": kernel_argv(scratch, env, limits, groups), "display_name": "sandboxed Python",
        "language": "python", "interrupt_mode": "message"}))
    # async: nbclient polls with the manager's client; a blocking client would hang on a dead kernel
    manager = AsyncKernelManager(kernel_name="sandbox", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
                            transport="ipc", ip=str(specs / "ipc"),
                            connection_file=str(specs / "connection.json"))
    try:
        result = run_notebook(notebook, scratch, env=None, limits=limits, km=manager)
        # under load a kernel may crawl towards the cap (or thrash at it) until a time limit ends it
        peak = _read_int(memory / "memory.max_usage_in_bytes") if memory is not None else 0
        hit = memory is not None and (_read_int(memory / "memory.failcnt") > 0 or peak >= 0.9 * MEMORY_BYTES)
        if hit and result.status in (CRASHED, TIMEOUT):
            result.status = MEMORY
            result.reason = f"the kernel was stopped at the {MEMORY_BYTES >> 30} GiB memory limit " \
                            f"({result.reason})"
        return result
    finally:
        try:
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)
        except Exception:
            pass
        for group in groups:
            _cleanup_cgroup(group)
