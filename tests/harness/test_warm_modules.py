"""The modules a reference's cells import (``autograder.run.reference``: ``torch._dynamo`` at the first optimiser
step, scikit-learn at the first digits load): only those of the installation are named, only those whose
import brings the rest, and a kernel forked from a template has them imported before the submission runs,
but not named (a kernel that pays its own imports gets the given code's only); a module that starts a
thread ends the preloading."""

import os
import subprocess
import sys

import nbformat
import pytest

from autograder.core.config import Limits
from autograder.run.kernels import KernelPool
from autograder.run.reference import MAX_WARM_CHARS, reference_run, warm_modules
from autograder.run.worker import NotebookJob, RunSettings, grade_notebook
from tests.harness.backends_here import need_backend

LIMITS = Limits(cell_seconds=30, notebook_seconds=60)


def test_the_reference_run_names_the_installed_modules_its_cells_import_and_only_those():
    source = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import colorsys"),  # a cell's own import
        nbformat.v4.new_code_cell("def lazy():\n    import statistics\n    return statistics.mean([1, 3])\n"
                                  "assert lazy() == 2"),  # an import inside a function, as torch.optim's
        nbformat.v4.new_code_cell("import tomllib"),  # which imports tomllib._parser at its top level
        nbformat.v4.new_code_cell("import helper\nassert helper.VALUE == 7"),  # the assignment's own file
    ])
    run = reference_run(source, LIMITS, files={"helper.py": b"import wave\nVALUE = 7\n"})
    named = list(run.modules)
    assert [name for name in named if name in ("colorsys", "statistics", "tomllib")] == [
        "colorsys", "statistics", "tomllib"]  # in the order the cells imported them
    assert "helper" not in named  # a file of the assignment's folder: never preloaded from there
    assert "wave" in named  # imported by code outside the installation: its import is a root
    assert not any(name.startswith("tomllib.") for name in named)  # brought by tomllib's own import
    assert not any(name.startswith("_ag") or name == "__main__" for name in named)


def test_warm_modules_keeps_the_order_drops_repeats_and_stops_at_the_cap():
    assert warm_modules(["b", "a", "b", "c"]) == ("b", "a", "c")
    many = [f"module_{i:06d}" for i in range(10_000)]
    kept = warm_modules(many)
    assert kept == tuple(many[:len(kept)]) and sum(len(name) + 1 for name in kept) <= MAX_WARM_CHARS < len(
        ",".join(many))


@pytest.mark.parametrize("mode, warm, expected", [
    ("template", (), "False"),
    ("template", ("colorsys",), "True False"),  # imported once per worker: sys.modules has it, the notebook not
    ("bwrap", ("colorsys",), "False"),  # a kernel that pays its own imports gets the given code's only
], ids=["template-none", "template-warm", "bwrap-given-only"])
def test_a_template_kernel_has_the_warm_modules_imported_but_not_named(tmp_path, mode, warm, expected):
    need_backend(mode)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys\nprint('colorsys' in sys.modules, *(['colorsys' in dir()] if 'colorsys' in sys.modules else []))")])
    pool = KernelPool()
    try:
        scratch = tmp_path / "submission"
        scratch.mkdir()
        run, _ = grade_notebook(NotebookJob(notebook, notebook, notebook, {}, warm=warm), scratch,
                                RunSettings(LIMITS, mode), pool=pool)
    finally:
        pool.close()
    assert run.status == "graded", run.reason
    assert run.notebook.cells[0].outputs[0]["text"].strip() == expected


def test_preloading_stops_at_the_first_module_that_leaves_a_thread_running(tmp_path):
    (tmp_path / "starts_a_thread.py").write_text(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n")
    code = ("from autograder.run import kernel_launcher\nimport sys\nkernel_launcher.preload()\n"
            "print('starts_a_thread' in sys.modules, 'colorsys' in sys.modules)")
    env = {**os.environ, "AUTOGRADER_PRELOAD": "starts_a_thread,colorsys",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False"], out.stderr


def test_a_reference_that_stops_names_its_own_cell_not_counting_the_graders():
    from autograder.judge.scoring import ReferenceError

    source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                             nbformat.v4.new_code_cell("while True:\n    pass")])
    with pytest.raises(ReferenceError, match=r"cell 2 ran longer"):
        reference_run(source, Limits(cell_seconds=2, notebook_seconds=30))
