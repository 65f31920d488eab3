"""Kernels forked from a template (``c.Autograder.sandbox = "template"``, ``autograder.template``): each one
locked down before student code, in namespaces, a cgroup and a folder of its own, freshly seeded, and
nothing one kernel does reaches the next or the template."""

import json
import os
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.core.config import Limits
from autograder.judge.scoring import grading_env
from autograder.run import processes, sandbox, template, zygote
from autograder.run.kernels import PRELOAD_ENV, KernelPool
from tests.harness.backends_here import install_course, need_backend

LIMITS = Limits(cell_seconds=30, notebook_seconds=60)
MODE = "template"


@pytest.fixture
def pool():
    need_backend(MODE)
    kernels = KernelPool()
    yield kernels
    kernels.close()


def _env(*modules: str) -> dict[str, str]:
    return {**grading_env(), PRELOAD_ENV: ",".join(modules)}


def _run(kernel, code: str) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    run = kernel.run(notebook, LIMITS)
    outputs = run.notebook.cells[0].outputs
    errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o.get("output_type") == "error"]
    assert run.status == "graded" and not errors, (run.reason, errors)
    return "".join(out.get("text", "") for out in outputs)


def _json(kernel, code: str):
    """Run ``code``, which ends by printing one JSON value, and return it."""
    return json.loads(_run(kernel, code).strip().splitlines()[-1])


def _one(pool, tmp_path, env, code: str):
    kernel = pool.take(tmp_path, env, LIMITS, MODE)
    try:
        return _json(kernel, code)
    finally:
        pool.give_back(kernel)


STATUS = """import json, os
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print(json.dumps({key: status[key].strip() for key in ("CapEff", "CapPrm", "CapInh", "CapAmb", "CapBnd", "NoNewPrivs",
                                                        "Seccomp")} | {
    "pid": os.getpid(), "ppid": os.getppid(), "procs": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "cwd": os.getcwd(), "tmp": sorted(os.listdir("/tmp")), "shm": sorted(os.listdir("/dev/shm")),
    "cgroup": open("/proc/self/cgroup").read(),
    "slots": sorted(os.listdir(os.path.dirname(os.getcwd())))}))
"""


def test_a_forked_kernel_is_locked_down_before_student_code(pool, tmp_path):
    kernel = pool.take(tmp_path, _env("numpy"), LIMITS, MODE)
    try:
        found = _json(kernel, STATUS)
        pid = kernel.manager.provisioner.process.pid
        in_group = all(str(pid) in Path(procs).read_text().split() for procs in kernel.group.procs_files)
    finally:
        pool.give_back(kernel)
    assert {found[key] for key in ("CapEff", "CapPrm", "CapInh", "CapAmb")} == {"0000000000000000"}, found
    assert found["NoNewPrivs"] == "1" and found["Seccomp"] == "2", found
    assert found["pid"] == 2 and found["ppid"] == 1 and found["procs"] == [1, 2], found  # its own PID namespace
    assert found["cwd"] == str(kernel.folder) and found["slots"] == sorted([kernel.folder.name, kernel.sockets.name])
    # a fresh /tmp: IPython's and matplotlib's folders, the path to its own folder and to the installation's
    # folders when it lives under /tmp (a clone there, bound back read-only); a fresh /dev/shm
    installed = {Path(folder).parts[2] for folder in zygote.covered([str(f) for f in sandbox.python_dirs()])}
    assert set(found["tmp"]) <= {".ipython", "matplotlib", kernel.folder.parent.name, *installed}, found
    assert found["shm"] == [], found
    assert in_group and kernel.group.folders[0].name in found["cgroup"], found  # its own cgroup, by the host's view


LEAVE = """import json, os, socket, subprocess, sys, threading, time
import numpy, autograder.checks
numpy.allclose = lambda *a, **k: True
autograder.checks.assert_close = lambda *a, **k: None
numpy.PLANTED = os.environ["PLANTED"] = "yes"
open("/tmp/planted", "w").write("x")
open("/dev/shm/planted", "w").write("x")
_listener = socket.socket(socket.AF_UNIX)
_listener.bind("\\0planted")
_listener.listen(1)
_kept = open("/proc/self/status")
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "PLANTED-CHILD"], start_new_session=True)
print(json.dumps("planted"))
"""
LOOK = """import json, os, socket, threading
import numpy, autograder.checks
found = []
if numpy.allclose([1], [2]): found.append("numpy.allclose patched")
if autograder.checks.assert_close.__name__ == "<lambda>": found.append("checks patched")
if hasattr(numpy, "PLANTED") or "PLANTED" in os.environ: found.append("a planted name")
found += [f"file {p}" for p in ("/tmp/planted", "/dev/shm/planted") if os.path.exists(p)]
try:
    socket.socket(socket.AF_UNIX).connect("\\0planted")
    found.append("the abstract socket")
except OSError:
    pass
found += [f"thread {t.name}" for t in threading.enumerate() if getattr(t, "_target", None) is __import__("time").sleep]
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        if b"PLANTED-CHILD" in open(f"/proc/{pid}/cmdline", "rb").read(): found.append(f"process {pid}")
    except OSError:
        pass
print(json.dumps(found))
"""


def test_the_looking_cell_finds_what_a_kernel_left_in_itself(pool, tmp_path):
    """The check below can fail: in the kernel that planted them, every plant is found."""
    kernel = pool.take(tmp_path, _env("numpy", "autograder.checks"), LIMITS, MODE)
    try:
        _run(kernel, LEAVE)
        found = _json(kernel, LOOK)
    finally:
        pool.give_back(kernel)
    assert len(found) >= 7, found


def test_nothing_a_kernel_leaves_reaches_the_next_kernel(pool, tmp_path):
    env = _env("numpy", "autograder.checks")
    first = pool.take(tmp_path, env, LIMITS, MODE)
    _run(first, LEAVE)
    pool.give_back(first)
    assert _one(pool, tmp_path, env, LOOK) == []
    assert not [p for p in psutil.process_iter(["cmdline"]) if "PLANTED-CHILD" in (p.info["cmdline"] or [])]


SIBLINGS = """import ctypes, json, os, signal
libc = ctypes.CDLL(None, use_errno=True)
reached = []
for pid in {pids}:
    if os.path.exists(f"/proc/{{pid}}"):
        reached.append(f"/proc/{{pid}}")
    try:
        os.kill(pid, 0)
        reached.append(f"signal {{pid}}")
    except OSError:
        pass
    if libc.ptrace(16, pid, 0, 0) == 0:  # PTRACE_ATTACH
        reached.append(f"ptrace {{pid}}")
print(json.dumps(reached))
"""


def test_the_template_and_a_sibling_kernel_cannot_be_named(pool, tmp_path):
    """Their PIDs in the grader's namespace mean nothing in a kernel's (or name its own two processes)."""
    env = _env("numpy")
    kernel = pool.take(tmp_path, env, LIMITS, MODE)
    spare = pool._spare.kernel
    tpl = template.template_for(env, LIMITS)
    pids = [p for p in [tpl.process.pid, *processes.descendants(tpl.process.pid),
                        spare.manager.provisioner.process.pid] if p > 2]
    try:
        assert _json(kernel, SIBLINGS.format(pids=pids)) == []
    finally:
        pool.give_back(kernel)


def _is_zygote(process: psutil.Process) -> bool:
    """Whether ``process`` runs the template's code (a used kernel that is exiting, or already a zombie
    waiting to be reaped, does not count)."""
    try:
        return process.cmdline()[1:3] == ["-m", "autograder.run.zygote"]
    except psutil.Error:
        return False


def test_the_template_holds_one_thread_and_no_socket_but_its_control(pool, tmp_path):
    """No zmq context, event loop or thread is made before fork: ipykernel's start in each kernel."""
    env = _env("numpy", "matplotlib.pyplot", "dlcourse")
    pool.give_back(pool.take(tmp_path, env, LIMITS, MODE))
    pool.settle()  # the spare's fork is done: while it runs the template holds the kernel's channel too
    tpl = template.template_for(env, LIMITS)
    zygote = [p for p in psutil.Process(tpl.process.pid).children(recursive=True)
              if _is_zygote(p) and not _is_zygote(psutil.Process(p.ppid()))]
    assert len(zygote) == 1, zygote
    assert zygote[0].num_threads() == 1
    sockets = [fd for fd in os.listdir(f"/proc/{zygote[0].pid}/fd")
               if os.readlink(f"/proc/{zygote[0].pid}/fd/{fd}").startswith("socket:")]
    assert len(sockets) == 1, sockets


SEEDS = """import json, random, numpy, torch
print(json.dumps([random.random(), float(numpy.random.rand()), float(torch.rand(1))]))
"""


def test_every_kernel_is_seeded_afresh(pool, tmp_path):
    env = _env("numpy", "torch")
    first, second = _one(pool, tmp_path, env, SEEDS), _one(pool, tmp_path, env, SEEDS)
    assert all(a != b for a, b in zip(first, second)), (first, second)


TORCH = """import json, numpy as np, torch
a = torch.randn(64, 64, dtype=torch.float64)
print(json.dumps([torch.get_num_threads(), bool(np.allclose((a @ a).numpy(), a.numpy() @ a.numpy()))]))
"""


def test_torch_works_after_fork_on_one_thread(pool, tmp_path):
    assert _one(pool, tmp_path, _env("numpy", "torch"), TORCH) == [1, True]


def test_a_students_file_cannot_replace_a_preloaded_module_but_their_own_modules_import(pool, tmp_path):
    """As with the ``bwrap`` backend's kernels started ahead (tests/harness/test_kernel_pool.py)."""
    kernel = pool.take(tmp_path, _env("colorsys"), LIMITS, MODE)
    (kernel.folder / "colorsys.py").write_text("raise RuntimeError('the student file was imported')\n")
    (kernel.folder / "helpers_of_mine.py").write_text("VALUE = 42\n")
    try:
        found = _json(kernel, "import json, sys, colorsys, helpers_of_mine\n"
                              "print(json.dumps([colorsys.__file__, 'colorsys' in dir(), helpers_of_mine.VALUE]))")
    finally:
        pool.give_back(kernel)
    assert not found[0].startswith(str(kernel.folder)) and found[1:] == [True, 42]


def test_a_fork_bomb_is_held_by_the_kernels_own_cgroup(pool, tmp_path):
    code = """import json, os, time
forks = 0
for _ in range(10_000):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    forks += 1
print(json.dumps(forks))
"""
    assert _one(pool, tmp_path, _env(), code) < LIMITS.processes


def test_the_template_argv_keeps_the_kernel_sandbox_but_three_flags():
    argv = template.template_argv(Path("/tmp/slots"), {}, LIMITS, None)
    kernel = sandbox.sandboxed_argv(Path("/tmp/slots"), {}, LIMITS, None, ["python"])
    assert "--proc" in kernel and "--proc" not in argv and argv[argv.index("/proc") - 1] == "--ro-bind"
    assert argv[argv.index("--cap-drop"):argv.index("--cap-drop") + 4] == ["--cap-drop", "ALL", "--cap-add",
                                                                          "CAP_SYS_ADMIN"]
    assert "--seccomp" not in argv and not any(arg.startswith("--cpu=") for arg in argv)
    assert "--disable-userns" in argv or not sandbox.features().get("disable-userns")


def test_the_corpus_finder_finds_what_the_corpus_planter_left_in_its_own_kernel(pool, tmp_path):
    """hostile_corpus's aa_leave_behind and zz_find_leftovers_*: the finder can fail (in the planter's own
    kernel it finds every plant), so its FULL score in tests/harness/test_hostile*.py means something."""
    from tests.harness.hostile_corpus import _find_leftovers_code, _leave_behind_code

    kernel = pool.take(tmp_path, _env("numpy", "autograder.checks"), LIMITS, MODE)
    try:
        _run(kernel, _leave_behind_code("tok"))
        found = _run(kernel, "import numpy as np\n" + _find_leftovers_code("tok") + "\nprint(len(_found))")
    finally:
        pool.give_back(kernel)
    assert int(found.strip().splitlines()[-1]) >= 8, found


def test_a_killed_graders_slots_folder_is_swept(tmp_path):
    """What a killed grader leaves mounted (its slots folder and a kernel folder in it) is unmounted and removed
    by the next batch's sweep; a live grader's is left alone."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount")
    import subprocess
    import sys

    code = ("import time\nfrom autograder.run import template, workfolder\nfolder = template.slots() / 'kernel-1-x'\n"
            "folder.mkdir()\nworkfolder.mount(folder, 1 << 20, 16)\nprint(template.slots(), flush=True)\n"
            "import os\nos._exit(0)\n")  # gone without cleaning up, as a killed grader
    slots = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                timeout=60).stdout.strip())
    assert slots.is_dir() and any(str(slots) in line for line in Path("/proc/self/mountinfo").read_text().splitlines())
    assert template.sweep_slots(alive=lambda pid: pid != int(slots.name.removeprefix("ag-t").split("-")[0]))
    assert not slots.exists()
    assert not any(str(slots) in line for line in Path("/proc/self/mountinfo").read_text().splitlines())


FROM_TMP = r"""
import json, sys
import nbformat
from autograder.core.config import Limits
from autograder.judge.scoring import grading_env
from autograder.run.backends import Template
from autograder.run.kernels import PRELOAD_ENV, OneShot

Template().require()
course, decoy = sys.argv[1], sys.argv[2]
cell = '''import json, os, sys
import autograder.checks, dlcourse, numpy as np
autograder.checks.assert_close(np.ones(3) * 2, np.full(3, 2.0))  # a passing check, graded in this kernel
try:
    open(os.path.join(os.path.dirname(autograder.checks.__file__), "planted.py"), "w").close()
    written = True
except OSError:
    written = False
print(json.dumps({"prefix": sys.prefix, "harness": autograder.checks.__file__, "course": dlcourse.__file__,
                  "decoy": os.path.exists(%r), "beside": sorted(os.listdir(os.path.dirname(%r))),
                  "tmp": sorted(os.listdir("/tmp")), "written": written,
                  "read_only": [bool(os.statvfs(os.path.dirname(path)).f_flag & os.ST_RDONLY)
                                for path in (autograder.checks.__file__, dlcourse.__file__, sys.prefix + "/bin")]}))
''' % (decoy, course)
limits = Limits(cell_seconds=30, notebook_seconds=60)
pool = OneShot()
kernel = pool.take(__import__("pathlib").Path(course), {**grading_env(), PRELOAD_ENV: "numpy"}, limits, "template")
try:
    run = kernel.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), limits)
finally:
    pool.give_back(kernel)
outputs = run.notebook.cells[0].outputs
print(json.dumps({"status": str(run.status), "reason": run.reason, "outputs": outputs}))
"""


def install_under_tmp(root: Path) -> Path:
    """A course installed under ``root`` (in /tmp), as a clean clone there would be: its own virtual
    environment, the harness and the course package copied beside it; the third-party packages come from
    this interpreter's site-packages folders, named by a ``.pth`` file (as a second site-packages would be)."""
    course = root / "course"
    return install_course(course, course / ".venv")


def test_a_course_installed_under_tmp_grades_with_the_template_and_sees_nothing_else_of_tmp():
    """An interpreter, harness and course package under /tmp (a CI clone there): bound back read-only onto
    every kernel's fresh /tmp, and nothing else of the host's /tmp (a decoy beside the installation)."""
    import subprocess
    import tempfile

    need_backend(MODE)
    import shutil

    root = Path(tempfile.mkdtemp(prefix="ag-install-", dir="/tmp"))
    try:
        python = install_under_tmp(root)
        course = root / "course"
        decoy = root / "other-submission" / "decoy.txt"
        decoy.parent.mkdir()
        decoy.write_text("another submission's file")
        done = subprocess.run([str(python), "-c", FROM_TMP, str(course), str(decoy)], capture_output=True,
                              text=True, timeout=300, cwd=course)
        assert done.returncode == 0, done.stderr[-3000:]
        run = json.loads(done.stdout.strip().splitlines()[-1])
        assert run["status"] == "graded", run
        errors = [o for o in run["outputs"] if o.get("output_type") == "error"]
        assert not errors, errors
        seen = json.loads("".join(o.get("text", "") for o in run["outputs"]).strip().splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert seen["prefix"] == str(course / ".venv"), seen
    assert seen["harness"].startswith(str(course / "autograder")) and seen["course"].startswith(str(course)), seen
    assert seen["decoy"] is False and seen["beside"] == ["course"], seen  # the sibling folder is not there
    assert seen["written"] is False and seen["read_only"] == [True, True, True], seen  # mounted read-only
    assert root.name in seen["tmp"] and not [name for name in seen["tmp"] if name.startswith("ag-install-")
                                             and name != root.name], seen


def test_a_writable_installed_folder_is_bound_back_read_only(tmp_path):
    """``zygote._bind_fd`` on a folder mounted read-write (the remount path): root itself cannot write there
    afterwards (EROFS), while the folder stays writable outside that mount namespace."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount")
    import errno
    import subprocess
    import sys

    source, target = tmp_path / "installed", tmp_path / "bound"
    source.mkdir()
    code = ("import os, sys\nfrom autograder.run import zygote\n"
            "zygote._check(zygote._LIBC.unshare(zygote.CLONE_NEWNS), 'unshare')\n"
            "zygote._mount(None, '/', None, zygote.MS_REC | zygote.MS_PRIVATE)\n"
            "zygote._bind_fd(os.open(sys.argv[1], os.O_PATH), sys.argv[2], True, True)\n"
            "try:\n    open(os.path.join(sys.argv[2], 'x'), 'w').close()\n    print(0)\n"
            "except OSError as error:\n    print(error.errno)\n")
    done = subprocess.run([sys.executable, "-c", code, str(source), str(target)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == errno.EROFS
    (source / "y").write_text("still writable here")
