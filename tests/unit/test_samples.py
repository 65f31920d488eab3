"""The samples the harness writes itself: ``untouched`` always, ``reference`` when asked for (``make demo``
grades it in place of release verification's rule 4), and no sample file may take either name."""

import shutil

import pytest

from autograder.core.course import Course, grade_id, is_answer, read_notebook, solution_notebook
from autograder.tools.samples import REFERENCE, UNTOUCHED, sample_files, write_assignment_samples

A = "01_perceptron"


def test_reference_is_the_release_with_the_solved_answers(perceptron_course, tmp_path):
    """``reference`` carries the release's locked cells (no hidden test) and the source's solved answers."""
    files = [path.stem for path in sample_files(perceptron_course.root, A)]
    samples = write_assignment_samples(perceptron_course, A, tmp_path, reference=True)
    assert [s.name for s in samples] == [UNTOUCHED.name, REFERENCE.name, *files]
    assert REFERENCE.expect == "full" and REFERENCE.fails is None
    written = read_notebook(tmp_path / REFERENCE.name / A / f"{A}.ipynb")
    release = read_notebook(perceptron_course.release_path(A, A))
    solved = {grade_id(c): c.source for c in solution_notebook(read_notebook(perceptron_course.source_path(A, A))).cells
              if is_answer(c)}
    assert len(written.cells) == len(release.cells) and solved
    for cell, given in zip(written.cells, release.cells):
        assert cell.source == (solved[grade_id(cell)] if is_answer(cell) else given.source)


def test_reference_only_on_request(perceptron_course, tmp_path):
    samples = write_assignment_samples(perceptron_course, A, tmp_path)
    assert REFERENCE.name not in [s.name for s in samples] and not (tmp_path / REFERENCE.name).exists()
    assert samples[0] == UNTOUCHED


@pytest.mark.parametrize("taken", [REFERENCE.name, UNTOUCHED.name])
def test_a_sample_file_may_not_take_a_name_the_harness_writes(perceptron_course, tmp_path, taken):
    """Its folder would be overwritten by the harness's own sample: a sentence naming the file instead."""
    root = tmp_path / "course"
    shutil.copytree(perceptron_course.root, root)
    folder = root / "tests" / "files" / "submissions" / A
    shutil.copy(next(folder.glob("correct_*.py")), folder / f"{taken}.py")
    with pytest.raises(ValueError, match=f"must not be named '{taken}'.*rename it"):
        write_assignment_samples(Course(root), A, tmp_path / "out")
