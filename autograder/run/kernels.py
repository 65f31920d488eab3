"""Which started kernel a submission gets: a worker's next kernel boots while the current one runs.

Starting a sandboxed kernel (bubblewrap, the interpreter, ipykernel, the first messages) takes most of a
second of waiting. ``KernelPool.take`` hands out the kernel it started at its previous call (when that one
was started for the same settings and is still alive) and has the next one launched on the pool's own
thread while the current one runs, so the next submission finds its kernel booted and this one does not
wait for the launch (a template's fork, mounts and cgroup hand-over: ``autograder.run.template``). Every
kernel is fresh: its own empty folder, sandbox and cgroup, started before the submission it will run is
copied into that folder, used for one notebook run and never again. ``give_back`` kills a used kernel at
once; reaping it and removing its cgroup and folder happen on the pool's thread after the next ``take``
(or in ``close``), off the critical path. The pool's thread does one thing at a time, in order.

One pool per worker process (``POOL``); ``close`` runs when the process ends, so no kernel outlives its
worker.
"""

import ast
import multiprocessing.util
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import Limits
from autograder.core.course import is_answer
from autograder.core.plugins import SandboxBackend
from autograder.run import sandbox
from autograder.run.backends import backend

PRELOAD_ENV = "AUTOGRADER_PRELOAD"  # read by autograder.run.kernel_launcher


@dataclass(frozen=True)
class KernelKey:
    """What a started kernel was started for: a spare is handed out only for the same key."""

    root: str
    env: tuple[tuple[str, str], ...]
    limits: Limits
    backend: SandboxBackend


@dataclass(frozen=True)
class Spare:
    """The kernel started ahead (its launch, on the pool's thread), and what for."""

    key: KernelKey
    launching: Future

    @property
    def kernel(self) -> sandbox.Kernel:
        """The spare once launched (raises what its launch raised)."""
        return self.launching.result()


class KernelPool:
    """At most one spare kernel, booting, and the used kernels waiting to be cleaned up."""

    def __init__(self):
        self._spare: Spare | None = None
        self._used: list[sandbox.Kernel] = []
        self._pid: int | None = None  # the process this pool's kernels belong to
        self._thread: ThreadPoolExecutor | None = None  # launches spares and cleans up, one job at a time

    def take(self, root: Path, env: dict[str, str], limits: Limits, mode) -> sandbox.Kernel:
        """A started kernel in a fresh folder under ``root`` (the caller fills the folder, runs one notebook
        and gives the kernel back), from the sandbox backend ``mode`` (``autograder.run.backends``); the next one
        is being launched on the pool's thread when this returns. The kernel's ``set_up`` is what this call
        waited for it (its whole launch when no spare was ready)."""
        mode = backend(mode)
        self._adopt()
        waited = time.perf_counter()
        key = KernelKey(str(root), tuple(sorted(env.items())), limits, mode)
        kernel = None
        if self._spare is not None:
            spare, self._spare = self._spare, None
            try:
                found = spare.kernel
            except Exception:  # its launch failed: this take starts its own
                found = None
            if found is not None and spare.key == key and found.alive():
                kernel = found
                kernel.set_up = time.perf_counter() - waited
            elif found is not None:
                self.give_back(found)
        if kernel is None:
            kernel = self._on_thread().submit(self._launch, root, env, limits, mode).result()
        used, self._used = self._used, []
        self._on_thread().submit(_close_all, used)
        self._spare = Spare(key, self._on_thread().submit(self._launch, root, env, limits, mode))
        return kernel

    def give_back(self, kernel: sandbox.Kernel) -> None:
        """A used kernel: killed now, cleaned up on the pool's thread after the next ``take`` (or in ``close``)."""
        kernel.kill()
        self._used.append(kernel)

    def close(self) -> None:
        """Stop the spare and clean up every used kernel (their processes, cgroups and folders), once the
        pool's thread has finished what it was doing."""
        if self._spare is not None:
            try:
                self._used.append(self._spare.kernel)
            except Exception:  # a launch that failed left nothing to stop
                pass
            self._spare = None
        if self._thread is not None and self._pid == os.getpid():
            self._thread.shutdown(wait=True)
        self._thread = None
        used, self._used = self._used, []
        _close_all(used)

    def settle(self) -> None:
        """Wait until the pool's thread has done what it was given so far (the spare's launch, clean-ups)."""
        if self._thread is not None and self._pid == os.getpid():
            self._thread.submit(lambda: None).result()

    def _on_thread(self) -> ThreadPoolExecutor:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-pool")
        return self._thread

    def _adopt(self) -> None:
        """In a new process (a forked worker), forget the parent's kernels and thread and close ours at exit:
        multiprocessing skips atexit in its children and clears the finalizers a fork inherits."""
        if self._pid != os.getpid():
            self._pid, self._spare, self._used, self._thread = os.getpid(), None, [], None
            multiprocessing.util.Finalize(self, self.close, exitpriority=10)

    @staticmethod
    def _launch(root: Path, env: dict[str, str], limits: Limits, mode) -> sandbox.Kernel:
        root = backend(mode).kernel_root(root)
        root.mkdir(parents=True, exist_ok=True)
        # the creator's pid in the name: a killed grader's capped folders are swept by the next (workfolder.sweep)
        folder = Path(tempfile.mkdtemp(prefix=f"kernel-{os.getpid()}-", dir=root))
        try:
            return backend(mode).launch(folder, env, limits, owns_folder=True)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _close_all(kernels: list[sandbox.Kernel]) -> None:
    for kernel in kernels:
        kernel.close()  # never raises


class OneShot:
    """No kernel started ahead (a Dask worker outlives the batch, so nothing may be left booting there):
    ``take`` launches a kernel in a fresh folder under ``root``, ``give_back`` closes it at once. Every run
    gets a folder no earlier run has written, as with ``KernelPool``."""

    def take(self, root: Path, env: dict[str, str], limits: Limits, mode) -> sandbox.Kernel:
        return KernelPool._launch(root, env, limits, mode)

    def give_back(self, kernel: sandbox.Kernel) -> None:
        kernel.close()


def preload_modules(notebook) -> list[str]:
    """The modules a notebook's given code imports (absolute imports at the top level of its code cells that
    are not answers, in order, without repeats): what a kernel started ahead of it can import at boot."""
    names: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or is_answer(cell):
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            names += [name for name in found if name not in names]
    return names


POOL = KernelPool()  # this process's
