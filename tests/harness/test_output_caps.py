"""The output budget (``Limits.output_bytes``) counts every kind of output and never hides a failure:
display updates and widget messages are counted and dropped past it like prints, an error output is kept
whatever was spent, and a cell whose execute reply is an error fails even when its error output is gone.
Kernels without the sandbox: what is under test is the grader's client, not the isolation."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.core.config import Limits
from autograder.judge.records import cell_error
from autograder.judge.scoring import ReferenceCell, score_cells
from autograder.run.execute import run_notebook

pytestmark = pytest.mark.slow

CAP = 64 << 10
LIMITS = Limits(cell_seconds=60, notebook_seconds=120, output_bytes=CAP)


def _test_cell(source: str, grade_id: str = "plain", points: int = 2):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": points, "schema_version": 3}
    return cell


def _run(*sources_or_cells, tmp_path):
    cells = [c if isinstance(c, nbformat.NotebookNode) else new_code_cell(c) for c in sources_or_cells]
    return run_notebook(new_notebook(cells=cells), tmp_path, limits=LIMITS)


def _size(notebook) -> int:
    return len(nbformat.writes(notebook))


def test_a_failing_kernel_verdict_cell_fails_after_the_budget_is_spent(tmp_path):
    run = _run("print('x' * (3 << 20))", _test_cell("assert 1 + 1 == 3, 'wrong'"), tmp_path=tmp_path)
    failing = run.notebook.cells[1]
    assert cell_error(failing) is not None  # kept though the budget was spent
    scored = score_cells(run.notebook, {"plain": ReferenceCell.of([])})
    assert scored[0].score == 0.0 and "wrong" in scored[0].detail
    assert _size(run.notebook) < CAP + (256 << 10) and "output was truncated" in run.reason


def test_a_hidden_traceback_still_fails_by_the_execute_reply(tmp_path):
    silence = "get_ipython().showtraceback = lambda *args, **kwargs: None"
    run = _run(silence, _test_cell("assert False, 'hidden'"), tmp_path=tmp_path)
    assert cell_error(run.notebook.cells[1]) is None  # nothing displayed ...
    scored = score_cells(run.notebook, {"plain": ReferenceCell.of([])}, reply_errors=run.reply_errors)
    assert scored[0].score == 0.0 and "AssertionError" in scored[0].detail  # ... the reply decides


def test_display_updates_count_against_the_budget(tmp_path):
    code = """from IPython.display import display
handle = display("small", display_id=True)
for _ in range(20):
    handle.update("y" * (1 << 20))  # 20 MiB of updates to one small output
"""
    run = _run(code, tmp_path=tmp_path)
    assert _size(run.notebook) < CAP + (256 << 10), _size(run.notebook)
    assert "output was truncated" in run.reason


def test_widget_messages_count_against_the_budget(tmp_path):
    code = """import comm
channel = comm.create_comm(target_name="jupyter.widget", data={"state": {"_model_name": "X"}})
for _ in range(20):
    channel.send({"method": "update", "state": {"value": "z" * (1 << 20)}})  # 20 MiB of widget state
"""
    run = _run(code, tmp_path=tmp_path)
    assert _size(run.notebook) < CAP + (256 << 10), _size(run.notebook)
    assert "output was truncated" in run.reason
