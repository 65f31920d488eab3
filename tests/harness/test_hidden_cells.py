"""A hidden test cell leaves nothing of its code in the kernel's records (``autograder.run.hidden_cells``): one
notebook, run by the grader's own client, whose later cells look everywhere IPython keeps a cell's code."""

import json

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.core.config import Limits
from autograder.judge.scoring import grading_env, partial_credit
from autograder.run.backends import backend
from autograder.run.execute import _CappedClient, run_notebook
from autograder.run.kernels import KernelPool
from autograder.run.sandbox import SandboxUnavailable

pytestmark = pytest.mark.slow

SECRET = "zq_hidden_marker"
LIMITS = Limits(cell_seconds=30, notebook_seconds=60)


def _test_cell(source: str, gid: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                                 "grade_id": gid, "points": 2}
    return cell


SPY = """import inspect, linecache, sys
_seen = []


def f(x):
    caller = sys._getframe(1)
    _frames.append(caller)
    try:
        _seen.append(inspect.getsource(caller))
    except (OSError, TypeError):
        pass
    _seen.append("".join(linecache.getlines(caller.f_code.co_filename)))
    return x


_frames = []
get_ipython().run_line_magic("logstart", "-o -r -q input.log")
"""
HIDDEN = f'''"""f on hidden inputs."""
### BEGIN HIDDEN TESTS
{SECRET}_a = f(3)
assert f(4) == 4, "{SECRET}_message"
1.5  # partial credit: nbgrader reads the last result
### END HIDDEN TESTS'''
FAILING = f'''"""f fails a hidden test."""
### BEGIN HIDDEN TESTS
assert f(5) == 6, "{SECRET}_failed"
### END HIDDEN TESTS'''
LOOK = [
    'print(get_ipython().last_execution_result.info.raw_cell, Out, _)',
    'print("\\n".join(In), "\\n".join(_ih), _i, _ii, _iii)',
    'get_ipython().run_line_magic("history", "-n -o")',
    'print("\\n".join("".join(entry[2]) for entry in list(linecache.cache.values()) if len(entry) > 2))',
    'print("\\n".join(_seen))',
    'import traceback\nfor _f in _frames:\n    print("".join(traceback.format_stack(_f)))',
    'traceback.print_last() if hasattr(sys, "last_traceback") else print("no last traceback")',
    'get_ipython().run_line_magic("logstop", "")\nprint(open("input.log").read())',
]


@pytest.fixture(scope="module", params=["plain", "bwrap", "template"])
def ran(request, tmp_path_factory):
    """The notebook run in a plain kernel (the grader sends ``before``/``after`` as silent requests) and in
    the grading kernel of each sandbox backend (it runs them inside the hidden cell's own request); the
    silent requests the client sent are counted in ``silent_requests``."""
    cells = [new_code_cell(SPY), _test_cell('"""f, visible."""\nassert f(1) == 1', "visible"),
             _test_cell(HIDDEN, "hidden"), _test_cell(FAILING, "failing"), *map(new_code_cell, LOOK)]
    folder = tmp_path_factory.mktemp("hidden")
    if request.param != "plain":
        try:
            backend(request.param).require()
        except SandboxUnavailable as why:
            pytest.skip(str(why))
    sent, silently = [], _CappedClient._silently

    async def counted(self, step):
        sent.append(step)
        await silently(self, step)

    _CappedClient._silently = counted
    try:
        if request.param == "plain":
            run = run_notebook(new_notebook(cells=cells), folder)
        else:
            pool = KernelPool()
            kernel = pool.take(folder, grading_env(), LIMITS, request.param)
            try:
                run = kernel.run(new_notebook(cells=cells), LIMITS)
            finally:
                pool.give_back(kernel)
                pool.close()
    finally:
        _CappedClient._silently = silently
    run.silent_requests = sent
    run.backend = request.param
    return run


def test_only_a_plain_kernel_needs_silent_requests_around_hidden_cells(ran):
    """The sandboxed kernels (``autograder.run.grading_kernel``) say in kernel_info that they run
    ``before``/``after`` themselves, so the client sends none; a plain kernel gets both, per hidden cell."""
    expected = ["before", "after"] * 2 if ran.backend == "plain" else []
    assert ran.silent_requests == expected


def test_hidden_cells_run_and_are_scored_as_before(ran):
    cells = ran.notebook.cells
    assert ran.status == "graded", ran.reason
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    assert partial_credit(cells[2], 2) == 1.5  # the hidden cell's last result still reaches the grader
    error = next(out for out in cells[3].outputs if out.output_type == "error")
    assert error.ename == "AssertionError" and error.evalue == f"{SECRET}_failed"


@pytest.mark.parametrize("index", range(len(LOOK)), ids=["last_result", "In", "history", "linecache",
                                                         "getsource", "frames", "last_traceback", "input_log"])
def test_no_later_cell_finds_a_hidden_cell_s_code(ran, index):
    cell = ran.notebook.cells[4 + index]
    shown = json.dumps(cell.outputs)
    assert not any(out.output_type == "error" for out in cell.outputs), shown
    assert cell.outputs, "the looking cell printed nothing at all"
    assert SECRET not in shown, shown
    assert "f(1) == 1" in shown or index in (0, 6), shown  # a visible cell's code is there, as usual
