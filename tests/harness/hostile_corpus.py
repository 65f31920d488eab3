"""Hostile submissions for 01_perceptron of the frozen test course (tests/files/courses/perceptron, the
01 assignment before the course rewrote it), each declaring how the grader must end it.

Every kind starts from the reference solution as a student would hand it in (the release's structure
with the solved answers, as ``autograder.tools.samples.build`` makes it with base "solution"), or from the
untouched release, and changes it in one hostile way. ``build_corpus`` writes each kind in nbgrader's
layout ``<kind>/01_perceptron/01_perceptron.ipynb`` (or a raw broken file at that path) and returns the
kinds with their expectations:

- ``status``: the status the grade must end with (a tuple where either of two is right);
- ``score``: autograded points, an exact number or ``"< full"``;
- ``why``: one line saying why that is the right outcome.

Points of 01_perceptron (14 autograded): predict 1 + 1, update 1 + 2, train 1 + 2, loss 1 + 1,
grad 2 + 1, gd 1. An answer that hangs or kills the kernel in the ``logistic`` cell is skipped in a re-run
(the grader's restarts) and keeps the 8 points of the tests before it (predict, update, train): every
test after it calls the functions that cell defines; a wrong ``predict`` fails test_predict, test_predict_hidden
and test_train (which compares predictions after training): 11 points.
"""

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.course import Course, grade_id, is_answer, is_test, read_notebook
from autograder.judge import records
from autograder.tools.samples import Sample, build

ASSIGNMENT = NOTEBOOK = "01_perceptron"
FULL = 14.0
BEFORE_LOGISTIC = 8.0  # predict 2 + update 3 + train 3: the tests that run before the logistic answer
WRONG_PREDICT_SCORE = 11.0  # fails test_predict (1), test_predict_hidden (1), test_train (1)
VICTIM = "control_correct"  # another student's folder the hostile kinds try to overwrite
ABSENT = "absent_student"  # on the roster, submitted nothing

WRONG_PREDICT = '''def predict(X, w, b):
    """Wrong on purpose: labels every point +1."""
    return np.ones(len(X), dtype=int)
'''

# Wrong answers that never raise, so that nothing but a hostile trick could earn a point with them.
WRONG_ALL = {
    "predict": WRONG_PREDICT,
    "update": "def perceptron_update(w, b, x, y):\n    return w.copy(), b, False\n",
    "train": "def train_perceptron(X, y, num_epochs=100):\n    return np.zeros(X.shape[1]), 0.0, [0]\n",
    "logistic": ("def logistic_loss(X, y, w, b):\n    return 0.0\n\n\n"
                 "def logistic_grad(X, y, w, b):\n    return np.zeros(X.shape[1]), 0.0\n"),
}


@dataclass
class Context:
    """What the builders need: the course's notebooks and the host paths the attacks aim at."""

    source: nbformat.NotebookNode
    release: nbformat.NotebookNode
    corpus: Path  # the folder of all submissions
    workdir: Path  # the grader's work directory (gradebook, reference records)
    course_root: Path
    home: Path  # the grading user's home on the host
    token: str  # unique per run: names of files the escape attempts create
    grader_port: int  # a TCP port the test listens on at 127.0.0.1 of the host

    def solved(self) -> nbformat.NotebookNode:
        """What a correct student submits (release structure, reference answers)."""
        return build(Sample("solved", "", "full", None, "solution"), self.source, self.release)

    def untouched(self) -> nbformat.NotebookNode:
        return copy.deepcopy(self.release)

    def answer(self, gid: str) -> str:
        """The reference answer of ``gid`` as the student would write it (no solution markers)."""
        return next(cell.source for cell in self.solved().cells if grade_id(cell) == gid)

    def folder(self, kind: str) -> Path:
        path = self.corpus / kind / ASSIGNMENT
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, kind: str, notebook: nbformat.NotebookNode, version: int = 4) -> Path:
        path = self.folder(kind) / f"{NOTEBOOK}.ipynb"
        nbformat.write(notebook, path, version=version)
        return path

    def escape_targets(self) -> list[Path]:
        """Host paths the write attempts aim at; none may exist after grading."""
        name = f"PWNED-{self.token}"
        return [self.corpus / VICTIM / ASSIGNMENT / name, self.corpus / name, self.course_root / name,
                self.course_root / "source" / ASSIGNMENT / name, Path("/tmp") / name, self.home / name,
                self.workdir / name, self.workdir / "scratch" / name,
                self.workdir / "reference" / ASSIGNMENT / name]


@dataclass
class Kind:
    name: str
    status: str | tuple[str, ...]
    score: float | str  # exact points, or "< full"
    why: str
    build: Callable[[Context], None]

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.status if isinstance(self.status, tuple) else (self.status,)


def _cell(notebook, gid: str):
    return next(cell for cell in notebook.cells if grade_id(cell) == gid)


def _with_answers(notebook, answers: dict[str, str]):
    for gid, text in answers.items():
        _cell(notebook, gid).source = text
    return notebook


def _append(ctx: Context, gid: str, code: str, before: bool = False, base=None):
    """The solved notebook (or ``base``) with ``code`` added to answer ``gid``."""
    notebook = base if base is not None else ctx.solved()
    cell = _cell(notebook, gid)
    cell.source = f"{code}\n{cell.source}" if before else f"{cell.source}\n\n{code}"
    return notebook


# --- controls -----------------------------------------------------------------------------------------

def _control_correct(ctx):
    ctx.write("control_correct", ctx.solved())


def _control_untouched(ctx):
    ctx.write("control_untouched", ctx.untouched())


def _control_wrong(ctx):
    ctx.write("control_wrong", _with_answers(ctx.solved(), WRONG_ALL))


# --- the kernel stops, loops or floods ----------------------------------------------------------------

SIGINT_LOOP = """import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""


def _sigint_loop(ctx):
    ctx.write("sigint_ignoring_loop", _append(ctx, "logistic", SIGINT_LOOP, before=True))


def _os_exit(ctx):
    ctx.write("os_exit", _append(ctx, "logistic", "import os\nos._exit(1)", before=True))


def _system_exit(ctx):
    # IPython catches SystemExit: the cell errors, the kernel lives, predict() is never defined
    ctx.write("system_exit", _append(ctx, "predict", "raise SystemExit(3)", before=True))


def _ipython_exit(ctx):
    ctx.write("ipython_exit", _append(ctx, "logistic", "exit()\nimport time\ntime.sleep(1)", before=True))


FORK_BOMB = """import os, time
_stop = time.time() + 45  # safety net for the host if containment ever failed; the cell limit is 20 s
while time.time() < _stop:
    try:
        os.fork()
    except OSError:
        pass
"""


def _fork_bomb(ctx):
    ctx.write("fork_bomb", _append(ctx, "logistic", FORK_BOMB, before=True))


def _huge_output(ctx):
    code = "for _i in range(50):\n    print('x' * (1 << 20))  # 50 MiB of output in all"
    ctx.write("huge_output", _append(ctx, "logistic", code))


def _memory_bomb(ctx):
    code = "_big = np.ones(2**29)  # 4 GiB of float64, touched page by page"
    ctx.write("memory_bomb", _append(ctx, "logistic", code, before=True))


KILL_PARENT = """import os, signal
for _kill in (lambda: os.kill(os.getppid(), signal.SIGKILL), lambda: os.killpg(os.getpgid(0), signal.SIGKILL)):
    try:
        _kill()
    except OSError as error:
        print("kill failed:", error)
"""


def _kill_parent(ctx):
    ctx.write("kill_parent", _append(ctx, "logistic", KILL_PARENT, before=True))


KILL_EVERYONE = """import os, signal
# kill(-1) signals every process the caller may signal. Only fire it inside a PID namespace (the kernel
# is one of the first few processes there): outside a sandbox this would kill the whole machine.
if os.getpid() < 10:
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError as error:  # ESRCH: the namespace holds nobody else to kill
        print("kill(-1) failed:", error)
print("still alive as pid", os.getpid())
"""


def _kill_everyone(ctx):
    ctx.write("kill_everyone", _append(ctx, "logistic", KILL_EVERYONE, before=True))


def _orphans(ctx):
    code = f"""import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "HOSTILE-{ctx.token}"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
if os.fork() == 0:  # a double-forked daemon that outlives the kernel unless the sandbox reaps it
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "HOSTILE-{ctx.token}"])
    os._exit(0)
time.sleep(0.5)
"""
    ctx.write("orphan_processes", _append(ctx, "logistic", code))


# --- escape the sandbox ----------------------------------------------------------------------------------

def _network(ctx):
    code = f"""import socket
def _reachable():
    reached = []
    for host, port in [("1.1.1.1", 53), ("127.0.0.1", {ctx.grader_port})]:
        try:
            socket.create_connection((host, port), timeout=3).close()
            reached.append((host, port))
        except OSError:
            pass
    try:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.sendto(b"\\x00", ("1.1.1.1", 53))
        reached.append(("1.1.1.1", "udp 53"))
    except OSError:
        pass
    return reached
_REACHED = _reachable()
print("reached:", _REACHED)
if _REACHED:  # a network that works costs this student every point
    def predict(X, w, b):
        return np.zeros(len(X), dtype=int)
    def perceptron_update(w, b, x, y):
        return w, b, False
"""
    ctx.write("network", _append(ctx, "predict", code))


def _write_escape(ctx):
    victim_nb = ctx.corpus / VICTIM / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    own_nb = ctx.corpus / "write_escape" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    targets = [str(p) for p in ctx.escape_targets()] + [f"../PWNED-{ctx.token}", f"~/PWNED-{ctx.token}"]
    code = f"""import os
_written = []
for _path in {targets!r}:
    try:
        with open(os.path.expanduser(_path), "w") as _f:
            _f.write("pwned")
        _written.append(_path)
    except OSError:
        pass
for _path in [{str(victim_nb)!r}, {str(own_nb)!r}, {str(ctx.workdir / "gradebook.db")!r}]:
    try:
        with open(_path, "r+b") as _f:  # would overwrite another student's work, its own, the gradebook
            _f.write(b"{{}}")
        _written.append(_path)
    except OSError:
        pass
print("written inside the sandbox:", _written)
"""
    ctx.write("write_escape", _append(ctx, "predict", code))


def _read_secrets(ctx):
    root = ctx.course_root
    candidates = [root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", root / "grading" / "gradebook.db",
                  ctx.workdir / "gradebook.db", ctx.workdir / "reference" / ASSIGNMENT / f"{NOTEBOOK}.json",
                  ctx.workdir / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", Path("leak.ipynb")]
    code = f"""import json, os, sqlite3, sys
_found = []
_MARK = "### BEGIN " + "SOLUTION"  # split, so that this cell never matches itself
def _solutions_from(path):
    text = open(path, "rb").read()
    if text.startswith(b"SQLite format 3"):
        db = sqlite3.connect(f"file:{{path}}?mode=ro", uri=True)
        return [row[0] for row in db.execute("select source from source_cell") if "def " in (row[0] or "")]
    cells = json.loads(text).get("cells", [])
    return ["".join(c["source"]) for c in cells if _MARK in "".join(c.get("source", ""))]
_paths = {[str(p) for p in candidates]!r}
_skip = {{"/proc", "/sys", "/dev", "/usr", sys.prefix, sys.base_prefix}}
for _top, _dirs, _files in os.walk("/"):
    _dirs[:] = [d for d in _dirs if os.path.join(_top, d) not in _skip]
    _paths += [os.path.join(_top, f) for f in _files if f.endswith((".db", ".ipynb"))
               and not os.path.samefile(_top, os.getcwd())]
for _path in _paths:
    try:
        _codes = _solutions_from(_path)
    except Exception:
        continue
    for _code in _codes:
        try:
            exec(_code, globals())  # the solution markers are comments
            _found.append(_path)
        except Exception:
            pass
print("FOUND:" if _found else "nothing found", sorted(set(_found)))
"""
    notebook = ctx.untouched()
    _cell(notebook, "predict").source = code
    ctx.write("read_secrets", notebook)
    # a symlink in the student's folder to the instructor's source: must not be copied for the kernel
    (ctx.folder("read_secrets") / "leak.ipynb").symlink_to(root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")


def _symlink_notebook(ctx):
    """The submitted notebook itself is a symlink to the instructor's source notebook."""
    path = ctx.folder("symlink_to_source") / f"{NOTEBOOK}.ipynb"
    path.symlink_to(ctx.course_root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")


# --- fool the checks -------------------------------------------------------------------------------------

PATCH_ALWAYS_PASS = """import numpy as np, numpy.testing
import autograder.checks as _checks, autograder.judge.records as _records
_yes = lambda *args, **kwargs: True
_quiet = lambda *args, **kwargs: None
np.allclose = np.array_equal = np.array_equiv = _yes
np.testing.assert_allclose = np.testing.assert_array_equal = np.testing.assert_equal = _quiet
np.testing.assert_almost_equal = np.testing.assert_array_almost_equal = _quiet
_records.compare_values = _records.judge = _quiet
for _name in _checks.__all__:
    if _name.startswith("assert_"):
        setattr(_checks, _name, _quiet)
        globals()[_name] = _quiet
"""


def _patch_always_pass(ctx):
    notebook = _with_answers(ctx.solved(), WRONG_ALL)
    ctx.write("patch_always_pass", _append(ctx, "predict", PATCH_ALWAYS_PASS, base=notebook))


PATCH_RECORD_EXPECTED = """import numpy as np
import autograder.checks as _checks
from dlcourse.gradcheck import numerical_gradient as _numerical
_rec = _checks._record
# checks that never look at the student's value: they record the expected value written in the cell
def assert_equal(actual, expected, *, what="the result"):
    _rec("equal", expected, what)
def assert_close(actual, expected, *, rtol=1e-5, atol=1e-8, what="the result"):
    _rec("close", expected, what, rtol=rtol, atol=atol)
def assert_at_least(actual, bound, *, what="the result"):
    _rec("at_least", bound, what, bound=bound)
def assert_at_most(actual, bound, *, what="the result"):
    _rec("at_most", bound, what, bound=bound)
def assert_grad_close(f, x, analytic, *, rtol=1e-6, h=1e-5, what="the gradient"):
    _rec("close", _numerical(f, np.array(x, dtype=np.float64), h=h), what, rtol=rtol, atol=1e-9)
for _name in ("assert_equal", "assert_close", "assert_at_least", "assert_at_most", "assert_grad_close"):
    setattr(_checks, _name, globals()[_name])
"""


def _patch_record_expected(ctx):
    notebook = _with_answers(ctx.solved(), WRONG_ALL)
    ctx.write("patch_record_expected", _append(ctx, "predict", PATCH_RECORD_EXPECTED, base=notebook))


def _input_transformer(ctx):
    code = "get_ipython().input_transformers_cleanup.append(lambda lines: [])  # blanks every later cell"
    notebook = _with_answers(ctx.solved(), WRONG_ALL)
    ctx.write("input_transformer_blanks", _append(ctx, "predict", code, base=notebook))


def _hide_errors(ctx):
    code = """import sys
sys.displayhook = lambda value: None
_ip = get_ipython()
_ip.showtraceback = lambda *args, **kwargs: None
_ip._showtraceback = lambda *args, **kwargs: None
_ip.showsyntaxerror = lambda *args, **kwargs: None
"""
    notebook = _with_answers(ctx.solved(), WRONG_ALL)
    ctx.write("hide_errors", _append(ctx, "predict", code, base=notebook))


EQ_ALWAYS_TRUE = '''class _AlwaysEqual(np.ndarray):
    """Equal to everything, different from nothing."""
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)
    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)


def predict(X, w, b):
    return np.ones(len(X), dtype=int).view(_AlwaysEqual)
'''


def _eq_always_true(ctx):
    ctx.write("eq_always_true", _with_answers(ctx.solved(), {"predict": EQ_ALWAYS_TRUE}))


def _faked_outputs(ctx):
    """Wrong answers handed in with outputs that look like a passing run: every code cell numbered, every
    test cell with a forged record of predict's visible answer and a full-points result, no error."""
    notebook = _with_answers(ctx.solved(), WRONG_ALL)
    forged = records.make_record("equal", [-1, 1, -1, -1], "predict(X, w=[1, 1], b=-1)")
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
        if is_test(cell):
            points = cell.metadata.nbgrader["points"]
            cell.outputs = [nbformat.v4.new_output("display_data", {records.RECORD_MIME: forged, "text/plain": ""}),
                            nbformat.v4.new_output("execute_result", {"text/plain": str(points)},
                                                   execution_count=number + 1)]
    ctx.write("faked_outputs", notebook)


# --- tamper with the notebook's structure ----------------------------------------------------------------

def _wrong_predict(ctx):
    return _with_answers(ctx.solved(), {"predict": WRONG_PREDICT})


def _delete_tests(ctx):
    notebook = _wrong_predict(ctx)
    notebook.cells = [c for c in notebook.cells if grade_id(c) not in ("test_predict", "test_predict_hidden")]
    ctx.write("delete_test_cells", notebook)


def _tests_to_pass(ctx):
    notebook = _wrong_predict(ctx)
    for gid in ("test_predict", "test_predict_hidden", "test_train"):
        _cell(notebook, gid).source = "pass"
    ctx.write("test_cells_pass", notebook)


def _duplicate_answer(ctx):
    notebook = ctx.solved()
    duplicate = copy.deepcopy(_cell(notebook, "predict"))
    duplicate.source = WRONG_PREDICT
    duplicate.id = "predict-again"
    position = notebook.cells.index(_cell(notebook, "test_predict_hidden")) + 1
    notebook.cells.insert(position, duplicate)
    ctx.write("duplicate_answer_after_test", notebook)


def _relabel(ctx):
    notebook = _wrong_predict(ctx)
    for gid, new in (("test_predict", "test_gd"), ("test_predict_hidden", "relabelled")):
        meta = _cell(notebook, gid).metadata.nbgrader
        meta["grade_id"] = new
        meta["points"] = 0
    ctx.write("relabel_test_ids", notebook)


def _points_100(ctx):
    notebook = ctx.solved()
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
    ctx.write("points_100", notebook)


def _insert_reorder(ctx):
    notebook = ctx.solved()
    cells = list(reversed(notebook.cells))
    cells.insert(3, nbformat.v4.new_markdown_cell("my notes"))
    cells.insert(7, nbformat.v4.new_code_cell("scratch = 1 + 1\nprint(scratch)"))
    notebook.cells = cells
    ctx.write("insert_and_reorder", notebook)


def _prints_and_warns(ctx):
    code = """import sys, warnings
warnings.simplefilter("always")
_quiet_predict = predict


def predict(X, w, b):
    print("predicting", len(X), "points")
    print("a note on stderr", file=sys.stderr)
    warnings.warn("predict() was called")
    return _quiet_predict(X, w, b)
"""
    ctx.write("prints_and_warns", _append(ctx, "predict", code))


# --- broken files ----------------------------------------------------------------------------------------

def _raw(ctx, kind: str, data: bytes):
    (ctx.folder(kind) / f"{NOTEBOOK}.ipynb").write_bytes(data)


def _nbformat3(ctx):
    notebook = nbformat.convert(ctx.solved(), 3)
    ctx.write("nbformat3", notebook, version=3)


def _truncated(ctx):
    text = nbformat.writes(ctx.solved()).encode()
    _raw(ctx, "truncated_json", text[: len(text) // 2])


def _invalid_id(ctx):
    folder = ctx.corpus / "bad id!" / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(ctx.solved(), folder / f"{NOTEBOOK}.ipynb")


KINDS = [
    Kind("control_correct", "graded", FULL, "the reference solution as a student submits it", _control_correct),
    Kind("control_untouched", "graded", 0, "the release as handed out: every answer raises", _control_untouched),
    Kind("control_wrong", "graded", 0,
         "the wrong answers that the kinds fooling the checks start from, without a trick: no test passes",
         _control_wrong),
    Kind("sigint_ignoring_loop", "graded", BEFORE_LOGISTIC,
         "endless loop ignoring SIGINT in the logistic answer: killed at 20 s, the notebook re-run without it; "
         "the tests after it need its functions",
         _sigint_loop),
    Kind("os_exit", "graded", BEFORE_LOGISTIC,
         "os._exit(1) kills the kernel in the logistic answer: re-run in a fresh kernel without that cell", _os_exit),
    Kind("system_exit", "graded", WRONG_PREDICT_SCORE,
         "IPython catches SystemExit: the predict cell errors before defining predict, the kernel lives",
         _system_exit),
    Kind("ipython_exit", "crashed", BEFORE_LOGISTIC,
         "exit() in the logistic answer: the cell finishes, then the kernel exits and test_loss meets a dead one",
         _ipython_exit),
    Kind("fork_bomb", "graded", BEFORE_LOGISTIC,
         "os.fork() loop in the logistic answer: held at the pids cgroup cap, killed at 20 s, re-run without it",
         _fork_bomb),
    Kind("huge_output", "graded", FULL, "50 MiB printed by a correct answer: output truncated, records intact",
         _huge_output),
    Kind("memory_bomb", "graded", BEFORE_LOGISTIC,
         "np.ones(2**29) (4 GiB) in the logistic answer: stopped at the 2 GiB cap, re-run without it", _memory_bomb),
    Kind("kill_parent", "graded", FULL,
         "SIGKILL to its parent (the PID namespace's init: immune) and its process group (init's: ESRCH)",
         _kill_parent),
    Kind("kill_everyone", "graded", FULL, "kill(-1, SIGKILL) inside its PID namespace reaches nothing else",
         _kill_everyone),
    Kind("orphan_processes", "graded", FULL,
         "leaves a detached child and a double-forked daemon: reaped with the sandbox", _orphans),
    Kind("network", "graded", FULL,
         "TCP to 1.1.1.1:53 and the grader's 127.0.0.1 port, UDP to 1.1.1.1: all fail, so answers stay right",
         _network),
    Kind("write_escape", "graded", FULL,
         "writes to other students, the course, /tmp, $HOME, the gradebook: all land in the sandbox",
         _write_escape),
    Kind("read_secrets", "graded", 0,
         "looks for source/, gradebooks, reference records, a symlink to source: finds nothing, stubs stay",
         _read_secrets),
    Kind("symlink_to_source", "invalid", 0,
         "the submitted file is a symlink to the instructor's source notebook: must not be followed",
         _symlink_notebook),
    Kind("patch_always_pass", "graded", 0,
         "np.allclose/np.testing/autograder checks patched to pass, wrong answers: nothing recorded",
         _patch_always_pass),
    # Policy, not a hole: a visible test's answer is printed in the student's notebook, so recording it is
    # the same as hard-coding it; every grader pays those points. The hidden tests (and 9 of 14 points)
    # hold: nothing that is not published can be faked.
    Kind("patch_record_expected", "graded", 5,
         "checks patched to record the expected values written in visible tests, wrong answers: earns exactly "
         "the visible tests with published answers, no hidden test", _patch_record_expected),
    Kind("input_transformer_blanks", "graded", 0,
         "an input transformer blanks every later cell, wrong answers: tests record nothing", _input_transformer),
    Kind("hide_errors", "graded", 0, "sys.displayhook and showtraceback replaced, wrong answers", _hide_errors),
    Kind("faked_outputs", "graded", 0,
         "wrong answers with outputs of a passing run (forged records, full-points results): the grader runs "
         "the notebook afresh and never reads a submitted output", _faked_outputs),
    Kind("eq_always_true", "graded", WRONG_PREDICT_SCORE,
         "predict returns an ndarray whose == is always True: the grader compares the recorded bytes",
         _eq_always_true),
    Kind("delete_test_cells", "graded", WRONG_PREDICT_SCORE,
         "wrong predict, its test cells deleted: the source's tests are re-inserted", _delete_tests),
    Kind("test_cells_pass", "graded", WRONG_PREDICT_SCORE,
         "wrong predict, its test cells edited to `pass`: the source's tests run", _tests_to_pass),
    Kind("duplicate_answer_after_test", "graded", FULL - 1,
         "correct predict, a wrong copy after its tests: runs as an extra cell, so test_train fails",
         _duplicate_answer),
    Kind("relabel_test_ids", "graded", WRONG_PREDICT_SCORE,
         "wrong predict, its tests re-labelled (one as test_gd) with 0 points: source ids and points rule",
         _relabel),
    Kind("points_100", "graded", FULL, "every grade cell set to 100 points: the source's points rule",
         _points_100),
    Kind("insert_and_reorder", "graded", FULL, "cells reversed and extra cells inserted: answers match by id",
         _insert_reorder),
    Kind("prints_and_warns", "graded", FULL, "a correct predict that prints, writes stderr and warns",
         _prints_and_warns),
    Kind("empty_file", "invalid", 0, "a zero-byte notebook", lambda ctx: _raw(ctx, "empty_file", b"")),
    Kind("truncated_json", "invalid", 0, "the first half of a notebook's JSON", _truncated),
    Kind("json_not_notebook", "invalid", 0, "valid JSON without cells",
         lambda ctx: _raw(ctx, "json_not_notebook", json.dumps({"hello": ["world"]}).encode())),
    Kind("nbformat3", "graded", FULL,
         "the correct solution saved as nbformat 3: converted to 4 (note in the reason) and graded", _nbformat3),
    Kind("bad id!", "invalid", 0, "a folder name that is not a usable student id", _invalid_id),
    # -- issue 26, items 4 and 5 (data safety): one student's file never stops the batch
    Kind("nested_json", "invalid", 0,
         "100,000 nested JSON arrays: json raises RecursionError, which is this student's invalid (with a "
         "reason), not the batch's end", lambda ctx: _raw(ctx, "nested_json", b"[" * 100_000 + b"]" * 100_000)),
]



# --- reach the hidden tests ------------------------------------------------------------------------------
# Each kind is a correct submission that also tries to show its student the code of the hidden tests: through
# IPython's records after the fact (input history, %history, a log, linecache), or live, from inside an
# answer that a hidden test calls (its caller's source, frames kept for later, the request's code written
# to a file, an exception message). The grades hold; ``test_hostile.test_hidden_tests_never_reach_a_student``
# reads their feedback pages (and, for the kinds in ``AFTER_THE_FACT``, the graded notebook itself).

def _last_cell(notebook, code: str):
    """``notebook`` with a code cell of the student's own appended at the end."""
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    return notebook


def _leak_input_history(ctx):
    code = 'print("\\n".join(In))\nprint("\\n".join(_ih))\nprint(_i, _ii, _iii)'
    ctx.write("leak_input_history", _last_cell(ctx.solved(), code))


LEAK_HISTORY = """_ip = get_ipython()
_ip.run_line_magic("history", "-n")
_ip.run_line_magic("history", "-g -n")
print("\\n".join(text for _, _, text in _ip.history_manager.get_range(raw=True)))
print("\\n".join(_ip.history_manager.input_hist_raw + _ip.history_manager.input_hist_parsed))
"""


def _leak_history_magic(ctx):
    ctx.write("leak_history_magic", _last_cell(ctx.solved(), LEAK_HISTORY))


def _leak_input_log(ctx):
    notebook = _append(ctx, "predict", 'get_ipython().run_line_magic("logstart", "-o -r leak_log.py")', before=True)
    ctx.write("leak_input_log", _last_cell(notebook, 'print(open("leak_log.py").read())'))


LEAK_LINECACHE = """import linecache
for _name, _entry in list(linecache.cache.items()):
    if "site-packages" not in _name and "/lib/python" not in _name and len(_entry) > 2:
        print(_name, "".join(_entry[2]))
"""


def _leak_linecache(ctx):
    ctx.write("leak_linecache", _last_cell(ctx.solved(), LEAK_LINECACHE))


LEAK_GETSOURCE = """import inspect, linecache, sys
_seen = []
_quiet_predict = predict


def predict(X, w, b):
    caller = sys._getframe(1)  # the test cell that called
    try:
        _seen.append(inspect.getsource(caller))
    except (OSError, TypeError):
        pass
    _seen.append("".join(linecache.getlines(caller.f_code.co_filename)))
    return _quiet_predict(X, w, b)
"""


def _leak_getsource(ctx):
    notebook = _append(ctx, "predict", LEAK_GETSOURCE)
    ctx.write("leak_getsource_live", _last_cell(notebook, 'print("\\n".join(_seen))'))


LEAK_FRAMES = """import sys
_frames = []
_quiet_update = perceptron_update


def perceptron_update(w, b, x, y):
    _frames.append(sys._getframe(1))  # kept for a later cell
    return _quiet_update(w, b, x, y)
"""
PRINT_FRAMES = """import traceback
for _frame in _frames:
    print("".join(traceback.format_stack(_frame)))
    print(_frame.f_code.co_consts)
"""


def _leak_frames(ctx):
    notebook = _append(ctx, "update", LEAK_FRAMES)
    ctx.write("leak_frames_later", _last_cell(notebook, PRINT_FRAMES))


LEAK_FILE = """_quiet_loss = logistic_loss


def logistic_loss(X, y, w, b):
    with open("stolen.txt", "a") as _file:  # the code of the cell being run, as the kernel received it
        _file.write(get_ipython().kernel.get_parent()["content"]["code"] + "\\n")
    return _quiet_loss(X, y, w, b)
"""


def _leak_file(ctx):
    notebook = _append(ctx, "logistic", LEAK_FILE)
    ctx.write("leak_file_written", _last_cell(notebook, 'print(open("stolen.txt").read())'))


LEAK_MESSAGE = """_stolen = []
_quiet_grad = logistic_grad


def logistic_grad(X, y, w, b):
    code = get_ipython().kernel.get_parent()["content"]["code"]
    if "train_logistic(" in code:  # test_gd, after the hidden tests: it shows its error message
        raise ValueError(_stolen[-1])
    _stolen.append(code)
    return _quiet_grad(X, y, w, b)
"""


def _leak_message(ctx):
    ctx.write("leak_error_message", _append(ctx, "logistic", LEAK_MESSAGE))


LEAK_KINDS = [
    Kind("leak_input_history", "graded", FULL, "a last cell prints In, _ih and _i: hidden cells never enter them",
         _leak_input_history),
    Kind("leak_history_magic", "graded", FULL,
         "a last cell runs %history (this session's and every session's) and reads the history manager",
         _leak_history_magic),
    Kind("leak_input_log", "graded", FULL, "%logstart in an answer, the log printed by a last cell",
         _leak_input_log),
    Kind("leak_linecache", "graded", FULL, "a last cell prints every cell's code kept in linecache",
         _leak_linecache),
    Kind("leak_getsource_live", "graded", FULL,
         "predict() keeps inspect.getsource and linecache of the test cell calling it; a last cell prints them",
         _leak_getsource),
    Kind("leak_frames_later", "graded", FULL,
         "perceptron_update() keeps its caller's frame; a last cell prints their stacks and constants",
         _leak_frames),
    Kind("leak_file_written", "graded", FULL,
         "logistic_loss() writes the code of the cell calling it to a file; a last cell prints the file",
         _leak_file),
    Kind("leak_error_message", "graded", FULL - 1,
         "logistic_grad() keeps the code of the cells calling it and raises it as an error message when "
         "test_gd calls it (test_gd fails)", _leak_message),
]
# the routes that use IPython's records after a hidden cell ended: run-time hygiene alone keeps them empty
AFTER_THE_FACT = ("leak_input_history", "leak_history_magic", "leak_input_log", "leak_linecache",
                  "leak_getsource_live")
KINDS += LEAK_KINDS

# --- resources: disk, files, namespaces (issue 26) ---------------------------------------------------

FILL_DISK = """import os
_written, _stopped = 0, None
try:
    for _i in range(16):  # 16 files of 64 MiB: 1 GiB, twice the work folder's cap; each under prlimit's file cap
        with open(f"filler-{_i}.bin", "wb") as _f:
            for _j in range(64):
                _f.write(b"x" * (1 << 20))
                _written += 1 << 20
except OSError as _error:
    _stopped = _error
print("wrote", _written >> 20, "MiB; stopped by", _stopped)
if _stopped is None:  # nothing capped the disk: this student loses the logistic points
    def logistic_loss(X, y, w, b):
        return 0.0
"""

MANY_FILES = """import os, time
_made, _stopped, _stop = 0, None, time.time() + 15  # the cell limit is 20 s
os.makedirs("many", exist_ok=True)
try:
    while _made < 1_000_000 and time.time() < _stop:
        open(f"many/{_made}", "w").close()
        _made += 1
except OSError as _error:
    _stopped = _error
print("made", _made, "files; stopped by", _stopped)
if _stopped is None:  # nothing capped the files: this student loses the logistic points
    def logistic_loss(X, y, w, b):
        return 0.0
"""


NESTED_USERNS = """import subprocess, sys
# a user namespace inside the sandbox (in a child, so the kernel stays as it is): the usual door to bugs
# in the host's kernel, closed by bubblewrap's --disable-userns and the seccomp filter
_probe = "import ctypes, sys; sys.exit(ctypes.CDLL(None).unshare(0x10000000) != 0)"
_opened = subprocess.run([sys.executable, "-c", _probe]).returncode == 0
print("nested user namespace:", "created" if _opened else "refused")
if _opened:  # this student loses the logistic points
    def logistic_loss(X, y, w, b):
        return 0.0
"""


def _nested_userns(ctx):
    ctx.write("nested_userns", _append(ctx, "logistic", NESTED_USERNS))


def _fill_disk(ctx):
    ctx.write("fill_disk", _append(ctx, "logistic", FILL_DISK))


def _many_files(ctx):
    ctx.write("million_files", _append(ctx, "logistic", MANY_FILES))


RESOURCE_KINDS = [
    Kind("fill_disk", "graded", FULL,
         "writes 1 GiB into its folder: stopped by the work folder's 512 MiB cap (ENOSPC), graded, the cap in the "
         "reason", _fill_disk),
    Kind("million_files", "graded", FULL,
         "creates up to a million files: stopped by the work folder's 20,000-file cap, graded, the cap in the reason",
         _many_files),
    Kind("nested_userns", "graded", FULL,
         "unshare(CLONE_NEWUSER) inside the sandbox: refused (--disable-userns, seccomp), so its answers stay right",
         _nested_userns),
]
KINDS += RESOURCE_KINDS


def build_corpus(into: Path, workdir: Path, token: str, grader_port: int, course: Course | None = None,
                 home: Path | None = None, only: tuple[str, ...] | None = None) -> list[Kind]:
    """Write every kind (or the kinds named in ``only``) under ``into``, one folder per student; returns
    the kinds written."""
    course = course or Course.find()
    ctx = Context(read_notebook(course.source_path(ASSIGNMENT, NOTEBOOK)),
                  read_notebook(course.release_path(ASSIGNMENT, NOTEBOOK)), Path(into), Path(workdir),
                  course.root, home or Path.home(), token, grader_port)
    ctx.corpus.mkdir(parents=True, exist_ok=True)
    kinds = [kind for kind in KINDS if only is None or kind.name in only]
    for kind in kinds:
        kind.build(ctx)
    return kinds


def answer_ids(notebook) -> list[str]:
    return [grade_id(cell) for cell in notebook.cells if is_answer(cell)]
