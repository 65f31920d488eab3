"""``python -m autograder migrate``: plain asserts become checks where the check means the same, the
rest of a cell stays byte for byte (no kernel: sources are rewritten and executed in-process)."""

import copy
from pathlib import Path

import nbformat
import numpy as np
import pytest

import autograder.checks as checks
from autograder import cli
from autograder.tools.migrate import IMPORT_LINE, migrate_notebook, migrate_source, render

NBGRADER = Path(nbformat.__file__).parents[1] / "nbgrader"

CONVERTED = [
    ("assert f(x) == 3", "assert_equal(f(x), 3)"),
    ("assert 3 == f(x)", "assert_equal(f(x), 3)"),
    ('assert f(x) == "a", "msg"', 'assert_equal(f(x), "a", what="msg")'),
    ("assert f(x) == g(x)", "assert_equal(f(x), g(x))"),
    ("assert a.shape == (3, 4)", "assert_shape(a, (3, 4))"),
    ("assert (2, n) == a.shape", "assert_shape(a, (2, n))"),
    ("assert np.allclose(a, b)", "assert_close(a, b)"),
    ("assert np.allclose(a, b, rtol=1e-3, atol=0)", "assert_close(a, b, rtol=1e-3, atol=0)"),
    ("assert numpy.allclose(a, b, 1e-3)", "assert_close(a, b, rtol=1e-3)"),
    ("np.testing.assert_allclose(a, b)", "assert_close(a, b, rtol=1e-07, atol=0)"),
    ("np.testing.assert_allclose(a, b, atol=1e-3, rtol=0.1)", "assert_close(a, b, atol=1e-3, rtol=0.1)"),
    ("assert np.allclose(a, b, atol=1e-3)", "assert_close(a, b, atol=1e-3)"),
    ('np.testing.assert_allclose(a, b, atol=1e-6, err_msg="m")', 'assert_close(a, b, atol=1e-6, rtol=1e-07, what="m")'),
    ("np.testing.assert_array_equal(a, [1, 2])", "assert_equal(a, [1, 2])"),
    ("np.testing.assert_equal(a, b)", "assert_equal(a, b)"),
    ("np.testing.assert_almost_equal(a, b, decimal=3)", "assert_close(a, b, atol=0.0015, rtol=0)"),
    ("np.testing.assert_almost_equal(a, b)", "assert_close(a, b, atol=1.5e-07, rtol=0)"),
    ("assert abs(a - b) < 1e-6", "assert_close(a, b, atol=1e-6, rtol=0)"),
    ("assert np.abs(a - b) <= tol", "assert_close(a, b, atol=tol, rtol=0)"),
    ("assert acc >= 0.9", "assert_at_least(acc, 0.9)"),
    ('assert loss <= 1e-3, "low"', 'assert_at_most(loss, 1e-3, what="low")'),
    ("assert 0.9 <= acc", "assert_at_least(acc, 0.9)"),
    ("assert -1 >= x", "assert_at_most(x, -1)"),
]

LEFT = [
    ("assert f(x)", "truth value"),
    ("assert x in y", "with in"),
    ("assert x is None", "with is"),
    ("assert x != 3", "with !="),
    ("assert squares(2) == [1, 4]", "list, tuple"),
    ("assert f(x) == np.array([1, 2])", "elementwise"),
    ("assert 0 <= x <= 1", "chained"),
    ("assert acc > 0.9", "strict bound"),
    ("assert acc >= best", "not a constant"),
    ('assert x == y, f"got {x}"', "message is computed"),
    ("assert np.allclose(a, 0)", "broadcasts"),
    ("np.testing.assert_array_equal(a, 0)", "broadcasts"),
    ("assert np.allclose(a, b, equal_nan=True)", "NaN"),
    ("np.testing.assert_almost_equal(a, b, decimal=d)", "decimal"),
    ("assert (f(x) ==  # why\n        3)", "comment"),
    ("for i in range(3):\n    assert f(i) == i", "inside a block"),
    ("def t():\n    assert f(1) == 1", "inside a block"),
]


@pytest.mark.parametrize(("old", "new"), CONVERTED)
def test_each_form_converts(old, new):
    source, outcomes = migrate_source(old)
    assert source == new
    assert [o.new for o in outcomes] == [new]


@pytest.mark.parametrize(("old", "why"), LEFT)
def test_unconvertible_forms_are_left_with_a_reason(old, why):
    source, outcomes = migrate_source(old)
    assert source == old
    assert len(outcomes) == 1 and outcomes[0].new is None and why in outcomes[0].reason


def test_rest_of_the_cell_stays_as_written():
    old = '"""Doc."""\nx = f(1)  # a comment\n\nassert x == 3  # trailing\nassert g(x)\nprint("é"); assert ü == 1\n'
    new, outcomes = migrate_source(old)
    assert new == ('"""Doc."""\nx = f(1)  # a comment\n\nassert_equal(x, 3)  # trailing\nassert g(x)\n'
                   'print("é"); assert_equal(ü, 1)\n')
    assert [o.line for o in outcomes] == [4, 5, 6]


def test_hidden_literals_become_reference_and_visible_ones_stay():
    old = ("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(10) == 385\n"
           "assert np.allclose(h(2), np.array([1.0, -2.0]), atol=1e-3)\nnp.testing.assert_array_equal(k(1), [[1, 2]])\n"
           "assert h(1).shape == (2,)\nassert f(1) == g(1)\nassert acc >= 0.95\n### END HIDDEN TESTS\n")
    new, _ = migrate_source(old)
    assert new == ("assert_equal(f(1), 1)\n### BEGIN HIDDEN TESTS\nassert_equal(f(10), REFERENCE)\n"
                   "assert_close(h(2), REFERENCE, atol=1e-3)\nassert_equal(k(1), REFERENCE)\n"
                   "assert_shape(h(1), REFERENCE)\nassert_equal(f(1), g(1))\nassert_at_least(acc, 0.95)\n"
                   "### END HIDDEN TESTS\n")


def _passes(source: str, **values) -> bool:
    namespace = {"np": np, **{name: getattr(checks, name) for name in checks.__all__}, **values}
    try:
        exec(source, namespace)
    except AssertionError:
        return False
    except (ValueError, TypeError):  # e.g. the truth value of an array: a plain assert of it fails the cell
        return False
    return True


SEMANTICS = [
    ("assert x == 3", [3, 3.0, np.int64(3), np.float32(3), np.array(3), 4, 2.999, "3", None, True]),
    ('assert x == "ab"', ["ab", "AB", 1]),
    ("assert x == y", [(1, 1), (0.5, 0.5), ("a", "a"), ("a", "b"), (None, None), (1, 2)]),
    ("assert x.shape == (2, 3)", [np.zeros((2, 3)), np.zeros((3, 2)), np.zeros(6)]),
    ("assert np.allclose(x, y)", [(1.0, 1.0 + 1e-6), (1.0, 1.1), (np.ones(3), np.ones(3) * (1 + 2e-5)),
                                  (np.ones(3), np.ones(3) * (1 + 1e-6)), (np.zeros(2), np.full(2, 5e-9)),
                                  (np.array([1.0, np.nan]), np.array([1.0, 2.0]))]),
    ("assert np.allclose(x, y, rtol=0, atol=0.1)", [(1.0, 1.05), (1.0, 1.2), (np.arange(3.0), np.arange(3.0) + 0.09)]),
    ("np.testing.assert_allclose(x, y)", [(1.0, 1.0 + 1e-8), (1.0, 1.0 + 1e-6), (np.ones(2), np.ones(2) + 5e-8),
                                          (0.0, 1e-12)]),
    ("np.testing.assert_allclose(x, y, atol=1e-3)", [(0.0, 5e-4), (0.0, 2e-3)]),
    ("np.testing.assert_array_equal(x, y)", [(np.arange(3), [0, 1, 2]), (np.arange(3), [0, 1, 3]),
                                             (np.arange(3), np.arange(3.0))]),
    ("np.testing.assert_equal(x, y)", [(1, 1.0), ([1, 2], (1, 2)), ([1, 2], [1, 3]), ("a", "a")]),
    ("np.testing.assert_almost_equal(x, y, decimal=2)", [(1.0, 1.004), (1.0, 1.02), (np.ones(2), np.ones(2) + 0.01)]),
    ("np.testing.assert_almost_equal(x, y)", [(1.0, 1.0 + 1e-8), (1.0, 1.0 + 1e-6)]),
    ("assert abs(x - y) < 0.01", [(1.0, 1.005), (1.0, 1.02), (np.nan, 1.0)]),
    ("assert abs(x - y) <= 0.25", [(1.0, 1.25), (1.0, 1.5)]),
    ("assert x >= 0.9", [0.95, 0.9, 0.89, np.float64(0.91), np.nan]),
    ("assert x <= 1e-3", [1e-4, 1e-3, 0.1, np.array(0.0)]),
    ("assert 2 <= x", [2, 3, 1]),
]


@pytest.mark.parametrize(("old", "cases"), SEMANTICS, ids=[s for s, _ in SEMANTICS])
def test_converted_statement_passes_and_fails_where_the_assert_did(old, cases):
    new, outcomes = migrate_source(old)
    assert outcomes[0].new is not None, outcomes[0].reason
    for case in cases:
        values = dict(zip("xy", case)) if isinstance(case, tuple) else {"x": case}
        assert _passes(new, **values) == _passes(old, **values), (old, new, case)


def _notebook(*sources, test=None):
    cells = []
    for i, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        if test is None or i in test:
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": f"t{i}", "points": 1, "solution": False,
                                         "locked": True, "schema_version": 3}
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def test_import_goes_into_the_first_code_cell_once():
    notebook = _notebook("import numpy as np", "assert f(1) == 1", test={1})
    migrated, _ = migrate_notebook(notebook)
    assert migrated.cells[0].source == f"{IMPORT_LINE}\nimport numpy as np"
    assert migrated.cells[1].source == "assert_equal(f(1), 1)"
    again, plans = migrate_notebook(migrated)
    assert again.cells[0].source == migrated.cells[0].source and not any(p.outcomes for p in plans)
    untouched, _ = migrate_notebook(_notebook("import numpy as np", "assert f(1)", test={1}))
    assert untouched.cells[0].source == "import numpy as np"


def test_a_notebook_that_binds_a_check_name_elsewhere_keeps_those_asserts():
    notebook = _notebook("from nose.tools import assert_equal", "assert f(1) == 1\nassert x >= 0.5", test={1})
    migrated, plans = migrate_notebook(notebook)
    assert migrated.cells[1].source == "assert f(1) == 1\nassert_at_least(x, 0.5)"
    assert "nose.tools" in plans[0].outcomes[0].reason
    nose_only, plans = migrate_notebook(_notebook("from nose.tools import assert_equal", "assert_equal(f(1), 1)",
                                                  test={1}))
    assert "calls no check" in render(plans)


def test_cells_that_are_not_python_are_left():
    notebook = _notebook("%matplotlib inline\nassert f(1) == 1")
    migrated, plans = migrate_notebook(notebook)
    assert migrated.cells[0].source == notebook.cells[0].source and "not plain Python" in plans[0].problem


def test_cli_plans_without_writing_and_writes_with_out_or_write(tmp_path, capsys):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook("import numpy as np", "assert f(1) == 1\nassert g(2)", test={1}), path)
    before = path.read_bytes()
    assert cli.main(["migrate", str(path)]) == 0
    text = capsys.readouterr().out
    assert "-> assert_equal(f(1), 1)" in text and "LEFT assert g(2)" in text and "nothing written" in text
    assert path.read_bytes() == before
    out = tmp_path / "out.ipynb"
    assert cli.main(["migrate", str(path), "--out", str(out)]) == 0
    assert path.read_bytes() == before
    assert nbformat.read(out, as_version=4).cells[1].source == "assert_equal(f(1), 1)\nassert g(2)"
    assert cli.main(["migrate", str(path), "--write"]) == 0
    assert nbformat.read(path, as_version=4).cells[1].source == "assert_equal(f(1), 1)\nassert g(2)"


@pytest.mark.parametrize(("content", "argv", "says"), [
    ("notebook", ["--out", "x.ipynb", "--write"], "not both"), (None, [], "no notebook at"),
    ("hello", [], "not a readable notebook"), ("plain", [], "no nbgrader test cells")])
def test_cli_errors_are_sentences(tmp_path, capsys, content, argv, says):
    path = tmp_path / "nb.ipynb"
    if content in ("notebook", "plain"):
        notebook = _notebook("assert f(1) == 1", test=set() if content == "plain" else None)
        nbformat.write(notebook, path)
    elif content is not None:
        path.write_text(content)
    before = path.read_bytes() if path.exists() else None
    assert cli.main(["migrate", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("autograder: ") and says in err and len(err.strip().splitlines()) == 1
    assert (path.read_bytes() if path.exists() else None) == before


# -- notebooks no one here wrote: nbgrader's own documentation and test notebooks

NBGRADER_NOTEBOOKS = {  # test cell -> (statements converted, statements left)
    "docs/source/user_guide/source/ps1/problem1.ipynb": {"correct_squares": (0, 4), "correct_sum_of_squares": (4, 0)},
    "tests/apps/files/test-hidden-tests.ipynb": {"correct_squares": (0, 4), "correct_sum_of_squares": (4, 0)},
    "tests/apps/files/autotest-multi-unchanged.ipynb": {"test_multi": (10, 0), "cell-f2803ba7c42d03ab": (27, 0),
                                                        "cell-693350420ec62f1b": (21, 0),
                                                        "cell-13479eb0e5fff152": (6, 0)},
    "tests/apps/files/submitted-unchanged.ipynb": {"bar": (1, 0)},
    "tests/preprocessors/files/test.ipynb": {},  # nose's assert_equal calls: not plain asserts, untouched
    "tests/apps/files/validation-zero-points.ipynb": {"correct_squares": (0, 1)},
}


@pytest.mark.parametrize("name", sorted(NBGRADER_NOTEBOOKS))
def test_nbgrader_notebooks_convert_what_they_can_and_leave_the_rest_byte_identical(name):
    path = NBGRADER / name
    if not path.exists():
        pytest.skip(f"{name} is not in this nbgrader")
    original = nbformat.read(path, as_version=4)
    migrated, plans = migrate_notebook(copy.deepcopy(original))
    counts = {p.name: (len(p.converted), len(p.left)) for p in plans if p.outcomes}
    assert counts == NBGRADER_NOTEBOOKS[name]
    touched = {p.index for p in plans if p.converted}
    for index, (old, new) in enumerate(zip(original.cells, migrated.cells, strict=True)):
        if index in touched:
            plan = next(p for p in plans if p.index == index)
            for outcome in plan.left:
                assert outcome.old in new.source  # a statement it could not convert is kept as written
            assert "assert_" in new.source
        elif new.source != old.source:  # only the import may be added, once, to one cell
            assert new.source == f"{IMPORT_LINE}\n{old.source}"
        assert new.metadata == old.metadata


def test_nbgrader_docs_notebook_still_passes_after_migration():
    path = NBGRADER / "docs/source/user_guide/source/ps1/problem1.ipynb"
    if not path.exists():
        pytest.skip("nbgrader's documentation notebook is not installed")
    migrated, plans = migrate_notebook(nbformat.read(path, as_version=4))
    namespace: dict = {}
    for cell in migrated.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)  # the reference solution passes its converted tests
    assert namespace["assert_equal"] is checks.assert_equal
    wrong = {**namespace, "sum_of_squares": lambda n: sum(i * i for i in range(n))}
    cell = migrated.cells[next(p.index for p in plans if p.name == "correct_sum_of_squares")]
    with pytest.raises(AssertionError):
        exec(cell.source, wrong)
