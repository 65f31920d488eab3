"""A course root on the kernel interpreter's search path (an old-style editable install writes a ``.pth``
naming it) is never bound whole into a kernel, with either backend: the kernel imports the harness and the
course's package, and cannot see ``source/`` (hidden tests, solutions), the gradebook or anything else
of the course folder.

The installation is built under /tmp, as a clone there would be: a virtual environment whose ``.pth``
names the course root (and, for the third-party packages, this interpreter's site-packages folders), the
harness and ``dlcourse`` copied into the course root beside ``nbgrader_config.py``, ``source/`` and
``grading/gradebook.db``. The grader runs from the course root with that environment's interpreter.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.harness.backends_here import install_course, need_backend

pytestmark = pytest.mark.slow

GRADER = r"""
import json, sys
from pathlib import Path
import nbformat
from autograder.core.config import Limits
from autograder.judge.scoring import grading_env
from autograder.run.backends import backend
from autograder.run.kernels import PRELOAD_ENV, OneShot

course, mode, scratch = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
backend(mode).require()
cell = '''import json, os, sys
import autograder.checks, dlcourse
course = %r
def listing(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as error:
        return type(error).__name__
print(json.dumps({"harness": autograder.checks.__file__, "course_package": dlcourse.__file__,
                  "course_root": listing(course), "source": listing(os.path.join(course, "source")),
                  "secret": os.path.exists(os.path.join(course, "source", "a1", "a1.ipynb")),
                  "gradebook": os.path.exists(os.path.join(course, "grading", "gradebook.db"))}))
''' % str(course)
limits = Limits(cell_seconds=60, notebook_seconds=120)
pool = OneShot()
kernel = pool.take(scratch, {**grading_env(), PRELOAD_ENV: "numpy"}, limits, mode)
try:
    run = kernel.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), limits)
finally:
    pool.give_back(kernel)
print(json.dumps({"status": str(run.status), "reason": run.reason, "outputs": run.notebook.cells[0].outputs}))
"""


def install_with_course_root_on_path(root: Path) -> tuple[Path, Path]:
    """A course at ``root/course`` holding the harness, ``dlcourse``, ``nbgrader_config.py``, a hidden
    ``source/`` and a gradebook, and a virtual environment at ``root/env`` whose ``.pth`` names the course
    root (an old-style editable install): (its python, the course root)."""
    course = root / "course"
    (course / "source" / "a1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n"
                                               "c.Autograder.kernel_packages = ['dlcourse']\n")
    (course / "source" / "a1" / "a1.ipynb").write_text("{} hidden tests and solutions\n")
    (course / "grading").mkdir()
    (course / "grading" / "gradebook.db").write_text("every student's grades\n")
    python = install_course(course, root / "env")
    return python, course


@pytest.mark.parametrize("mode", ["bwrap", "template"])
def test_a_course_root_on_the_search_path_is_not_shown_to_kernels(mode):
    need_backend(mode)
    root = Path(tempfile.mkdtemp(prefix="ag-pth-", dir="/tmp"))
    try:
        python, course = install_with_course_root_on_path(root)
        done = subprocess.run([str(python), "-c", GRADER, str(course), mode, str(root / "scratch")],
                              capture_output=True, text=True, timeout=300, cwd=course)
        assert done.returncode == 0, done.stderr[-3000:]
        run = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    errors = [output for output in run["outputs"] if output.get("output_type") == "error"]
    assert run["status"] == "graded" and not errors, (run["reason"], errors)
    seen = json.loads("".join(output.get("text", "") for output in run["outputs"]).strip().splitlines()[-1])
    assert seen["harness"].startswith(str(course / "autograder")), seen
    assert seen["course_package"].startswith(str(course / "dlcourse")), seen
    assert seen["secret"] is False and seen["gradebook"] is False, seen
    assert seen["source"] == "FileNotFoundError", seen
    assert seen["course_root"] == ["autograder", "dlcourse"], seen  # only the two packages, bound on their own
