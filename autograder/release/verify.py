"""Checks a student release must pass before anyone receives it.

1. ``release/`` is exactly what nbgrader generates from ``source/`` now (in sync);
2. no solution text and no hidden-test text in the release;
3. the release runs top to bottom failing only with NotImplementedError (and NameErrors for names that a
   cell which raised NotImplementedError would have defined);
4. the reference solution scores full marks, graded the way students are;
5. the untouched release scores 0.
Every violation names the notebook, the cell and the rule. A caller that grades the reference solution and
the untouched release itself (``make demo``, beside its samples) leaves rules 4 and 5 out (``Rules(scores=False)``).

Some rules are this harness's own conventions, not what breaks an nbgrader release (``convention``): a
given cell calling ``input()``, a name defined only inside a solution region (later cells of the release
then raise ``NameError``), and a solution or hidden-test line found inside a visible line (a short common
line such as ``print('Hello, World!')``, or a hidden assert that begins like a visible one). nbgrader
releases such a course, so for a foreign course they are warnings (``Violation.warning``) and ``release``
exits 0; a course with ``c.Autograder.strict_release = True`` (this one) fails on them.
"""

import ast
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.core.config import Limits
from autograder.core.course import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    Course,
    cell_key,
    grade_id,
    is_answer,
    is_test,
    read_notebook,
    solution_notebook,
)
from autograder.core.status import Status
from autograder.judge.records import cell_error
from autograder.judge.scoring import ReferenceCell
from autograder.release.generate import generate_to_temp
from autograder.run.backends import SandboxMode
from autograder.run.execute import run_notebook

_REGIONS = {f"### {BEGIN_SOLUTION}": f"### {END_SOLUTION}", f"### {BEGIN_HIDDEN}": f"### {END_HIDDEN}"}
MIN_SECRET_LINE = 12  # shorter lines ("return x", "else:") are too common to call a leak
REFERENCE_LOSES = "reference loses points"  # rule 4's violation
RELEASE_EARNS = "release earns points"  # rule 5's violation


@dataclass
class Violation:
    notebook: str
    cell: str
    rule: str
    detail: str
    convention: bool = False  # this course's convention, not something that breaks an nbgrader release
    warning: bool = False  # reported, not failed: a convention of a course that is not held to them

    def __str__(self) -> str:
        return f"{self.notebook} [{self.cell}] {self.rule}: {self.detail}"


def _normalised(notebook: nbformat.NotebookNode) -> str:
    return json.dumps(notebook, sort_keys=True, indent=1)


def check_in_sync(course: Course, assignment: str) -> list[Violation]:
    """Rule 1: the committed release equals a fresh generation."""
    out = []
    with tempfile.TemporaryDirectory(prefix="gradebook-") as scratch:
        generated, holder = generate_to_temp(course, assignment, f"sqlite:///{scratch}/gradebook.db")
        with holder:
            committed_dir = course.root / "release" / assignment
            fresh = {p.name for p in generated.iterdir()}
            kept = {p.name for p in committed_dir.iterdir()} if committed_dir.is_dir() else set()
            for name in sorted(fresh | kept):
                if name not in kept or name not in fresh:
                    out.append(Violation(name, "-", "release out of sync",
                                         f"{'missing from' if name not in kept else 'extra in'} release/{assignment}/"))
                    continue
                if (generated / name).is_file() and not name.endswith(".ipynb"):
                    if (generated / name).read_bytes() != (committed_dir / name).read_bytes():
                        out.append(Violation(name, "-", "release out of sync",
                                             f"release/{assignment}/{name} differs from source/{assignment}/{name}"))
                    continue
                if name.endswith(".ipynb"):
                    a, b = read_notebook(generated / name), read_notebook(committed_dir / name)
                    if _normalised(a) != _normalised(b):
                        cell = next((cell_key(x) for x, y in zip(a.cells, b.cells) if x != y), "cell count")
                        out.append(Violation(name, cell, "release out of sync",
                                             f"release/{assignment}/{name} differs from what source/ generates; run "
                                             f"`python -m autograder release {assignment}`"))
    return out


def secret_lines(source: nbformat.NotebookNode) -> dict[str, set[str]]:
    """Lines inside solution and hidden-test regions (and written answers), by cell, that appear
    nowhere else in the source notebook."""
    secrets, public = {}, set()
    for cell in source.cells:
        inside, hidden = None, set()
        for line in cell.source.splitlines():
            stripped = line.strip()
            if inside is None and stripped in _REGIONS:
                inside = _REGIONS[stripped]
            elif inside is not None and stripped == inside:
                inside = None
            elif inside is not None or (cell.cell_type == "markdown" and is_answer(cell)):
                hidden.add(stripped)
            else:
                public.add(stripped)
        secrets[cell_key(cell)] = hidden
    return {key: {line for line in lines - public if len(line) >= MIN_SECRET_LINE}
            for key, lines in secrets.items()}


def check_no_secrets(name: str, source: nbformat.NotebookNode, release: nbformat.NotebookNode) -> list[Violation]:
    """Rule 2: no line of a solution or hidden test, and no region marker, in the release."""
    out = []
    release_text = {cell_key(cell): cell.source for cell in release.cells}
    everything = "\n".join(release_text.values())
    for marker in list(_REGIONS) + list(_REGIONS.values()):
        if marker in everything:
            out.append(Violation(name, "-", "marker in release", f"{marker!r} appears in the student version"))
    for key, lines in secret_lines(source).items():
        for line in sorted(lines):
            where = next((k for k, text in release_text.items() if line in text), None)
            if where is not None:
                out.append(Violation(name, where, "secret in release",
                                     f"a line from {key}'s solution or hidden tests appears: {line[:80]!r}",
                                     convention=True))
    return out


def check_release_runs(name: str, release: nbformat.NotebookNode, limits: Limits,
                       files: dict[str, bytes] | None = None,
                       source: nbformat.NotebookNode | None = None) -> list[Violation]:
    """Rule 3: run the release as a student would (beside the assignment's other ``files``); only
    NotImplementedError may stop a cell. With ``source``, a NameError for a name that an unanswered cell
    defines only inside its solution region, and a given cell's ``input()``, are conventions (see above)."""
    from autograder.intake.carry import write_files

    notebook = nbformat.from_dict(json.loads(json.dumps(release)))
    with tempfile.TemporaryDirectory(prefix="release-run-") as scratch:
        write_files(files or {}, Path(scratch))
        run = run_notebook(notebook, Path(scratch), env={}, limits=limits)
    out = []
    if run.status != Status.GRADED:
        out.append(Violation(name, "-", "release does not run", f"{run.status}: {run.reason}"))
    originals = {cell_key(cell): cell.source for cell in source.cells} if source is not None else {}
    unanswered: set[str] = set()  # names an unanswered cell would have defined: their NameErrors are expected
    in_solutions: set[str] = set()  # of those, the ones the release never shows (defined inside a solution)
    reported: set[str] = set()
    for cell in run.notebook.cells:
        error = cell_error(cell) if cell.cell_type == "code" else None
        if error is None:
            continue
        ename, evalue = error.get("ename"), str(error.get("evalue", ""))
        missing = evalue.split("'")[1] if ename == "NameError" and evalue.count("'") >= 2 else None
        key = cell_key(cell)
        if ename == "NotImplementedError" or (missing is not None and missing in unanswered
                                              and missing not in in_solutions):
            unanswered |= _assigned_names(cell.source)
            if ename == "NotImplementedError" and key in originals:
                in_solutions |= _assigned_names(originals[key]) - _assigned_names(cell.source)
            continue
        unanswered |= _assigned_names(cell.source)  # what follows from this cell is reported here, once
        if missing is not None and missing in in_solutions:
            if missing in reported:
                continue
            reported.add(missing)
            out.append(Violation(name, key, "name defined only in a solution",
                                 f"NameError: {missing!r} is defined only inside a solution region, so the release "
                                 "never defines it; give its signature outside the region", convention=True))
        elif ename == "StdinNotImplementedError":
            out.append(Violation(name, key, "input() in a given cell",
                                 "the cell asks for input, which no grader can give (it raises there and when "
                                 "grading); compute the value instead", convention=True))
        else:
            out.append(Violation(name, key, "release raises",
                                 f"{ename}: {evalue[:200]} (only NotImplementedError may stop a release cell)"))
    return out


def _assigned_names(code: str) -> set[str]:
    """Top-level names a cell defines (assignments, defs, classes, imports)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.For, ast.With)):
            if isinstance(node, ast.For):
                targets = [node.target]
            else:
                targets = [item.optional_vars for item in node.items if item.optional_vars]
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def check_scores(name: str, source, release, reference: dict[str, ReferenceCell], settings,
                 files: dict[str, bytes] | None = None) -> list[Violation]:
    """Rules 4 and 5: the reference solution earns every point, the untouched release none, each graded as
    ``settings`` (an ``autograder.run.worker.RunSettings``) say."""
    from autograder.run.worker import NotebookJob, grade_notebook

    out = []
    for label, submitted, want_full in (("reference solution", solution_notebook(source), True),
                                        ("untouched release", release, False)):
        with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
            run, tests = grade_notebook(NotebookJob(source, release, submitted, reference, files or {}),
                                        Path(scratch), settings)
        auto = [t for t in tests if t.score is not None]
        for test in auto:
            if want_full and test.score != test.points:
                out.append(Violation(name, test.grade_id, REFERENCE_LOSES,
                                     f"the {label} fails: {test.detail} ({run.status} {run.reason})"))
            if not want_full and test.score:
                out.append(Violation(name, test.grade_id, RELEASE_EARNS,
                                     f"the {label} passes this test; it must fail until the student answers"))
    return out


@dataclass(frozen=True)
class Rules:
    """Which of ``verify``'s rules run, and how strictly.

    ``strict`` (default: the course's ``c.Autograder.strict_release``) makes the conventions fail too.
    ``scores=False`` leaves out rules 4 and 5 (two sandboxed gradings per notebook), for a caller that grades
    the reference solution and the untouched release itself and holds them to full marks and 0; the
    release is then sound only once that caller's check passes too. ``sync=False`` leaves out rule 1 (one
    nbgrader generation), for a caller that has just written ``release/<assignment>/`` from ``source/`` with
    ``autograder.release.generate.write_release``, the same generation rule 1 compares with."""

    strict: bool | None = None
    scores: bool = True
    sync: bool = True


def verify(course: Course, assignment: str, reference: dict[str, dict[str, ReferenceCell]],
           limits: Limits | None = None, sandbox_mode=SandboxMode.BWRAP, rules: Rules = Rules()) -> list[Violation]:
    """Every rule (those ``rules`` name), for every notebook of ``assignment``; no violation but warnings means
    the release is sound."""
    from autograder.core.config import course_strict_release
    from autograder.run.worker import RunSettings

    limits = limits or Limits()
    strict = course_strict_release(course.root) if rules.strict is None else rules.strict
    out = check_in_sync(course, assignment) if rules.sync else []
    files = course.extra_files(assignment)
    for name in course.notebook_names(assignment):
        source = read_notebook(course.source_path(assignment, name))
        release = read_notebook(course.release_path(assignment, name))
        out += check_no_secrets(name, source, release)
        out += _check_structure(name, source)
        out += check_release_runs(name, release, limits, files, source)
        if rules.scores:
            out += check_scores(name, source, release, reference[name], RunSettings(limits, sandbox_mode), files)
    for violation in out:
        violation.warning = violation.convention and not strict
    return out


def _check_structure(name: str, source) -> list[Violation]:
    """Test cells must be locked and graded code; answers must not be graded code (nbgrader's
    'autograded answer' cells would score inside the student's kernel)."""
    out = []
    for cell in source.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and meta.get("solution"):
            out.append(Violation(name, grade_id(cell) or "-", "autograded answer cell",
                                 "graded code answer cells are scored in the student's kernel; use an answer "
                                 "cell plus a test cell"))
        if is_test(cell) and not meta.get("locked"):
            out.append(Violation(name, grade_id(cell) or "-", "unlocked test", "test cells must be locked",
                                 convention=True))
    return out
