"""Kernels forked from a template (``c.Autograder.sandbox = "template"``): the start-up is paid once per worker.

A fresh kernel pays the interpreter, ipykernel and the given code's imports (about 0.45 core-s for numpy,
matplotlib and the course's helpers, 1.2 s more for torch) every time. Here each worker process starts,
per settings, one *template* (``autograder.run.zygote``) in a bubblewrap sandbox of its own, before any
student file exists; it imports those modules once (and those the reference's cells imported lazily,
``autograder.run.reference``: ``torch._dynamo`` at the first optimiser step) and forks one kernel per
run. What a forked kernel gets (``autograder.run.zygote`` does it before any student code):

- namespaces of its own: mount (a fresh ``/tmp`` and ``/dev/shm``, only its own work folder and socket
  folder and, read-only, the installation's folders under ``/tmp``; every other kernel's folder is
  hidden), PID (a fresh ``/proc`` showing its own processes: the template and the other kernels cannot
  be named, signalled, traced or read), network (no interface up), IPC and UTS; the user namespace is
  the template's, where no further one can be made (``--disable-userns``);
- its own cgroup (memory, processes, CPU), created here and entered before any student code: the kernel
  reports itself over a socket pair, and its PID is read from the socket's credentials
  (``SCM_CREDENTIALS``, translated by Linux into the grader's PID namespace);
- every capability dropped (the template keeps ``CAP_SYS_ADMIN`` in its user namespace to build the
  kernels' namespaces; the kernels keep none), ``no_new_privs``, the seccomp filter, the same rlimits
  as a kernel of the ``bwrap`` backend, every inherited descriptor closed;
- fresh seeds (``random``, numpy, torch) and its own ipykernel sockets, event loop and zmq context.

What differs from ``bwrap``'s kernels, measured and tested (tests/harness/test_template.py): the
template's sandbox sees the host's ``/proc`` read-only (Linux mounts a fresh ``/proc`` for a kernel's
PID namespace only where a complete one is visible; bubblewrap's own ``/proc`` has locked read-only
overmounts), covered by the kernel's own ``/proc`` before any student code; the loopback interface is
down (the kernel talks to the grader over Unix sockets); the hash seed (``PYTHONHASHSEED``) is the
template's, shared by its kernels; and the modules the template imported are the template's (a
monkeypatch dies with its kernel: the next kernel is forked from the unpatched template).

The work folders live under one short folder per worker process (``slots``), bound into every template
of that worker as a shared mount, so that the capped tmpfs the grader mounts on a new kernel's folder
reaches the template's mount namespace without restarting it.
"""

import array
import json
import multiprocessing.util
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import run_sync

from autograder.core.config import THREAD_ENV, Limits
from autograder.run import sandbox, seccomp, workfolder
from autograder.run.zygote import FD_ENV, READ_ONLY_ENV

MS_BIND, MS_SHARED, MS_REC = 4096, 1 << 20, 16384
READY_SECONDS = 60.0  # for the template to import its modules, and for a forked kernel to report


class ForkedProcess:
    """A kernel forked by a template, as jupyter_client's provisioner and ``sandbox.Kernel`` see a process:
    ``pid`` (in the grader's PID namespace), ``poll``, ``wait``, ``kill``, ``send_signal``. Not the grader's
    child: its end is read from a pidfd."""

    def __init__(self, pid: int):
        self.pid = pid
        self._fd: int | None = os.pidfd_open(pid)
        self.returncode: int | None = None
        self.stdout = self.stderr = self.stdin = None

    def poll(self) -> int | None:
        if self._fd is not None and select.select([self._fd], [], [], 0)[0]:
            os.close(self._fd)
            self._fd, self.returncode = None, -signal.SIGKILL  # not our child: its status cannot be read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self._fd is not None and not select.select([self._fd], [], [], timeout)[0]:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self._fd is not None:
            try:
                signal.pidfd_send_signal(self._fd, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class TemplateProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner whose launch forks the kernel from a template instead of
    running a command."""

    template: "Template"
    request: dict

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        self.process = self.template.fork({**self.request, "connection_file": cmd[-1]})
        self.pid, self.pgid = self.process.pid, None
        self.cwd = kwargs.get("cwd")
        return self.connection_info


_SLOTS: dict[int, Path] = {}  # by process id


def slots() -> Path:
    """This process's folder of kernel folders: short (a Unix socket's path holds 107 bytes), a shared
    mount, so that what the grader mounts under it later reaches every template's sandbox."""
    if os.getpid() not in _SLOTS:
        folder = Path(tempfile.mkdtemp(prefix=f"ag-t{os.getpid()}-", dir="/tmp"))
        folder.chmod(0o755)
        _libc_mount(folder, folder, MS_BIND)
        _libc_mount(None, folder, MS_SHARED)
        multiprocessing.util.Finalize(None, _remove_slots, args=(folder,), exitpriority=5)
        _SLOTS[os.getpid()] = folder
    return _SLOTS[os.getpid()]


def _libc_mount(source: Path | None, target: Path, flags: int) -> None:
    result = workfolder._LIBC.mount(None if source is None else os.fsencode(source), os.fsencode(target), None,
                                    flags, None)
    if result != 0:
        import ctypes

        error = ctypes.get_errno()
        raise sandbox.SandboxUnavailable(f"the template backend cannot mount {target} ({os.strerror(error)}); it "
                                         "needs root (or CAP_SYS_ADMIN): use c.Autograder.sandbox = 'bwrap'")


def _remove_slots(folder: Path) -> None:
    workfolder.unmount(folder)
    shutil.rmtree(folder, ignore_errors=True)


def sweep_slots(alive=None) -> list[Path]:
    """Unmount and remove the ``slots`` folders (``/tmp/ag-t<creator pid>-...``) whose grader is gone (a
    killed grader leaves them mounted); the kernel folders in them go with ``workfolder.sweep``."""
    from autograder.run.cgroups import _alive

    alive = alive or _alive
    workfolder.sweep(alive)
    swept = []
    for folder, _ in workfolder.mounts():
        creator = folder.name.removeprefix("ag-t").split("-")[0]
        if folder.parent == Path("/tmp") and folder.name.startswith("ag-t") and creator.isdigit() \
                and not alive(int(creator)) and folder not in swept:
            _remove_slots(folder)
            swept.append(folder)
    return swept


def template_argv(slots_folder: Path, env: dict[str, str], limits: Limits, group,
                  read_only: list[Path] | None = None) -> list[str]:
    """The template's sandbox: a kernel's (``sandbox.sandboxed_argv``) with three changes, each needed to
    build the kernels' namespaces and undone in every kernel before student code: ``CAP_SYS_ADMIN`` kept in
    its user namespace, the host's ``/proc`` read-only in place of its own, no seccomp filter and no CPU-time
    cap on the template itself (the kernels set their own); and ``slots`` bound read-write."""
    argv = sandbox.sandboxed_argv(slots_folder, env, limits, group, [sys.executable, "-m", "autograder.run.zygote"],
                                  sandbox.Binds(read_only))
    out, skip = [], 0
    for index, arg in enumerate(argv):
        if skip:
            skip -= 1
            continue
        if arg == "--proc":
            out += ["--ro-bind", "/proc", "/proc"]
            skip = 1
        elif arg == "--seccomp":
            skip = 1
        elif arg == "--cap-drop":
            out += ["--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN"]
            skip = 1
        elif arg.startswith("--cpu="):
            continue
        elif index == 2 and " 9< " in arg:  # the shell line that opened the seccomp filter for bubblewrap
            out.append(arg.split(" 9< ")[0])
        else:
            out.append(arg)
    return out


def kernel_rlimits(limits: Limits) -> dict[str, int]:
    """The caps ``prlimit`` gives a ``bwrap`` kernel, set by the forked kernel on itself."""
    return {"RLIMIT_CPU": int(limits.notebook_seconds) + 30, "RLIMIT_NOFILE": limits.open_files,
            "RLIMIT_FSIZE": limits.file_bytes, "RLIMIT_CORE": 0}


class Template:
    """One template process (``autograder.run.zygote``) for one set of settings, and its control socket."""

    def __init__(self, env: dict[str, str], limits: Limits, packages: tuple[str, ...] | None = None):
        self.limits = limits
        installed = sandbox.python_dirs(packages=packages)
        self.slots = slots()
        self.group, _ = sandbox.prepare(self.slots, limits, fresh=False)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        bpf = seccomp.filter_file() if sandbox.features().get("seccomp") else None
        inner = {**env, FD_ENV: str(theirs.fileno()), "AUTOGRADER_TEMPLATE_BPF": str(bpf or ""),
                 READ_ONLY_ENV: json.dumps([str(folder) for folder in installed])}
        argv = template_argv(self.slots, inner, limits, self.group, installed)
        if bpf is not None:  # the filter file, read by the template, applied by each kernel
            argv = _with_bind(argv, bpf)
        started = time.perf_counter()
        log = os.environ.get("AUTOGRADER_TEMPLATE_LOG")  # for a maintainer: the template's and kernels' stderr
        errors = open(log, "ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(argv, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=errors, env={**os.environ, **THREAD_ENV})
        theirs.close()
        ready = select.select([ours], [], [], READY_SECONDS)[0] and ours.recv(16) == b"ready"
        self.start_seconds = time.perf_counter() - started
        if not ready:
            self.close()
            raise RuntimeError(f"the template kernel did not start within {READY_SECONDS:g} s")

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, request: dict) -> ForkedProcess:
        """A kernel forked for ``request`` (its folders, connection file), in its own cgroup, holding at its
        go; returns once it runs."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        group = request.pop("group", None)
        try:
            descriptor = array.array("i", [theirs.fileno()]).tobytes()
            self.control.sendmsg([json.dumps(request).encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, descriptor)])
            theirs.close()
            if not select.select([ours], [], [], READY_SECONDS)[0]:
                raise RuntimeError(f"a kernel forked from the template did not report within {READY_SECONDS:g} s")
            message, ancillary, _, _ = ours.recvmsg(16, socket.CMSG_SPACE(12))
            pid = next((int.from_bytes(data[:4], "little") for level, kind, data in ancillary
                        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS), None)
            if message != b"ready" or not pid:
                raise RuntimeError("a kernel forked from the template ended before it started")
            process = ForkedProcess(pid)
            for procs in group.procs_files if group is not None else []:
                Path(procs).write_text(str(pid))  # before any student code: it waits for our go
            ours.sendall(b"go")
            return process
        finally:
            ours.close()

    def close(self) -> None:
        try:
            self.control.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self.group is not None:
            self.group.remove()


def _with_bind(argv: list[str], path: Path) -> list[str]:
    at = argv.index("--chdir")
    return argv[:at] + ["--ro-bind", str(path), str(path)] + argv[at:]


_TEMPLATES: dict[int, dict] = {}  # by process id: settings -> Template


def template_for(env: dict[str, str], limits: Limits, packages: tuple[str, ...] | None = None) -> Template:
    """This process's live template for these settings (a template for other settings is closed: a worker
    grades one assignment at a time)."""
    mine = _TEMPLATES.setdefault(os.getpid(), {})
    key = (tuple(sorted(env.items())), limits, packages)
    found = mine.get(key)
    if found is not None and found.alive():
        return found
    for other in list(mine.values()):
        other.close()
    mine.clear()
    if not mine:
        multiprocessing.util.Finalize(None, close_templates, exitpriority=6)
    mine[key] = Template(env, limits, packages)
    return mine[key]


def close_templates() -> None:
    for template in _TEMPLATES.pop(os.getpid(), {}).values():
        template.close()


def launch(folder: Path, env: dict[str, str], limits: Limits, owns_folder: bool = False,
           packages: tuple[str, ...] | None = None) -> sandbox.Kernel:
    """A kernel forked from this process's template for ``env``, ``limits`` and ``packages`` (those it may
    import besides the harness: ``sandbox.python_dirs``), working in ``folder`` (made under ``slots()``);
    returns once it runs, without waiting for ipykernel to answer."""
    begin = time.perf_counter()
    template = template_for(env, limits, packages)
    group, mounted = sandbox.prepare(folder, limits, owns_folder)
    sockets = Path(tempfile.mkdtemp(prefix="s-", dir=template.slots))
    os.chmod(sockets, 0o777)
    specs = folder / ".kernel"
    specs.mkdir(exist_ok=True)
    (specs / "template").mkdir(exist_ok=True)
    (specs / "template" / "kernel.json").write_text(json.dumps({
        "argv": ["autograder-template", "{connection_file}"], "display_name": "forked Python",
        "language": "python", "interrupt_mode": "message"}))
    manager = AsyncKernelManager(kernel_name="template", transport="ipc", ip=str(sockets / "k"),
                                 kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
                                 connection_file=str(specs / "connection.json"),
                                 client_class="autograder.run.sandbox.ReadyClient")
    provisioner = TemplateProvisioner(kernel_id=manager.kernel_id or os.urandom(8).hex(),
                                      kernel_spec=manager.kernel_spec, parent=manager)
    manager.kernel_id = provisioner.kernel_id
    provisioner.template = template
    fonts = sandbox.font_cache()
    provisioner.request = {"folder": str(folder), "sockets": str(sockets), "group": group,
                           "fonts": f"/tmp/matplotlib/{fonts.name}" if fonts else None,
                           "tmp_bytes": limits.disk_bytes, "rlimits": kernel_rlimits(limits)}
    manager.provisioner = provisioner
    kernel = sandbox.Kernel(folder, manager, group, limits, 0.0, owns_folder, sockets, mounted)
    try:
        run_sync(manager.start_kernel)(cwd=str(folder))
    except Exception:
        kernel.close()
        raise
    kernel.set_up = time.perf_counter() - begin
    return kernel
