"""The source notebook is the truth for structure, whatever the student did to theirs."""

import copy

import nbformat
import pytest

from autograder.core.course import grade_id, is_test
from autograder.run.assemble import assemble
from autograder.tools.percent import parse

SOURCE = """
# %% locked id=setup
x = 1
# %% answer id=f
def f():
    ### BEGIN SOLUTION
    return 1
    ### END SOLUTION
# %% test id=test_f points=2
\"\"\"f returns 1.\"\"\"
assert f() == 1
### BEGIN HIDDEN TESTS
assert f() + 1 == 2
### END HIDDEN TESTS
# %% [markdown]
Some prose.
# %% [markdown] manual id=why points=1
Because.
"""


@pytest.fixture()
def notebooks():
    source = parse(SOURCE)
    release = copy.deepcopy(source)
    release.cells[1].source = "def f():\n    raise NotImplementedError()"
    release.cells[2].source = '"""f returns 1."""\nassert f() == 1'
    student = copy.deepcopy(release)
    student.cells[1].source = "def f():\n    return 1"
    return source, release, student


def sources(nb):
    return [cell.source for cell in nb.cells]


def test_answers_come_from_the_student_the_rest_from_the_source(notebooks):
    source, release, student = notebooks
    out = assemble(source, release, student)
    assert sources(out)[1] == "def f():\n    return 1"
    assert "HIDDEN TESTS" in sources(out)[2]  # hidden tests are run at grading time
    assert [grade_id(c) for c in out.cells] == [grade_id(c) for c in source.cells]


def test_deleted_edited_and_relabelled_test_cells_change_nothing(notebooks):
    source, release, student = notebooks
    deleted = copy.deepcopy(student)
    del deleted.cells[2]
    edited = copy.deepcopy(student)
    edited.cells[2].source = "pass"
    edited.cells[2].metadata.nbgrader["points"] = 100
    relabelled = copy.deepcopy(student)
    relabelled.cells[2].metadata.nbgrader["grade_id"] = "mine"
    expected = assemble(source, release, student)
    for variant in (deleted, edited, relabelled):
        out = assemble(source, release, variant)
        tests = [c for c in out.cells if is_test(c)]
        assert [(c.source, c.metadata.nbgrader["points"]) for c in tests] == \
               [(c.source, c.metadata.nbgrader["points"]) for c in expected.cells if is_test(c)]


def test_extra_and_duplicated_cells_are_kept_ungraded_in_place(notebooks):
    source, release, student = notebooks
    extra = nbformat.v4.new_code_cell("print('scratch')")
    duplicate = copy.deepcopy(student.cells[1])
    duplicate.source = "def f():\n    return 2"
    duplicate.id = "dup"
    student.cells.insert(2, extra)
    student.cells.insert(4, duplicate)
    out = assemble(source, release, student)
    texts = sources(out)
    assert texts.index("print('scratch')") == 2  # after the answer it followed
    dup = next(c for c in out.cells if c.source.endswith("return 2"))
    assert "nbgrader" not in dup.metadata  # the second copy is the student's own cell, not an answer
    assert sources(out)[1].endswith("return 1")  # the first copy is the answer
    assert len({c.id for c in out.cells}) == len(out.cells)


def test_missing_answer_gets_the_release_stub(notebooks):
    source, release, student = notebooks
    del student.cells[1]
    out = assemble(source, release, student)
    assert "NotImplementedError" in out.cells[1].source


def test_reordered_cells_follow_the_source_order(notebooks):
    source, release, student = notebooks
    student.cells.reverse()
    out = assemble(source, release, student)
    assert [grade_id(c) for c in out.cells if grade_id(c)] == ["setup", "f", "test_f", "why"]
