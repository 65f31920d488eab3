"""A plain-assert twin of a checks notebook: what the same assignment looks like in nbgrader's own style.

Every top-level check call in a test cell becomes the plain asserts it corresponds to (the reverse of
``autograder.tools.migrate``'s mappings), so that the twin's test cells record nothing and the grader scores
them by the kernel verdict:

* ``assert_equal(a, e)`` → ``assert a == e`` against a number, else ``np.testing.assert_array_equal``;
* ``assert_close(a, e)`` → ``assert np.allclose(a, e)`` in visible tests, ``np.testing.assert_allclose``
  with the checks' default tolerances in hidden ones;
* ``assert_at_least(a, c)`` / ``assert_at_most(a, c)`` → ``assert a >= c`` / ``assert a <= c``;
* ``assert_grad_close(f, x, g)`` → ``assert rel_error(g, numerical_gradient(f, x)) <= rtol``
  (``dlcourse.gradcheck``, imported where the checks were).

The twin means what the original means as graded: where a check's expected side or bound is computed in
the cell (a gradient check, ``assert_at_most(loss[-1], loss[0])``, ``assert_equal(f(X), y)``), the
grader also compares the recorded value with the reference solution's, so the twin adds that comparison
as one more assert against the reference's value. In an honest kernel each test cell of the twin passes
exactly when the original's would (up to numpy's broadcasting, where a check insists on equal shapes);
only what the student's kernel can tamper with differs. ``test_trust_levels`` measures both.

A hidden ``REFERENCE`` becomes the literal the reference solution records there, as an nbgrader notebook
writes its hidden answers. A value recorded as a sequence (a function returning ``(w, b, changed)``) is
bound to ``_got`` and asserted item by item, as numpy cannot compare arrays of different shapes at once.
"""

import ast
import copy
import shutil
from pathlib import Path

import nbformat
import numpy as np

from autograder.core import course as roles
from autograder.core.course import Course
from autograder.judge.records import decode
from autograder.judge.scoring import ReferenceCell
from autograder.release.generate import write_release
from autograder.tools.migrate import IMPORT_LINE, _is_literal

GRADCHECK_IMPORT = "from dlcourse.gradcheck import numerical_gradient, rel_error"
CLOSE_DEFAULTS = {"rtol": "1e-05", "atol": "1e-08"}  # assert_close's, written out for numpy.testing


def _literal(value) -> str:
    """Python source for a decoded record value (arrays as np.array, even 0-d ones)."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, list):
        return "(" + "".join(f"{_literal(item)}, " for item in value) + ")"
    return repr(value)


def _plain(call: ast.Call, source: str, recorded: dict) -> str:
    """The plain assert statements a check call corresponds to: in an honest kernel they pass exactly
    when the grader would pass the check."""
    seg = lambda node: ast.get_source_segment(source, node)  # noqa: E731
    name = call.func.id
    args = [seg(a) for a in call.args]
    keywords = {k.arg: seg(k.value) for k in call.keywords}
    what = keywords.pop("what", None)
    tail, message = (f", {what}", f", err_msg={what}") if what else ("", "")
    value = decode(recorded["value"])
    if name == "assert_grad_close":
        f, x, analytic = args
        step = f", h={keywords['h']}" if "h" in keywords else ""
        return (f"assert rel_error({analytic}, numerical_gradient({f}, {x}{step})) <= {keywords.get('rtol', '1e-06')}"
                f"{tail}\n" + _against(analytic, value, recorded, message))
    if name in ("assert_at_least", "assert_at_most"):
        op = ">=" if name == "assert_at_least" else "<="
        plain = f"assert {args[0]} {op} {args[1]}{tail}"
        if _is_literal(call.args[1]):
            return plain
        return f"{plain}\nassert {args[0]} {op} {recorded['bound']!r}{tail}"  # the grader's bound: the reference's
    actual, expected = args
    hidden, sequence = expected == "REFERENCE", isinstance(value, list)
    numpy_assert = "assert_array_equal" if name == "assert_equal" else "assert_allclose"
    written = ""
    if name == "assert_close":  # numpy.testing's defaults differ from the checks': written out there
        tolerances = {**CLOSE_DEFAULTS, **keywords} if hidden or sequence else keywords
        written = "".join(f", {k}={v}" for k, v in tolerances.items())
    if sequence:  # its length, then item by item against the reference's items
        lines = [f"_got = {actual}", f"assert len(_got) == {len(value)}{tail}"]
        lines += [f"np.testing.{numpy_assert}(_got[{i}], {_literal(item)}{written}{message})"
                  for i, item in enumerate(value)]
        return "\n".join(lines)
    if hidden:
        return f"np.testing.{numpy_assert}({actual}, {_literal(value)}{written}{message})"
    if name == "assert_close":
        plain = f"assert np.allclose({actual}, {expected}{written}){tail}"
    elif isinstance(call.args[1], ast.Constant):
        plain = f"assert {actual} == {expected}{tail}"
    else:
        plain = f"np.testing.assert_array_equal({actual}, {expected}{message})"
    if _is_literal(call.args[1]):
        return plain
    return f"{plain}\n{_against(actual, value, recorded, message)}"  # computed: the grader also compares


def _against(actual: str, value, recorded: dict, message: str) -> str:
    """The grader's own comparison of ``actual`` with the reference's recorded value, as a plain assert."""
    if recorded["kind"] == "equal":
        return f"np.testing.assert_array_equal({actual}, {_literal(value)}{message})"
    return (f"np.testing.assert_allclose({actual}, {_literal(value)}, rtol={recorded['rtol']!r}, "
            f"atol={recorded['atol']!r}{message})")


def _check_calls(text: str) -> list[ast.Call]:
    return [n.value for n in ast.parse(text).body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
            and isinstance(n.value.func, ast.Name) and n.value.func.id.startswith("assert_")]


def plain_twin(source: nbformat.NotebookNode, reference: dict[str, ReferenceCell]) -> nbformat.NotebookNode:
    """``source`` with every check call of its test cells rewritten as plain asserts; ``reference`` is
    ``reference.reference_records(source)`` (the records that give hidden answers their literals)."""
    twin = copy.deepcopy(source)
    for cell in twin.cells:
        if cell.cell_type == "code" and IMPORT_LINE in cell.source:
            cell.source = "\n".join(GRADCHECK_IMPORT if line == IMPORT_LINE else line
                                    for line in cell.source.splitlines())
        if not roles.is_test(cell):
            continue
        text = cell.source
        calls = _check_calls(text)
        records = reference[roles.grade_id(cell)].records
        assert len(calls) == len(records)
        raw = text.encode()  # ast's columns count UTF-8 bytes
        lines = raw.splitlines(keepends=True)
        starts = [sum(len(line) for line in lines[:i]) for i in range(len(lines))]
        for call, recorded in sorted(zip(calls, records, strict=True), key=lambda pair: pair[0].lineno, reverse=True):
            begin = starts[call.lineno - 1] + call.col_offset
            end = starts[call.end_lineno - 1] + call.end_col_offset
            raw = raw[:begin] + _plain(call, text, recorded).encode() + raw[end:]
        cell.source = raw.decode()
    return twin


def plain_course(root: Path, course: Course, assignment: str,
                 references: dict[str, dict[str, ReferenceCell]]) -> Course:
    """A course folder at ``root`` holding the plain twin of ``assignment`` (its other files beside it),
    released: what an instructor with an nbgrader course of plain asserts has. ``references``: each
    notebook's reference records, by notebook name."""
    folder = root / "source" / assignment
    shutil.copytree(course.root / "source" / assignment, folder)
    shutil.copy(course.root / "nbgrader_config.py", root / "nbgrader_config.py")
    for name in course.notebook_names(assignment):
        path = folder / f"{name}.ipynb"
        nbformat.write(plain_twin(roles.read_notebook(path), references[name]), path)
    twin = Course(root)
    write_release(twin, assignment)
    return twin
