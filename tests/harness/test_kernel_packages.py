"""``c.Autograder.kernel_packages``: a course that names a package of the grader's installation gets it in
its kernels, with either backend, and a package it does not name is not importable there.

Both packages sit in one folder outside the Python environment (as an editable install's would), found
by the grader on its ``sys.path`` and by the kernel's interpreter through ``PYTHONPATH``; only what the
sandbox binds decides which one the kernel can import.
"""

import json

import nbformat
import pytest

from autograder.core.config import Limits, course_settings
from autograder.grade import GradeOptions
from autograder.judge.scoring import grading_env
from autograder.run import sandbox
from autograder.run.kernels import OneShot
from autograder.run.sandbox import SandboxUnavailable
from tests.harness.backends_here import need_backend

pytestmark = pytest.mark.slow

LIMITS = Limits(cell_seconds=60, notebook_seconds=120)
LOOK = """import importlib, json
found = {}
for name in ("named_helper", "unnamed_helper"):
    try:
        found[name] = importlib.import_module(name).WHERE
    except ImportError as error:
        found[name] = type(error).__name__
print(json.dumps(found))
"""


def _packages(folder):
    for name in ("named_helper", "unnamed_helper"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(f"WHERE = {name!r}\n")
    return folder


@pytest.mark.parametrize("mode", ["bwrap", "template"])
def test_a_named_package_is_importable_in_kernels_and_an_unnamed_one_is_not(mode, tmp_path, monkeypatch):
    need_backend(mode)
    packages = _packages(tmp_path / "installed")
    monkeypatch.syspath_prepend(str(packages))
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(f"c = get_config()  # noqa: F821\nc.Autograder.sandbox = {mode!r}\n"
                                               "c.Autograder.kernel_packages = ['named_helper']\n")
    backend = GradeOptions.from_settings(course_settings(course)).run.sandbox
    assert backend.packages == ("named_helper",)
    pool = OneShot()
    kernel = pool.take(tmp_path / "scratch", {**grading_env(), "PYTHONPATH": str(packages)}, LIMITS, backend)
    try:
        run = kernel.run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LOOK)]), LIMITS)
    finally:
        pool.give_back(kernel)
    outputs = run.notebook.cells[0].outputs
    assert run.status == "graded", (run.reason, outputs)
    found = json.loads("".join(output.get("text", "") for output in outputs).strip().splitlines()[-1])
    assert found == {"named_helper": "named_helper", "unnamed_helper": "ModuleNotFoundError"}, found


def test_a_named_package_the_grader_cannot_find_is_refused_with_a_sentence():
    with pytest.raises(SandboxUnavailable, match="kernel_packages names 'no_such_helper'.*pip install -e"):
        sandbox.python_dirs(packages=("no_such_helper",))
