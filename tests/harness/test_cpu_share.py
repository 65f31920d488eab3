"""A student's kernel that spins 60 processes gets its CPU quota and no more: its processes run in a cgroup
with the quota of ``Limits.cpu_cores``, and a sibling kernel's cells are not slowed beyond ``SLOWDOWN``.

Without a CPU cgroup this holds on this host only by grace of the kernel's autogroup scheduling (each
sandbox is a new session); a host without autogroup, or whose cgroups override it, would give the 61
spinning processes 61 shares against the sibling's one. The figures vary with the host's load (the test
prints them); the bound is loose enough for a shared 2-core machine.
"""

import threading
import time

import nbformat
import pytest

from autograder.core.config import Limits
from autograder.judge.scoring import grading_env
from autograder.run import sandbox
from autograder.run.kernels import KernelPool

pytestmark = pytest.mark.slow

LIMITS = Limits(cell_seconds=60, notebook_seconds=120, cpu_cores=1.0)
SLOWDOWN = 3.0  # the sibling's loop with the spinner beside it, over the same loop alone

SPINNER = """import subprocess, sys
spin = "import time\\nend = time.time() + 15\\nwhile time.time() < end:\\n    pass"
children = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(60)]
open("spinning", "w").close()
for child in children:
    child.wait()
"""
SIBLING = """import time
times = []
for _ in range(3):
    begin = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i
    times.append(time.perf_counter() - begin)
print(min(times))
"""


def _cell(code: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])


def _seconds(kernel) -> float:
    run = kernel.run(_cell(SIBLING), LIMITS)
    assert run.status == "graded", run.reason
    return float(run.notebook.cells[0].outputs[0]["text"])


def _quota(kernel) -> tuple[int, int]:
    """The spinner's CPU quota in microseconds per period, from the cgroup its 60 processes are in."""
    cpu_folder = getattr(kernel.group, "cpu_folder", None)  # no such thing before the CPU share existed
    folder = cpu_folder() if cpu_folder is not None else None
    if folder is None:
        return 0, 0
    if kernel.group.version == 2:
        quota, period = (folder / "cpu.max").read_text().split()
    else:
        quota, period = ((folder / name).read_text().strip() for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us"))
    return len((folder / "cgroup.procs").read_text().split()), round(int(quota) / int(period) * 100)


def test_sixty_spinning_processes_leave_a_sibling_kernel_its_cpu(tmp_path, sandbox_mode):
    backend, why = sandbox.cgroup_backend()
    if backend is None:
        pytest.skip(f"no cgroups here ({why})")
    pool, taken = KernelPool(), []

    def take():
        taken.append(pool.take(tmp_path, grading_env(), LIMITS, sandbox_mode))
        return taken[-1]

    try:
        alone = _seconds(take())
        spinner, sibling = take(), take()
        spinning = threading.Thread(target=spinner.run, args=(_cell(SPINNER), LIMITS))
        spinning.start()
        deadline = time.monotonic() + 60
        while not (spinner.folder / "spinning").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        processes, percent = _quota(spinner)
        beside = _seconds(sibling)
        spinning.join()
        print(f"\nsibling's loop alone {alone:.3f} s, beside 60 spinning processes {beside:.3f} s "
              f"({beside / alone:.2f}x); the spinner's {processes} processes under a quota of {percent}% of a core")
        assert processes > 60 and percent == round(LIMITS.cpu_cores * 100), "no CPU quota on the spinner's processes"
        assert beside <= SLOWDOWN * alone
    finally:
        for kernel in taken:
            pool.give_back(kernel)
        pool.close()
