"""The isolation on this host as ``doctor`` reports it, and the caps as an ordinary user would get them.

As an ordinary user a grader can usually write no cgroup, and then the sandbox caps a kernel's processes
with ``prlimit --nproc`` (counted inside the sandbox's own user namespace) and its address space with
``prlimit --as``. The test runs the hostile corpus's fork bomb and memory bomb as the user ``nobody``
under exactly that command line (``sandbox.sandboxed_argv`` without a cgroup), with Debian's
``/usr/bin/python3`` since the grader's interpreter may sit where ``nobody`` cannot read.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.core.config import Limits
from autograder.run import sandbox
from tests.harness.backends_here import need_backend

pytestmark = pytest.mark.slow

FORK_BOMB = """import os, time
forks = 0
while True:
    try:
        pid = os.fork()
    except OSError as error:
        print("forks", forks, error.errno)
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    forks += 1
"""
MEMORY_BOMB = """chunks = []
try:
    while True:
        chunks.append(bytearray(64 << 20))
except MemoryError:
    print("mib", 64 * len(chunks))
"""


def test_doctor_reports_every_part_in_force_here():
    done = subprocess.run([sys.executable, "-m", "autograder", "doctor"], capture_output=True, text=True, timeout=120)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    for part in ("user namespace", "PID namespace", "network namespace", "read-only system", "process cap",
                 "memory cap", "CPU and file caps", "CPU share", "work folder cap", "/tmp cap",
                 "nested user namespaces", "seccomp filter"):
        line = next(line for line in done.stdout.splitlines() if part in line)
        assert line.strip().startswith("in force"), line


def test_doctor_probes_the_template_backend_from_inside_a_forked_kernel():
    """Every promise of docs/template-kernels.md read in a real forked kernel (each line can fail:
    tests/unit/test_doctor_template.py feeds it failing views)."""
    need_backend("template")
    done = subprocess.run([sys.executable, "-m", "autograder", "doctor", "--sandbox", "template"],
                          capture_output=True, text=True, timeout=300)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    for part in ("PID namespace", "capabilities", "no_new_privs", "seccomp", "cgroup", "/tmp", "network"):
        line = next(line for line in done.stdout.splitlines() if f"template {part}" in line)
        assert line.strip().startswith("in force"), line


def _as_nobody(code: str) -> str:
    if os.geteuid() != 0 or shutil.which("runuser") is None or not Path("/usr/bin/python3").exists():
        pytest.skip("needs root (to become nobody with runuser) and Debian's /usr/bin/python3")
    scratch = Path(tempfile.mkdtemp(prefix="nobody-"))
    try:
        scratch.chmod(0o777)
        argv = sandbox.sandboxed_argv(scratch, {}, Limits(), None, ["/usr/bin/python3", "-c", code],
                                      sandbox.Binds(read_only=[]))
        done = subprocess.run(["runuser", "-u", "nobody", "--", *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_fork_bomb_is_contained_as_an_ordinary_user_without_cgroups():
    words = _as_nobody(FORK_BOMB).split()
    assert words[0] == "forks" and int(words[2]) == 11  # EAGAIN
    assert int(words[1]) < Limits().processes


def test_memory_bomb_is_contained_as_an_ordinary_user_without_cgroups():
    words = _as_nobody(MEMORY_BOMB).split()
    assert words[0] == "mib" and int(words[1]) * (1 << 20) <= 2 * Limits().memory_bytes
