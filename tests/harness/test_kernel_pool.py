"""A worker's kernels started ahead (``autograder.run.kernels``): every notebook run gets a kernel and a folder
no other run has touched, the spare is used only for the settings it was started with, nothing outlives
``close``, and a kernel started ahead has the assignment's modules imported but not named."""

import nbformat
import psutil
import pytest

from autograder.core.config import Limits
from autograder.judge.scoring import grading_env
from autograder.run.kernels import PRELOAD_ENV, KernelPool, preload_modules

LIMITS = Limits(cell_seconds=30, notebook_seconds=60)


def _run(kernel, code: str) -> str:
    """Run one cell as a notebook of its own (a kernel runs one notebook: the tests give each its own)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    run = kernel.run(notebook, LIMITS)
    assert run.status == "graded", run.reason
    return "".join(out.get("text", "") for out in run.notebook.cells[0].outputs)


def _pid(kernel) -> int:
    return kernel.manager.provisioner.process.pid


@pytest.fixture
def pool():
    kernels = KernelPool()
    yield kernels
    kernels.close()


def test_each_run_gets_a_fresh_kernel_and_folder_and_the_spare_is_the_next_one(pool, tmp_path, sandbox_mode):
    env = grading_env()
    first = pool.take(tmp_path, env, LIMITS, sandbox_mode)
    spare = pool._spare.kernel
    (first.folder / "mine.txt").write_text("first student's file")
    assert "first student's file" in _run(first, "print(open('mine.txt').read())\n"
                                                 "open('left_behind.txt', 'w').write('x')")
    first_pid = _pid(first)
    pool.give_back(first)
    second = pool.take(tmp_path, env, LIMITS, sandbox_mode)
    assert second is spare and second.folder != first.folder and _pid(second) != first_pid
    pool.settle()
    assert not first.folder.exists()  # the used kernel was cleaned up after this take, on the pool's thread
    assert "[]" in _run(second, "import os\nprint(sorted(f for f in os.listdir('.') if not f.startswith('.')))")
    pool.give_back(second)


def test_a_spare_started_for_other_settings_is_never_used(pool, tmp_path, sandbox_mode):
    first = pool.take(tmp_path, grading_env(), LIMITS, sandbox_mode)
    spare = pool._spare.kernel
    pool.give_back(first)
    other = pool.take(tmp_path, {**grading_env(), "EXTRA": "1"}, LIMITS, sandbox_mode)
    assert other is not spare and not spare.alive()
    assert _run(other, "import os\nprint(os.environ.get('EXTRA'))").strip() == "1"
    pool.give_back(other)


def test_close_leaves_no_kernel_process_and_no_folder(tmp_path, sandbox_mode):
    pool = KernelPool()
    used = pool.take(tmp_path, grading_env(), LIMITS, sandbox_mode)
    spare = pool._spare.kernel
    pids = [_pid(used), _pid(spare)]
    pool.give_back(used)
    pool.close()
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in pids)
    assert not used.folder.exists() and not spare.folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_preloaded_modules_are_imported_but_not_named_and_a_students_file_cannot_replace_them(
        pool, tmp_path, sandbox_mode):
    kernel = pool.take(tmp_path, {**grading_env(), PRELOAD_ENV: "colorsys,no_such_module"}, LIMITS, sandbox_mode)
    (kernel.folder / "colorsys.py").write_text("raise RuntimeError('the student file was imported')\n")
    out = _run(kernel, "import sys, os\nprint('colorsys' in sys.modules, 'colorsys' in dir(), "
                       "os.environ.get('AUTOGRADER_PRELOAD'))\nimport colorsys\nprint(colorsys.__file__)")
    first, second = out.splitlines()
    assert first == "True False None"
    assert not second.startswith(str(kernel.folder))
    pool.give_back(kernel)


def test_preload_modules_reads_the_given_code_not_the_answers():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np, os.path\nfrom json import dumps\n"
                                  "from . import local\nif True:\n    import csv\n"),
        nbformat.v4.new_code_cell("import colorsys", metadata={"nbgrader": {"solution": True, "grade_id": "a"}}),
        nbformat.v4.new_code_cell("import numpy\nnot python at all ("),
        nbformat.v4.new_code_cell("import numpy\nimport wave"),
    ])
    assert preload_modules(notebook) == ["numpy", "os.path", "json", "wave"]


def test_kernels_see_the_graders_font_list_and_can_still_write_matplotlibs_cache(pool, tmp_path, sandbox_mode):
    from autograder.run.sandbox import font_cache

    fonts = font_cache()
    if fonts is None:
        pytest.skip("matplotlib could not build a font list here")
    kernel = pool.take(tmp_path, grading_env(), LIMITS, sandbox_mode)
    out = _run(kernel, "import os\nfolder = os.environ['MPLCONFIGDIR']\nprint(sorted(os.listdir(folder)), "
                       "os.access(folder, os.W_OK))")
    assert out.strip() == f"['{fonts.name}'] True"
    pool.give_back(kernel)


def test_a_deep_work_directory_does_not_break_the_kernels_sockets(pool, tmp_path, sandbox_mode):
    """A Unix socket's path holds 107 bytes at most: the sockets live in a short folder of their own."""
    deep = tmp_path / ("a-long-course-folder-name-" * 6) / "grading" / "scratch"
    kernel = pool.take(deep, grading_env(), LIMITS, sandbox_mode)
    if sandbox_mode != "template":  # whose kernel folders are under a short folder of its own (template.slots)
        assert len(str(kernel.folder / ".kernel" / "ipc-4")) > 107
    assert _run(kernel, "print(6 * 7)").strip() == "42"
    pool.give_back(kernel)


def test_files_a_notebook_leaves_reach_the_next_notebook_only_when_carried_over(pool, tmp_path, sandbox_mode):
    """nbgrader runs an assignment's notebooks in one folder: what the first leaves, the second reads."""
    from autograder.run.worker import NotebookJob, RunSettings, grade_notebook

    writer = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("open('made.txt', 'w').write('x')")])
    reader = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.path.exists('made.txt'))")])
    for carry, expected in ((False, "False"), (True, "True")):
        scratch = tmp_path / f"carry-{carry}" / "submission"
        scratch.mkdir(parents=True)
        settings = RunSettings(LIMITS, sandbox_mode)
        grade_notebook(NotebookJob(writer, writer, writer, {}), scratch, settings, pool=pool, carry_over=carry)
        run, _ = grade_notebook(NotebookJob(reader, reader, reader, {}), scratch, settings, pool=pool)
        assert run.notebook.cells[0].outputs[0]["text"].strip() == expected
