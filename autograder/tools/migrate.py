"""``python -m autograder migrate NOTEBOOK``: plain asserts in an nbgrader notebook's test cells become
checks from ``autograder.checks``, where the check means exactly what the assert meant.

The grader scores a test cell only by the values its checks record (``autograder.judge.scoring``), so a test
cell of plain asserts cannot be graded outside the student's kernel. This module finds the asserts with
``ast`` and rewrites each statement in place from its source segments (``ast.get_source_segment``):
comments, blank lines and every other statement of the cell stay as written. A statement it cannot
convert exactly is left as it is (it still raises in the kernel, which fails the cell), and the plan
says why. Only statements at the top level of a cell are converted: the grader pairs a cell's checks
with the reference solution's by position, so a check inside a loop, branch or function, whose number
of runs could differ between notebooks, is left.

The mappings (``actual`` is the value under test, ``expected`` the other side):

* ``assert a == b`` → ``assert_equal(a, b)``. ``assert_equal`` compares numbers by value (``1 == 1.0``,
  numpy scalars and 0-d arrays alike), strings and None exactly, as ``==`` does. Not converted: a list,
  tuple, dict or set literal on either side (``==`` tells a list from a tuple or an array, a check
  compares items only), an ``np.array(...)`` on either side (``==`` is elementwise there, a plain assert
  of it raises), two constants. The expected side is the literal one, else the right-hand side.
  Differences that remain: a one-element array equals a number under ``==`` but has another shape for
  the check; a value the checks cannot record (an arbitrary object) fails the cell.
* ``assert a.shape == (n, m)`` → ``assert_shape(a, (n, m))``: the check compares ``tuple(a.shape)`` with
  the tuple, as ``==`` does (a ``torch.Size`` is a tuple). Also ``assert a.shape == b.shape``.
* ``assert np.allclose(a, b[, rtol, atol])`` → ``assert_close(a, b[, rtol=, atol=])``: the same test
  ``|a - b| <= atol + rtol * |b|`` with numpy's defaults rtol=1e-05, atol=1e-08 (also assert_close's
  defaults, so only given tolerances are written). ``np.testing.assert_allclose(a, b[, rtol, atol])``
  → ``assert_close`` with its own defaults written out: rtol=1e-07, atol=0.
* ``np.testing.assert_array_equal(a, b)`` and ``np.testing.assert_equal(a, b)`` → ``assert_equal(a, b)``
  (numpy.testing, like the check, compares lists and tuples by their items).
* ``np.testing.assert_almost_equal(a, b, decimal=d)`` (default d = 7) → ``assert_close(a, b,
  atol=1.5 * 10**-d, rtol=0)``, numpy's own criterion ``|a - b| < 1.5 * 10**-d``.
* ``assert abs(a - b) < tol`` or ``<= tol`` (``abs``, ``np.abs``) → ``assert_close(a, b, atol=tol,
  rtol=0)``: ``|a - b| <= atol``.
* ``assert a >= c`` / ``assert a <= c`` (also ``c <= a`` / ``c >= a``) with a constant number ``c`` →
  ``assert_at_least(a, c)`` / ``assert_at_most(a, c)``. A strict bound (``>``, ``<``) or a computed
  bound is left. The check also refuses an infinite ``a`` and an array of more than one number (where
  the plain assert raises anyway).
* A constant string message (``assert ..., "msg"``, ``err_msg="msg"``) becomes ``what="msg"``, the text a
  failing check starts with. A computed message (an f-string, a name) is left: ``what=`` would be
  evaluated before the check, and the grader would show the text of the reference run.

Tolerance comparisons differ from numpy in two ways, both kept on purpose: the check never broadcasts
(shapes must be equal, so a scalar literal compared with a possible array is left: ``np.allclose(x, 0)``
broadcasts) and NaN equals nothing (numpy.testing counts NaN at the same place as equal). Strict ``<``
(``abs(a - b) < tol``, ``assert_almost_equal``) becomes ``<=``: they differ only at the boundary itself
(and for two equal infinities, which the check counts as close and ``abs(inf - inf) < tol`` does not).
``np`` and ``numpy`` are taken to be numpy.

Every check also has the grader compare the recorded value with the reference solution's value at the
same check: that is how the harness grades. Against a literal that adds nothing for exact checks; for a
tolerance the value must also lie within it of the reference's value (which lies within it of the
literal); where the expected side is computed (possibly from the student's own code), the plan notes it,
since a consistent but wrong pair of values now fails. In hidden
tests (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``) a literal expected value (a
number, string, tuple or list of them, ``np.array`` of a literal) becomes ``REFERENCE``: the hidden
answer leaves the cell, and the grader compares with the reference solution's value. A call whose name
the notebook binds to something else (``from nose.tools import assert_equal``) is not emitted.
``from autograder.checks import *`` is added to the first code cell that is not an answer cell (else
to the first converted cell) when no cell imports from ``autograder.checks``.
"""

import ast
import copy
import io
import json
import shutil
import tokenize
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from autograder.core import course as roles
from autograder.core.errors import UserError

IMPORT_LINE = "from autograder.checks import *"
CHECK_NAMES = ("assert_close", "assert_equal", "assert_shape", "assert_at_least", "assert_at_most", "REFERENCE")
_NUMPY = ("np", "numpy")
_TESTING = {"assert_allclose": "close", "assert_array_equal": "equal", "assert_equal": "equal",
            "assert_almost_equal": "almost"}


@dataclass
class Outcome:
    """One statement: converted (``new`` is its replacement) or left (``reason`` says why)."""

    line: int
    old: str
    new: str | None = None
    reason: str = ""
    note: str = ""


@dataclass
class CellPlan:
    index: int
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    problem: str = ""  # why the whole cell was left (it does not parse)
    source: str = ""  # the converted source
    calls_check: bool = False  # after conversion: can the grader score it

    @property
    def converted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.new is not None]

    @property
    def left(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.new is None]


class _Leave(Exception):
    """This statement is left as written, for the reason in the message."""


# ---------------------------------------------------------------------------------------------- literals

def _is_number(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _is_scalar_literal(node) -> bool:
    return _is_number(node) or (isinstance(node, ast.Constant)
                                and (node.value is None or type(node.value) in (str, bool)))


def _is_np_array_call(node) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("array", "asarray") and isinstance(node.func.value, ast.Name)
            and node.func.value.id in _NUMPY)


def _is_literal(node) -> bool:
    """A constant the reference solution's value could equal: number, string, bool, None, a tuple or list
    of literals, ``np.array(<literal>)``."""
    if _is_scalar_literal(node):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_is_literal(item) for item in node.elts)
    if _is_np_array_call(node):
        return len(node.args) == 1 and _is_literal(node.args[0]) and all(
            k.arg == "dtype" and isinstance(k.value, (ast.Constant, ast.Attribute)) for k in node.keywords)
    return False


def _is_container(node) -> bool:
    return isinstance(node, (ast.Tuple, ast.List, ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp))


# ---------------------------------------------------------------------------------------------- one statement

class _Statement:
    def __init__(self, source: str, hidden: bool, blocked: dict[str, str]):
        self.source, self.hidden, self.blocked = source, hidden, blocked
        self.note = ""

    def seg(self, node) -> str:
        return ast.get_source_segment(self.source, node)

    def call(self, name: str, actual, expected, *extra: str, what: str | None = None) -> str:
        if name in self.blocked:
            raise _Leave(f"{name} is bound to something else in this notebook ({self.blocked[name]})")
        if expected is None:
            args = [self.seg(actual)]
        elif self.hidden and _is_literal(expected):
            if "REFERENCE" in self.blocked:
                raise _Leave(f"REFERENCE is bound to something else in this notebook ({self.blocked['REFERENCE']})")
            args = [self.seg(actual), "REFERENCE"]
        else:
            if not _is_literal(expected):
                self.note = (f"expected side is computed: the grader also compares {self.seg(actual)} with the "
                             "reference solution's value")
            args = [self.seg(actual), self.seg(expected)]
        args += list(extra)
        if what is not None:
            args.append(f"what={what}")
        return f"{name}({', '.join(args)})"

    def message(self, node) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.seg(node)
        raise _Leave("the message is computed: what= would be evaluated before the check, and the grader "
                     "shows the reference run's text")

    # -- assert statements
    def assert_stmt(self, node: ast.Assert) -> str:
        what = self.message(node.msg)
        test = node.test
        if isinstance(test, ast.Call):
            return self.numpy_call(test, "allclose", what)
        if not isinstance(test, ast.Compare):
            raise _Leave("a truth value, not a comparison with an expected value")
        if len(test.ops) != 1:
            raise _Leave("a chained comparison")
        op, left, right = test.ops[0], test.left, test.comparators[0]
        if isinstance(op, ast.Eq):
            return self.equality(left, right, what)
        if isinstance(op, (ast.Lt, ast.LtE)) and _is_abs_difference(left):
            diff = left.args[0]
            return self.call("assert_close", diff.left, diff.right, f"atol={self.seg(right)}", "rtol=0", what=what)
        if isinstance(op, (ast.GtE, ast.LtE)):
            if _is_number(right) and not _is_number(left):
                name = "assert_at_least" if isinstance(op, ast.GtE) else "assert_at_most"
                return self.call(name, left, None, self.seg(right), what=what)
            if _is_number(left) and not _is_number(right):
                name = "assert_at_most" if isinstance(op, ast.GtE) else "assert_at_least"
                return self.call(name, right, None, self.seg(left), what=what)
            raise _Leave("the bound is not a constant number")
        if isinstance(op, (ast.Gt, ast.Lt)):
            raise _Leave("a strict bound (assert_at_least / assert_at_most include the bound)")
        word = {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.NotEq: "!="}[type(op)]
        raise _Leave(f"a comparison with {word}: no check has this meaning")

    def equality(self, left, right, what) -> str:
        for a, b in ((left, right), (right, left)):
            if _is_shape(a) and (_is_shape(b) or isinstance(b, ast.Tuple)):
                return self.call("assert_shape", a.value, b, what=what)
        if _is_container(left) or _is_container(right):
            raise _Leave("a list, tuple, dict or set on one side: == tells a list from a tuple or an array, "
                         "assert_equal compares items only")
        if _is_np_array_call(left) or _is_np_array_call(right):
            raise _Leave("an array on one side: == is elementwise there")
        if _is_literal(left) and _is_literal(right):
            raise _Leave("compares two constants")
        actual, expected = (right, left) if _is_literal(left) else (left, right)
        return self.call("assert_equal", actual, expected, what=what)

    # -- numpy calls
    def numpy_call(self, call: ast.Call, expect: str, what: str | None) -> str:
        func = call.func
        kind = None
        if expect == "allclose" and isinstance(func, ast.Attribute) and func.attr == "allclose" \
                and isinstance(func.value, ast.Name) and func.value.id in _NUMPY:
            kind = "allclose"
        elif expect == "testing" and _is_testing(func):
            kind = _TESTING[func.attr]
        if kind is None:
            raise _Leave("a truth value, not a comparison with an expected value")
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise _Leave("*args or **kwargs")
        names = {"allclose": ["a", "b", "rtol", "atol", "equal_nan"],
                 "close": ["actual", "desired", "rtol", "atol", "equal_nan", "err_msg", "verbose"],
                 "equal": ["actual", "desired", "err_msg", "verbose"],
                 "almost": ["actual", "desired", "decimal", "err_msg", "verbose"]}[kind]
        if kind == "equal" and func.attr == "assert_array_equal":
            names = ["x", "y", "err_msg", "verbose"]
        if len(call.args) > len(names):
            raise _Leave("more positional arguments than the function takes")
        given = dict(zip(names, call.args))
        for keyword in call.keywords:
            if keyword.arg in given or keyword.arg not in names + ["strict"]:
                raise _Leave(f"argument {keyword.arg!r} has no counterpart in the checks")
            given[keyword.arg] = keyword.value
        actual, expected = given.pop(names[0], None), given.pop(names[1], None)
        if actual is None or expected is None:
            raise _Leave("the two values to compare are not both given")
        if "err_msg" in given:
            if what is not None:
                raise _Leave("both an assert message and err_msg")
            what = self.message(given.pop("err_msg"))
        given.pop("verbose", None)
        strict = given.pop("strict", None)
        if strict is not None and not (isinstance(strict, ast.Constant) and isinstance(strict.value, bool)):
            raise _Leave("strict= is computed")
        equal_nan = given.pop("equal_nan", None)
        allowed = (False, True) if kind == "close" else (False,)  # True is assert_allclose's default
        if equal_nan is not None and not (isinstance(equal_nan, ast.Constant) and equal_nan.value in allowed
                                          and isinstance(equal_nan.value, bool)):
            raise _Leave("equal_nan=True: the checks never count NaN as equal")
        if _is_scalar_literal(expected) and not _is_scalar_literal(actual):
            raise _Leave("a number as the expected value: numpy broadcasts it over an array, the check compares shapes")
        if _is_literal(actual) and _is_literal(expected):
            raise _Leave("compares two constants")
        if kind == "equal":
            return self.call("assert_equal", actual, expected, what=what)
        if kind == "almost":
            decimal = given.pop("decimal", None)
            if decimal is None:
                places = 7
            elif isinstance(decimal, ast.Constant) and type(decimal.value) is int:
                places = decimal.value
            else:
                raise _Leave("decimal= is not a constant integer")
            return self.call("assert_close", actual, expected, f"atol={1.5 * 10.0 ** -places!r}", "rtol=0", what=what)
        written = sorted((node.lineno, node.col_offset, name) for name, node in given.items()
                         if name in ("rtol", "atol"))
        tolerances = [f"{name}={self.seg(given[name])}" for _, _, name in written]  # in the order written
        if kind == "close":  # assert_allclose's own defaults, which differ from assert_close's
            tolerances += [f"{name}={default}" for name, default in (("rtol", "1e-07"), ("atol", "0"))
                           if name not in given]
        return self.call("assert_close", actual, expected, *tolerances, what=what)


def _is_shape(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"


def _is_abs_difference(node) -> bool:
    if not (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords):
        return False
    func = node.func
    is_abs = (isinstance(func, ast.Name) and func.id == "abs") or (
        isinstance(func, ast.Attribute) and func.attr in ("abs", "absolute") and isinstance(func.value, ast.Name)
        and func.value.id in _NUMPY)
    return is_abs and isinstance(node.args[0], ast.BinOp) and isinstance(node.args[0].op, ast.Sub)


def _is_testing(func) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr in _TESTING and isinstance(func.value, ast.Attribute)
            and func.value.attr == "testing" and isinstance(func.value.value, ast.Name)
            and func.value.value.id in _NUMPY)


def _is_candidate(node) -> bool:
    """A statement migrate looks at: an assert, or a call of a numpy.testing assertion."""
    return isinstance(node, ast.Assert) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                                            and _is_testing(node.value.func))


# ---------------------------------------------------------------------------------------------- one cell

def _offsets(source: str):
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    lines = source.splitlines(keepends=True)

    def at(lineno: int, col: int) -> int:  # ast columns count UTF-8 bytes
        return starts[lineno - 1] + len(lines[lineno - 1].encode()[:col].decode())

    return at


def _has_comment(text: str) -> bool:
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return True


def _hidden_lines(source: str) -> set[int]:
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if roles.BEGIN_HIDDEN in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            hidden.add(number)
    return hidden


def migrate_source(source: str, blocked: dict[str, str] | None = None) -> tuple[str, list[Outcome]]:
    """The cell's source with every convertible statement rewritten, and one outcome per candidate
    statement. Raises SyntaxError when the cell is not plain Python."""
    blocked = blocked or {}
    tree = ast.parse(source)
    hidden = _hidden_lines(source)
    at = _offsets(source)
    top = set(map(id, tree.body))
    outcomes, edits = [], []
    for node in ast.walk(tree):
        if not _is_candidate(node):
            continue
        old = ast.get_source_segment(source, node)
        outcome = Outcome(node.lineno, old)
        outcomes.append(outcome)
        if id(node) not in top:
            outcome.reason = ("inside a block: the grader pairs checks with the reference's by position, so a check "
                              "must run the same number of times in every notebook")
            continue
        statement = _Statement(source, node.lineno in hidden, blocked)
        try:
            if _has_comment(old):
                raise _Leave("a comment inside the statement would be lost")
            if isinstance(node, ast.Assert):
                new = statement.assert_stmt(node)
            else:
                new = statement.numpy_call(node.value, "testing", None)
        except _Leave as leave:
            outcome.reason = str(leave)
            continue
        outcome.new, outcome.note = new, statement.note
        edits.append((at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset), new))
    for start, end, new in sorted(edits, reverse=True):
        source = source[:start] + new + source[end:]
    outcomes.sort(key=lambda o: o.line)
    return source, outcomes


# ---------------------------------------------------------------------------------------------- a notebook

def _bindings(notebook) -> tuple[dict[str, str], bool]:
    """Names of the checks that the notebook binds to something else, and whether it imports the checks."""
    blocked, imports = {}, False
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "autograder.checks":
                imports = True
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    if name in CHECK_NAMES or alias.name == "*":
                        key = name if name in CHECK_NAMES else "*"
                        blocked.setdefault(key, ast.get_source_segment(cell.source, node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in CHECK_NAMES:
                blocked.setdefault(node.name, f"def {node.name}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in CHECK_NAMES:
                blocked.setdefault(node.id, f"{node.id} = ...")
    star = blocked.pop("*", None)
    if star:  # another star import could shadow any check: emit none
        blocked.update({name: star for name in CHECK_NAMES if name not in blocked})
    return blocked, imports


def migrate_notebook(notebook) -> tuple[nbformat.NotebookNode, list[CellPlan]]:
    """A converted copy of ``notebook`` and the plan, one entry per test cell."""
    notebook = copy.deepcopy(notebook)
    blocked, imports = _bindings(notebook)
    plans = []
    for index, cell in enumerate(notebook.cells):
        if not roles.is_test(cell):
            continue
        plan = CellPlan(index, roles.grade_id(cell) or f"cell {index}", source=cell.source)
        plans.append(plan)
        try:
            plan.source, plan.outcomes = migrate_source(cell.source, blocked)
        except SyntaxError as error:
            plan.problem = f"not plain Python ({error.msg}, line {error.lineno}): left as it is"
            continue
        cell.source = plan.source
    for plan in plans:
        plan.calls_check = _calls_check(plan.source, blocked)
    converted = [plan for plan in plans if plan.converted]
    if converted and not imports:
        first = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"
                      and not roles.is_answer(c)), None)
        target = first if first is not None and first <= converted[0].index else converted[0].index
        cell = notebook.cells[target]
        cell.source = f"{IMPORT_LINE}\n{cell.source}" if cell.source else IMPORT_LINE
        for plan in plans:
            if plan.index == target:
                plan.source = cell.source
    return notebook, plans


def render(plans: list[CellPlan]) -> str:
    """The plan, cell by cell: each statement converted (old → new) and each left, with the reason."""
    lines = []
    for plan in plans:
        lines.append(f"{plan.name}: {len(plan.converted)} converted, {len(plan.left)} left"
                     + (f"; {plan.problem}" if plan.problem else ""))
        for outcome in plan.outcomes:
            old = " ".join(outcome.old.split())
            if outcome.new is not None:
                lines.append(f"  line {outcome.line}: {old}\n    -> {' '.join(outcome.new.split())}"
                             + (f"\n    note: {outcome.note}" if outcome.note else ""))
            else:
                lines.append(f"  line {outcome.line}: LEFT {old}\n    why: {outcome.reason}")
        if not plan.calls_check:
            lines.append("  (this cell calls no check: the grader cannot score it until it does)")
    total = sum(len(p.converted) for p in plans)
    left = sum(len(p.left) for p in plans)
    lines.append(f"{len(plans)} test cells: {total} statements converted, {left} left")
    return "\n".join(lines)


def _calls_check(source: str, blocked: dict[str, str]) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    names = [name for name in CHECK_NAMES + ("assert_grad_close",) if name not in blocked]
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names for n in ast.walk(tree))


def run(path: Path, out: Path | None = None, write: bool = False) -> tuple[str, Path | None]:
    """Read ``path``, migrate, and write to ``out`` or back to ``path`` (``write``, after a copy of the
    original in ``backup_folder(path)``, named in the text); the plan's text and the path written (None for
    a dry run)."""
    if out is not None and write:
        raise UserError("give either --out PATH or --write (overwrite the notebook), not both")
    if not path.is_file():
        raise UserError(f"no notebook at {path}")
    try:
        notebook = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.validator.ValidationError) as error:
        raise UserError(f"{path} is not a readable notebook ({type(error).__name__}); check the file") from error
    migrated, plans = migrate_notebook(notebook)
    if not plans:
        raise UserError(f"{path} has no nbgrader test cells (graded code cells): nothing to migrate")
    target = path if write else out
    text = render(plans)
    if target is not None and target.exists():  # never overwrite a notebook without a copy of it
        saved = backup_folder(target) / f"{target.stem}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}.ipynb"
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, saved)
        text += f"\nbackup of the notebook as it was: {saved}"
    if target is not None:
        nbformat.write(migrated, target)
    return text, target


def backup_folder(notebook: Path) -> Path:
    """Where ``migrate`` keeps the notebooks it overwrites: ``.autograder-backups/migrate/`` at the root of
    the course around ``notebook`` (never inside ``source/<assignment>/``, whose every file nbgrader
    releases), else beside the notebook."""
    here = notebook.resolve().parent
    root = next((folder for folder in (here, *here.parents) if (folder / "nbgrader_config.py").is_file()), here)
    return root / ".autograder-backups" / "migrate"
