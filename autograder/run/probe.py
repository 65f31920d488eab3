"""Run a command in a sandbox set up exactly as a grading kernel's is (its cgroup, its capped work folder,
``sandbox.sandboxed_argv``), for ``doctor``: what it reports is what grading gets, not a copy of the flags."""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import DEFAULTS, Limits
from autograder.run import cgroups, sandbox, workfolder


@dataclass
class Probe:
    """What a command saw inside a sandbox made as a grading kernel's is (``probe``)."""

    returncode: int
    stdout: str
    stderr: str
    group: cgroups.KernelGroup | None
    mounted: bool
    cpu_setting: str  # the group's CPU quota as its files say, read while it existed ("" without one)


def run(command: list[str], limits: Limits = DEFAULTS, timeout: float = 60,
        packages: tuple[str, ...] | None = None) -> Probe:
    """Run ``command`` in a sandbox set up exactly as ``launch`` sets up a kernel's (cgroup, capped work
    folder, ``sandboxed_argv``): what ``doctor`` reports is what grading gets."""
    sandbox.require(sandbox.BWRAP)
    folder = Path(tempfile.mkdtemp(prefix="autograder-probe-"))
    group, mounted = None, False
    try:
        group, mounted = sandbox.prepare(folder, limits, fresh=True)
        argv = sandbox.sandboxed_argv(folder, {}, limits, group, command,
                                      sandbox.Binds(sandbox.python_dirs(packages=packages)))
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=folder)
        return Probe(done.returncode, done.stdout, done.stderr, group, mounted, _cpu_setting(group))
    finally:
        if group is not None:
            group.remove()
        if mounted:
            workfolder.unmount(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _cpu_setting(group: cgroups.KernelGroup | None) -> str:
    folder = group.cpu_folder() if group is not None else None
    if folder is None:
        return ""
    if group.version == 2:
        return f"cpu.max = {(folder / 'cpu.max').read_text().strip()}"
    quota, period = ((folder / name).read_text().strip() for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us"))
    return f"cpu.cfs_quota_us = {quota} of cpu.cfs_period_us = {period}, cpu.shares = " \
           f"{(folder / 'cpu.shares').read_text().strip()}"
