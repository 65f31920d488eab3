"""Run a student's kernel in a bubblewrap sandbox.

What the kernel gets: its own user, PID, IPC, UTS and network namespaces (no network at all, only its own
loopback); every capability dropped; a read-only view of the system, the Python environment, the harness,
the packages ``c.Autograder.kernel_packages`` names and every other folder on the search path the kernel's
interpreter reports (a second site-packages a ``.pth`` file adds; never a course root, ``python_dirs``); a
private /tmp; and write access to one throwaway folder holding a copy of
that student's files. It cannot see ``source/``, the gradebook, the reference values, other students or
the instructor's home, and it cannot signal the grader. It talks to the grader over Unix sockets in a
short folder of its own under /tmp, bound read-write (IPC transport: TCP would need a shared network
namespace; a socket's path holds at most 107 bytes, which a deep work directory would exceed).

Limits: a cgroup per kernel caps processes (fork bombs), memory and its share of the CPUs where this
host lets the grader write cgroups, v1 or v2 (``autograder.run.cgroups``); elsewhere ``prlimit`` caps
processes (``--nproc``, counted inside the sandbox's own user namespace; Linux exempts root's processes,
so as root without cgroups there is no process cap) and address space (``--as``) instead, and ``doctor``
and ``grade`` say so. ``prlimit`` always caps CPU seconds, open files, file size and core dumps; the
caller's watchdog caps wall-clock time per cell and per notebook. The work folder is a tmpfs capped in
size and files where the grader may mount one (``autograder.run.workfolder``), the private /tmp a tmpfs of the
same size. Where the installed bubblewrap has them (0.8 and later): no user namespace can be made inside
(``--disable-userns``) and a seccomp filter (``autograder.run.seccomp``) denies the system calls a notebook
never needs.
"""

import importlib.util
import json
import multiprocessing.util
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.core.config import DEFAULTS, THREAD_ENV, Limits
from autograder.core.errors import UserError
from autograder.core.status import Status
from autograder.run import cgroups, processes, seccomp, workfolder
from autograder.run.backends import SandboxMode
from autograder.run.execute import Run, run_notebook

NONE, BWRAP = SandboxMode.NONE, SandboxMode.BWRAP


class SandboxUnavailable(UserError):
    """Grading was asked to sandbox kernels, and it cannot here."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


_BACKEND: list = []  # (backend or None, why) once per process
_FEATURES: dict[str, bool] = {}


def features() -> dict[str, bool]:
    """Which of bubblewrap's newer options the installed one has (read from ``bwrap --help`` once)."""
    if not _FEATURES and bwrap_path() is not None:
        try:
            text = subprocess.run([bwrap_path(), "--help"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            text = ""
        _FEATURES.update({"size": "--size" in text, "disable-userns": "--disable-userns" in text,
                          "seccomp": "--seccomp" in text})
    return _FEATURES


def cgroup_backend() -> tuple[cgroups.V1 | cgroups.V2 | None, str]:
    """This process's cgroup backend (detected and prepared once), or None and why there is none."""
    if not _BACKEND:
        _BACKEND.append(cgroups.detect())
    return _BACKEND[0]


def caps_summary(limits: Limits = DEFAULTS) -> str:
    """One line: how processes, memory and CPU of a kernel are capped on this host."""
    backend, why = cgroup_backend()
    if backend is not None:
        cpu = (f", CPU ≤ {limits.cpu_cores:g} core" if "cpu" in backend.controllers()
               else ", no CPU share (no writable cpu controller)")
        return (f"processes ≤ {limits.processes} and memory ≤ {_gib(limits.memory_bytes)} GiB{cpu} per kernel "
                f"by {why}")
    exempt = " (none as root: Linux exempts root's processes from it)" if os.geteuid() == 0 else ""
    return (f"processes ≤ {limits.processes} per kernel by prlimit --nproc{exempt} and address space ≤ "
            f"{_gib(2 * limits.memory_bytes)} GiB by prlimit --as, no CPU share (weaker: no cgroup can be "
            f"written here: {why})")


def _gib(size: int) -> str:
    return f"{size / (1 << 30):g}"


def require(mode: SandboxMode, allow_weaker: bool = True) -> None:
    """Refuse to grade when the sandbox is asked for and missing (the message says how to fix it), or,
    unless ``allow_weaker``, when kernels would get no cgroup caps on processes and memory."""
    if mode == NONE:
        return
    if mode != BWRAP:
        raise ValueError(f"unknown sandbox {mode!r}")
    if bwrap_path() is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be isolated. Install it "
            "(Debian/Ubuntu: apt-get install bubblewrap; `make setup` does this when run as root), or pass "
            "--unsafe-no-sandbox to grade without isolation (only for code you trust).")
    backend, why = cgroup_backend()
    if backend is None and not allow_weaker:
        raise SandboxUnavailable(
            f"no cgroup caps on processes and memory here ({why}); kernels would be capped only by prlimit. "
            "Run `python -m autograder doctor` for what to change, or pass --allow-weaker-sandbox to grade "
            "with prlimit's caps.")


def sweep_stale_cgroups() -> None:
    """Remove this harness's cgroups that no process uses any more and unmount its capped work folders
    whose grader is gone (both left by a killed grader)."""
    backend, _ = cgroup_backend()
    if backend is not None:
        backend.sweep()
    workfolder.sweep()


_DEFAULT_PACKAGES: dict[int, tuple[str, ...]] = {}  # by process id


def default_packages() -> tuple[str, ...]:
    """The kernel packages (``c.Autograder.kernel_packages``) of the course directories this grader knows of
    (``course_roots``: the current folder, the harness's checkout), for a backend given none: what a library
    caller without settings gets."""
    if os.getpid() not in _DEFAULT_PACKAGES:
        from autograder.core.config import course_settings

        names: list[str] = []
        for root in course_roots([Path(__file__).resolve().parents[1]]):
            names += [name for name in course_settings(root).kernel_packages if name not in names]
        _DEFAULT_PACKAGES[os.getpid()] = tuple(names)
    return _DEFAULT_PACKAGES[os.getpid()]


def _package_dirs(packages: tuple[str, ...] | None = None) -> list[Path]:
    """Folders of the harness and of the packages a kernel may import besides it (``packages``, the course's
    ``c.Autograder.kernel_packages``; None: ``default_packages()``), located without importing them, wherever
    they are installed (editable or in site-packages: an editable install's finder maps them from outside
    ``sys.path``, so asking the interpreter for its path would not name them). A module that is one file is
    bound as that file, never as the folder holding it (a course root, for a module beside
    ``nbgrader_config.py``). A name that cannot be found is refused with a sentence."""
    folders = [Path(__file__).resolve().parents[1]]  # autograder/
    for name in default_packages() if packages is None else packages:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not (spec.origin or spec.submodule_search_locations):
            raise SandboxUnavailable(
                f"c.Autograder.kernel_packages names {name!r}, which the grader's Python cannot find; install it "
                f"(`pip install -e FOLDER` for a course's own package) or remove it from kernel_packages in "
                "nbgrader_config.py.")
        if spec.submodule_search_locations is not None:  # a package (a namespace package has several folders)
            folders += [Path(location).resolve() for location in spec.submodule_search_locations]
        else:
            folders.append(Path(spec.origin).resolve())
    return folders


COURSE_CONFIG = "nbgrader_config.py"  # what makes a folder an nbgrader course directory
PRIVATE = ("source", "grading")  # a course root's folders a kernel never sees: hidden tests and solutions, the
# default work directory (gradebook, submitted, autograded, feedback)


def course_roots(packages: list[Path]) -> list[Path]:
    """The course directories this grader knows of: the current folder or the nearest above it (as
    ``Course.find`` looks) and the folder holding each package folder (the harness's checkout), where they
    hold ``nbgrader_config.py``."""
    found = []
    try:
        here = Path.cwd()
        here = [next((folder for folder in (here, *here.parents) if (folder / COURSE_CONFIG).is_file()), here)]
    except OSError:  # the current folder was removed
        here = []
    for folder in [*here, *(package.parent for package in packages)]:
        folder = folder.resolve()
        if (folder / COURSE_CONFIG).is_file() and folder not in found:
            found.append(folder)
    return found


def holds_course_files(entry: Path, roots: list[Path]) -> bool:
    """Whether binding ``entry`` whole would show a kernel a course's private files: it is or holds a
    course root (it holds ``nbgrader_config.py`` or a gradebook, or a known root lies in it), or it lies in
    a root's ``source/`` or work directory."""
    entry = entry.resolve()
    if (entry / COURSE_CONFIG).exists() or (entry / "gradebook.db").exists():
        return True
    return any(root.is_relative_to(entry) or any(entry.is_relative_to(root / name) for name in PRIVATE)
               for root in roots)


def kernel_argv(scratch: Path, env: dict[str, str], limits: Limits, group: cgroups.KernelGroup | None,
                sockets: Path | None = None, packages: tuple[str, ...] | None = None) -> list[str]:
    """The command that starts an ipykernel inside the sandbox, through ``autograder.run.kernel_launcher``
    (``{connection_file}`` is filled by jupyter_client); ``sockets``, the kernel's own folder for its
    Unix sockets, is bound read-write too; ``packages``: those it may import besides the harness
    (``python_dirs``)."""
    # history in memory, as nbclient asks of the kernels it starts itself
    return sandboxed_argv(scratch, env, limits, group,
                          [sys.executable, "-m", "autograder.run.kernel_launcher", "-f", "{connection_file}",
                           "--HistoryManager.hist_file=:memory:"],
                          Binds(python_dirs(packages=packages), [sockets] if sockets else []))


@dataclass(frozen=True)
class Interpreter:
    """What an interpreter reports about itself when started as a grading kernel starts: its prefixes
    and ``sys.path``."""

    prefix: Path
    base_prefix: Path
    path: tuple[Path, ...]


_ASK = "import sys, json; print(json.dumps([sys.prefix, sys.base_prefix, sys.path]))"
_INTERPRETERS: dict[str, Interpreter] = {}  # by interpreter, for the process's life


def ask_interpreter(python: str) -> Interpreter:
    """``python``'s prefixes and search path, asked of it once per process. It runs with ``-I`` from ``/``
    in an empty environment, as the kernel starts in the sandbox: no ``PYTHONPATH`` (``--clearenv``), no
    user site (its ``HOME`` is the sandbox's empty /tmp), no current folder (``kernel_launcher`` drops
    it), but ``site`` and every ``.pth`` file processed, as in the kernel."""
    if python not in _INTERPRETERS:
        try:
            done = subprocess.run([python, "-I", "-c", _ASK], capture_output=True, text=True, timeout=60,
                                  cwd="/", env={"LANG": "C.UTF-8"})
            prefix, base, path = json.loads(done.stdout)
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            raise SandboxUnavailable(
                f"could not ask the kernel's interpreter {python} for its search path ({error}); check that "
                f"it runs (`{python} -I -c 'import sys'`) or recreate the environment with `make setup`.") from error
        _INTERPRETERS[python] = Interpreter(Path(prefix), Path(base), tuple(Path(p) for p in path if p))
    return _INTERPRETERS[python]


def python_dirs(python: str = sys.executable, packages: tuple[str, ...] | None = None) -> list[Path]:
    """What a kernel run by ``python`` needs besides /usr: the interpreter's base installation, its
    virtual environment, the harness and the ``packages`` it may import (``_package_dirs``), and every
    other existing entry of the search path it reports (``ask_interpreter``: a second site-packages a
    ``.pth`` file adds) that none of those holds. Nothing else of this process's ``sys.path``: not the
    course folder ``python -m`` put first.

    An entry that is a course root, holds one, or lies in its ``source/`` or work directory
    (``holds_course_files``: an old-style editable install's ``.pth`` names the course root) is never
    bound whole: the harness and the course's packages in it are bound on their own, as folders, and
    nothing else of it. An environment that holds a course root is refused with a sentence."""
    asked = ask_interpreter(python)
    packages = _package_dirs(packages)
    roots = course_roots(packages)
    prefixes = [asked.base_prefix, *([asked.prefix] if asked.prefix != asked.base_prefix else [])]
    for prefix in prefixes:
        if holds_course_files(prefix, roots):
            raise SandboxUnavailable(
                f"the kernel's Python environment {prefix} holds the course folder (its source/ and gradebook), "
                "and a kernel sees its whole environment; create the environment in a folder of its own "
                "(`make setup` makes .venv beside source/, or `python -m venv ENV` outside the course).")
    for package in packages:
        if package.is_dir() and holds_course_files(package, roots):
            raise SandboxUnavailable(
                f"the package folder {package} holds a course folder (source/ or the gradebook), and kernels "
                "see it whole; keep the course's packages in folders of their own beside source/.")
    folders = [*prefixes, *packages]
    for entry in asked.path:
        if entry.exists() and not any(entry.resolve().is_relative_to(bound.resolve()) for bound in folders) \
                and not holds_course_files(entry, roots):
            folders.append(entry)
    return folders


_FONT_CACHE: dict[int, Path | None] = {}  # by process id: a forked worker builds its own


def font_cache() -> Path | None:
    """matplotlib's font list (``fontlist-*.json``), built once per process outside the sandbox, or None
    when matplotlib is not installed or fails. Every kernel's fresh ``/tmp`` would otherwise make
    matplotlib scan the system's fonts again at its first import (about 0.1 s a submission)."""
    if os.getpid() not in _FONT_CACHE:
        _FONT_CACHE[os.getpid()] = None
        folder = Path(tempfile.mkdtemp(prefix="autograder-matplotlib-"))
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
        try:
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], timeout=120, check=True,
                           env={**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            fonts = next(folder.glob("fontlist-*.json"), None)
            if fonts is not None:  # readable by whichever user the sandbox runs as (it holds font paths only)
                folder.chmod(0o755)
                fonts.chmod(0o644)
            _FONT_CACHE[os.getpid()] = fonts
        except (OSError, subprocess.SubprocessError):
            pass
    return _FONT_CACHE[os.getpid()]


@dataclass(frozen=True)
class Binds:
    """Folders a sandbox sees besides its work folder: ``read_only`` besides /usr (None: ``python_dirs()``)
    and ``writable`` ones (a kernel's socket folder)."""

    read_only: list[Path] | None = None
    writable: list[Path] = ()


def sandboxed_argv(scratch: Path, env: dict[str, str], limits: Limits, group: cgroups.KernelGroup | None,
                   command: list[str], extra: Binds = Binds()) -> list[str]:
    """``command`` inside the sandbox: namespaces, binds (``extra``'s too), environment, cgroup or prlimit caps."""
    read_only, writable = extra.read_only, extra.writable
    venv = Path(sys.prefix)
    binds = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
             "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
             "--ro-bind-try", "/etc/localtime", "/etc/localtime",
             "--ro-bind-try", "/etc/fonts", "/etc/fonts"]
    for folder in python_dirs() if read_only is None else read_only:
        binds += ["--ro-bind", str(folder), str(folder)]
    fonts = font_cache()
    if fonts is not None:  # matplotlib's cache folder stays writable; its font list is the grader's
        binds += ["--perms", "1777", "--dir", "/tmp/matplotlib",
                  "--ro-bind", str(fonts), f"/tmp/matplotlib/{fonts.name}"]
    inner_env = {"HOME": "/tmp", "PATH": f"{venv}/bin:/usr/bin:/bin", "MPLCONFIGDIR": "/tmp/matplotlib",
                 "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", **THREAD_ENV, **env}
    setenv = [arg for key, value in inner_env.items() for arg in ("--setenv", key, value)]
    caps = [f"--cpu={int(limits.notebook_seconds) + 30}", f"--nofile={limits.open_files}",
            f"--fsize={limits.file_bytes}", "--core=0"]
    if group is None:  # no cgroup: prlimit caps processes (in the sandbox's user namespace) and address space
        caps += [f"--nproc={limits.processes}", f"--as={limits.memory_bytes * 2}"]
    have = features()
    # the private /tmp is mounted first: a later mount would hide binds under /tmp (a checkout or a
    # scratch folder there)
    tmp = (["--size", str(limits.disk_bytes)] if have.get("size") else []) + ["--tmpfs", "/tmp"]
    userns = ["--unshare-user", "--disable-userns", "--assert-userns-disabled"] if have.get("disable-userns") else []
    bpf = seccomp.filter_file() if have.get("seccomp") else None
    bwrap = [bwrap_path(), "--unshare-all", *userns, "--die-with-parent", "--new-session", "--cap-drop", "ALL",
             "--uid", "65534", "--gid", "65534", *tmp, *binds, "--proc", "/proc", "--dev", "/dev",
             "--bind", str(scratch), str(scratch),
             *[arg for folder in writable for arg in ("--bind", str(folder), str(folder))],
             "--chdir", str(scratch), "--clearenv", *setenv, *(["--seccomp", "9"] if bpf else []),
             "--", "/usr/bin/prlimit", *caps, "--", *command]
    enter = " ".join(f"echo $$ > {procs} &&" for procs in (group.procs_files if group else []))
    opened = f" 9< {shlex.quote(str(bpf))}" if bpf else ""  # the descriptor bubblewrap reads the filter from
    return ["/bin/sh", "-c", f'{enter} exec "$@"{opened}', "sandbox", *bwrap]


class ReadyClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel answers on shell and iopub: it skips the final
    0.2 s of silence jupyter_client waits for on iopub (messages left there belong to no cell, and nbclient
    reads only the replies to its own requests). Keeps the kernel's ``kernel_info`` reply's content
    (``kernel_info_content``: what the kernel says it does, e.g. ``hidden_cells.KERNEL_INFO_KEY``)."""

    kernel_info_content: dict = {}

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)  # iopub is connected too
                    self._handle_kernel_info_reply(reply)
                    self.kernel_info_content = reply["content"]
                    return
                except Empty:
                    pass
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


@dataclass
class Kernel:
    """One started kernel, sandboxed unless ``mode`` is "none", working in ``folder``; it runs one
    notebook and is never reused. ``launch`` starts it and returns at once: the interpreter boots while the
    caller does something else (``autograder.run.kernels`` keeps a worker's next kernel booting this way)."""

    folder: Path
    manager: AsyncKernelManager
    group: cgroups.KernelGroup | None
    limits: Limits
    set_up: float  # seconds spent creating its cgroup and launching it
    owns_folder: bool = False  # remove ``folder`` with the kernel
    sockets: Path | None = None  # the folder of its Unix sockets, removed with it
    mounted: bool = False  # ``folder`` is a capped tmpfs (``autograder.run.workfolder``), unmounted with it

    def alive(self) -> bool:
        process = getattr(self.manager.provisioner, "process", None)
        return process is not None and process.poll() is None

    def run(self, notebook: nbformat.NotebookNode, limits: Limits | None = None) -> Run:
        """Execute ``notebook`` in this kernel (``limits``: its time limits, at most the launch's)."""
        limits = limits or self.limits
        result = run_notebook(notebook, self.folder, env=None, limits=limits, km=self.manager)
        # under load a kernel may crawl towards the cap (or thrash at it) until a time limit ends it
        if self.group is not None and result.status in (Status.CRASHED, Status.TIMEOUT) and self.group.memory_hit():
            result.status = Status.MEMORY
            result.reason = f"the kernel was stopped at the {_gib(limits.memory_bytes)} GiB memory limit " \
                            f"({result.reason})"
        if self.mounted and (cap := workfolder.full(self.folder, self.limits.disk_bytes, self.limits.disk_files)):
            result.reason = "; ".join(filter(None, [result.reason, cap]))
        result.phases = {"sandbox set-up": self.set_up, **result.phases}
        return result

    def kill(self) -> None:
        """SIGKILL the kernel's process now (its sandbox and cgroup go with ``close``)."""
        process = getattr(self.manager.provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.kill(process.pid, signal.SIGKILL)
            except OSError:
                pass

    def stop(self, seconds: float = 10.0) -> bool:
        """Kill the kernel and every process of its sandbox, and wait until none of them runs: after this
        nothing can change the kernel's folder (``autograder.run.worker`` carries files out only then). True
        when all of them are gone within ``seconds``."""
        process = getattr(self.manager.provisioner, "process", None)
        tree = processes.descendants(process.pid) if process is not None else []
        self.kill()
        deadline = time.monotonic() + seconds
        try:
            if process is not None:
                process.wait(timeout=seconds)
        except Exception:
            pass
        gone = self.group.empty(max(deadline - time.monotonic(), 0.0)) if self.group is not None else True
        # without a cgroup: the PID namespace's init (a descendant) dies last, once all of the sandbox is gone
        return processes.all_ended(tree, deadline) and gone

    def close(self) -> None:
        """Stop the kernel, reap its process, remove its connection files and cgroup (and its folder when it
        owns it). Never raises. (Not jupyter_client's ``shutdown_kernel``: it would message a kernel that
        is dead by now, over a context its client closed after the run.)"""
        self.kill()
        process = getattr(self.manager.provisioner, "process", None)
        try:
            if process is not None:
                process.wait(timeout=10)
        except Exception:
            pass
        try:
            run_sync(self.manager.cleanup_resources)()
        except Exception:
            pass
        if self.group is not None:
            self.group.remove()
        if self.mounted:
            workfolder.unmount(self.folder)
        if self.owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)


def prepare(folder: Path, limits: Limits, fresh: bool) -> tuple[cgroups.KernelGroup | None, bool]:
    """A kernel's cgroup (where this host has them) and, for a ``fresh`` empty folder, its capped tmpfs
    (where the grader may mount): (group or None, mounted)."""
    mounted = fresh and not any(folder.iterdir()) and \
        workfolder.mount(folder, limits.disk_bytes, limits.disk_files) is None
    backend, _ = cgroup_backend()
    if backend is None:
        return None, mounted
    try:
        return backend.create(f"{cgroups.PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}", limits.memory_bytes,
                              limits.processes, limits.cpu_cores), mounted
    except cgroups.CgroupError as error:  # fail closed: a writable hierarchy that refuses a group
        if mounted:
            workfolder.unmount(folder)
        raise SandboxUnavailable(str(error)) from error


def launch(folder: Path, env: dict[str, str], limits: Limits, mode: SandboxMode = BWRAP,
           owns_folder: bool = False, packages: tuple[str, ...] | None = None) -> Kernel:
    """Start a kernel working in ``folder`` (sandboxed unless ``mode`` is "none") and return without
    waiting for it to boot. ``env`` is added to the kernel's environment; ``packages``: those it may import
    besides the harness (``python_dirs``)."""
    begin = time.perf_counter()
    group, sockets, mounted = None, None, False
    if mode != NONE:
        require(mode)
        group, mounted = prepare(folder, limits, owns_folder)
    specs = folder / ".kernel"
    specs.mkdir(exist_ok=True)
    if mode == NONE:
        manager = AsyncKernelManager(kernel_name="python3", client_class=f"{__name__}.ReadyClient")
        kernel_env = {**os.environ, **THREAD_ENV, **env}
    else:
        spec_dir = specs / "sandbox"
        spec_dir.mkdir(exist_ok=True)
        # a Unix socket's path holds at most 107 bytes: the sockets get a short folder of their own
        sockets = Path(tempfile.mkdtemp(prefix="ag-", dir="/tmp" if Path("/tmp").is_dir() else None))
        (spec_dir / "kernel.json").write_text(json.dumps({
            "argv": kernel_argv(folder, env, limits, group, sockets, packages), "display_name": "sandboxed Python",
            "language": "python", "interrupt_mode": "message"}))
        # async: nbclient polls with the manager's client; a blocking client would hang on a dead kernel
        manager = AsyncKernelManager(kernel_name="sandbox", transport="ipc", ip=str(sockets / "k"),
                                     kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
                                     connection_file=str(specs / "connection.json"),
                                     client_class=f"{__name__}.ReadyClient")
        kernel_env = {**os.environ, **THREAD_ENV}
    kernel = Kernel(folder, manager, group, limits, 0.0, owns_folder, sockets, mounted)
    try:
        run_sync(manager.start_kernel)(cwd=str(folder), env=kernel_env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
    except Exception:
        kernel.close()
        raise
    kernel.set_up = time.perf_counter() - begin
    return kernel


def run(notebook: nbformat.NotebookNode, scratch: Path, env: dict[str, str], limits: Limits,
        mode: SandboxMode = BWRAP) -> Run:
    """Execute ``notebook`` with ``scratch`` as its working folder in a kernel started for it, sandboxed
    unless ``mode`` is "none"."""
    begin = time.perf_counter()
    try:
        kernel = launch(scratch, env, limits, mode)
    except SandboxUnavailable:
        raise
    except Exception as error:  # a kernel that never starts: never fatal to a batch
        return Run(notebook, Status.CRASHED, f"{type(error).__name__}: {str(error)[:300]}",
                   seconds=time.perf_counter() - begin)
    try:
        result = kernel.run(notebook)
    finally:
        closing = time.perf_counter()
        kernel.close()
    result.phases["sandbox clean-up"] = time.perf_counter() - closing
    return result
