"""A plain-assert twin of assignment 01, migrated back into checks, grades exactly like the original.

The twin is built here from ``source/01_perceptron``: every check call becomes the plain assert it
corresponds to (hidden ``REFERENCE`` values become the literals the reference solution records there,
as an nbgrader notebook would write them), and the checks' import is removed. ``migrate`` must turn the
twin back into cells that score the reference solution and two known-wrong samples test for test as the
original cells do.
"""

import ast
import copy

import nbformat
import numpy as np
import pytest

from autograder import course as roles
from autograder.course import read_notebook
from autograder.migrate import IMPORT_LINE, migrate_notebook
from autograder.records import decode
from autograder.samples import build, read_sample, sample_files, solution_notebook
from autograder.scoring import reference_records
from autograder.worker import grade_notebook

ASSIGNMENT = "01_perceptron"
SAMPLES = ("wrong_sign_zero", "wrong_unstable_loss")


def _literal(value) -> str:
    """Python source for a decoded record value (arrays as np.array, even 0-d ones)."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, list):
        return "(" + "".join(f"{_literal(item)}, " for item in value) + ")"
    return repr(value)


def _plain(call: ast.Call, source: str, recorded) -> str | None:
    """The plain assert a check call corresponds to, or None to keep the call (no plain form)."""
    seg = lambda node: ast.get_source_segment(source, node)  # noqa: E731
    name = call.func.id
    args = [seg(a) for a in call.args]
    keywords = {k.arg: seg(k.value) for k in call.keywords}
    what = keywords.pop("what", None)
    if name in ("assert_equal", "assert_close"):
        actual, expected = args
        if expected == "REFERENCE":
            expected = _literal(decode(recorded["value"]))
        tolerances = "".join(f", {k}={v}" for k, v in keywords.items())
        message = f", err_msg={what}" if what else ""
        if name == "assert_equal":
            if isinstance(call.args[1], ast.Constant):
                return f"assert {actual} == {expected}" + (f", {what}" if what else "")
            return f"np.testing.assert_array_equal({actual}, {expected}{message})"
        if args[1] == "REFERENCE":  # hidden: numpy.testing with the checks' default tolerances
            return f"np.testing.assert_allclose({actual}, {expected}, rtol=1e-05, atol=1e-08{tolerances}{message})"
        return f"assert np.allclose({actual}, {expected}{tolerances})" + (f", {what}" if what else "")
    if name in ("assert_at_least", "assert_at_most") and isinstance(call.args[1], ast.Constant):
        op = ">=" if name == "assert_at_least" else "<="
        return f"assert {args[0]} {op} {args[1]}" + (f", {what}" if what else "")
    return None  # assert_grad_close, a computed bound: kept as checks


def plain_twin(source: nbformat.NotebookNode, reference: dict) -> nbformat.NotebookNode:
    twin = copy.deepcopy(source)
    for cell in twin.cells:
        if cell.cell_type == "code" and IMPORT_LINE in cell.source:
            cell.source = "\n".join(line for line in cell.source.splitlines() if line != IMPORT_LINE)
        if not roles.is_test(cell):
            continue
        text = cell.source
        calls = [n.value for n in ast.parse(text).body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                 and isinstance(n.value.func, ast.Name) and n.value.func.id.startswith("assert_")]
        entry = reference[roles.grade_id(cell)]
        records = entry["records"] if isinstance(entry, dict) else entry  # {"trust", "records"} or a bare list
        assert len(calls) == len(records)
        raw = text.encode()  # ast's columns count UTF-8 bytes
        lines = raw.splitlines(keepends=True)
        starts = [sum(len(line) for line in lines[:i]) for i in range(len(lines))]
        for call, recorded in sorted(zip(calls, records, strict=True), key=lambda pair: pair[0].lineno, reverse=True):
            plain = _plain(call, text, recorded)
            if plain is not None:
                begin = starts[call.lineno - 1] + call.col_offset
                end = starts[call.end_lineno - 1] + call.end_col_offset
                raw = raw[:begin] + plain.encode() + raw[end:]
        cell.source = raw.decode()
    return twin


@pytest.mark.slow
def test_migrated_plain_twin_grades_like_the_original(course, limits, tmp_path):
    source = read_notebook(course.source_path(ASSIGNMENT, ASSIGNMENT))
    release = read_notebook(course.release_path(ASSIGNMENT, ASSIGNMENT))
    original_reference = reference_records(source, limits)
    twin = plain_twin(source, original_reference)
    assert "assert_close(" not in "".join(c.source for c in twin.cells if roles.is_test(c) and roles.is_hidden(c))

    migrated, plans = migrate_notebook(twin)
    assert not [o.old for p in plans for o in p.left]  # every plain assert of the twin converts
    assert sum(len(p.converted) for p in plans) >= 15
    assert migrated.cells[1].source.startswith(IMPORT_LINE)  # the setup cell, the first code cell
    def hidden(notebook):
        return "".join(c.source for c in notebook.cells if roles.is_test(c) and roles.is_hidden(c))

    assert hidden(twin).count("REFERENCE") == 0  # the twin writes the answers as literals
    assert hidden(migrated).count("REFERENCE") == hidden(source).count("REFERENCE") > 10  # and they left again
    migrated_reference = reference_records(migrated, limits)

    samples = {path.stem: read_sample(path) for path in sample_files(course.root, ASSIGNMENT)}
    submissions = {"solution": solution_notebook(source)}
    submissions.update({name: build(samples[name], source, release) for name in SAMPLES})
    for name, submitted in submissions.items():
        scores = []
        for label, notebook, reference in (("original", source, original_reference),
                                           ("migrated", migrated, migrated_reference)):
            scratch = tmp_path / f"{name}-{label}"
            scratch.mkdir()
            run, tests = grade_notebook(notebook, release, copy.deepcopy(submitted), reference, scratch, limits, "none")
            assert run.status == "graded", (name, label, run.reason)
            scores.append({t.grade_id: t.score for t in tests})
        assert scores[0] == scores[1], name
        failed = {gid for gid, score in scores[0].items() if score == 0}  # None: a written answer
        assert failed == (set(samples[name].fails or []) if name in samples else set()), name
