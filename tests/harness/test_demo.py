"""`make demo` (``python -m coursetools.demo``): the course's tooling drives the harness end to end."""

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.core.course import Course, grade_id, read_notebook
from autograder.core.workdir import Workdir
from autograder.grade import GradeOptions
from autograder.release.generate import write_release
from autograder.release.verify import REFERENCE_LOSES, RELEASE_EARNS, Rules, verify
from autograder.run import worker
from autograder.run.reference import load_reference
from autograder.run.worker import RunSettings
from coursetools.demo import demo, main

A = "01_perceptron"


@pytest.mark.slow
def test_demo_on_one_assignment(tmp_path, capsys):
    """`make demo`'s job for one topic: release verified (in the background), samples graded as declared,
    feedback, CSV and report written."""
    assert main([A, "--workdir", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    assert f"release/{A}: verified" in out and "every sample graded as expected" in out
    assert (tmp_path / "work" / "exports" / f"{A}.csv").is_file()
    assert list((tmp_path / "work" / "feedback").glob(f"*/{A}/{A}.html"))


def test_demo_refuses_an_unknown_assignment(capsys):
    """An assignment the course does not have is one sentence and exit 2, before anything runs."""
    assert main(["99_no_such_topic", "--workdir", "unused"]) == 2
    assert "99_no_such_topic" in capsys.readouterr().err


PLAIN = Path(__file__).resolve().parents[1] / "files" / "courses" / "plain"
P = "ps1"
FREE_POINT = "free_point"


@pytest.fixture(scope="module")
def broken_course(tmp_path_factory) -> Course:
    """The plain test course (two small notebooks, a data file, no sample files) broken twice in problem1:
    the reference ``squares`` returns ``[]`` unless a file on the instructor's machine exists (the sandbox
    shows a student's kernel no such file, so graded as a student's it loses ``correct_squares``), and a
    test cell ``free_point`` that the untouched release passes."""
    tmp = tmp_path_factory.mktemp("broken")
    root = tmp / "course"
    shutil.copytree(PLAIN, root)
    mark = tmp / "on-the-instructors-machine"
    mark.write_text("")
    path = root / "source" / P / "problem1.ipynb"
    notebook = nbformat.read(path, as_version=4)
    answer = next(cell for cell in notebook.cells if grade_id(cell) == "squares")
    correct = "    return [i ** 2 for i in range(1, n + 1)]"
    assert correct in answer.source
    answer.source = answer.source.replace(correct, f"    import os\n    if not os.path.exists({str(mark)!r}):\n"
                                                   f"        return []\n{correct}")
    last_test = max(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade"))
    free = nbformat.v4.new_code_cell('"""the grader can add"""\nassert 1 + 1 == 2')
    free.metadata["nbgrader"] = {"grade": True, "grade_id": FREE_POINT, "locked": True, "points": 1,
                                 "schema_version": 3, "solution": False}
    notebook.cells.insert(last_test + 1, free)
    nbformat.write(notebook, path)
    return Course(root)


@pytest.mark.slow
def test_demo_fails_rules_4_and_5_from_its_samples(broken_course, tmp_path, capsys, limits, sandbox_mode):
    """The demo grades the samples ``reference`` and ``untouched`` once, beside the others, instead of release
    verification grading them again: a reference solution that loses a point and a release that earns one
    are FAIL lines naming rules 4 and 5, each reported once, and the demo exits 1."""
    options = GradeOptions(RunSettings(limits, sandbox_mode), workers=1, progress=False)
    assert demo(broken_course, [P], Workdir(tmp_path / "work"), options) == 1
    out = capsys.readouterr().out
    rule4 = [line for line in out.splitlines() if "rule 4 of release verification" in line]
    rule5 = [line for line in out.splitlines() if "rule 5 of release verification" in line]
    assert len(rule4) == 1 and "FAIL" in rule4[0] and f"{P} [correct_squares] reference loses points" in rule4[0], out
    assert len(rule5) == 1 and "FAIL" in rule5[0] and FREE_POINT in rule5[0] and "release earns points" in rule5[0], out
    assert out.count("reference loses points") == 1 and out.count("release earns points") == 1, out  # not verify's too
    assert f"release/{P}: FAILED verification" in out


@pytest.mark.slow
def test_verify_leaves_out_rules_4_and_5_only_when_asked(broken_course, tmp_path, limits, sandbox_mode,
                                                         monkeypatch):
    """The same broken course: verify finds both with its rules 4 and 5 (two gradings per notebook), and
    neither with ``Rules(scores=False)``, which grades nothing."""
    graded = []
    real = worker.grade_notebook
    monkeypatch.setattr(worker, "grade_notebook", lambda *args, **kwargs: graded.append(1) or real(*args, **kwargs))
    write_release(broken_course, P)
    reference = load_reference(broken_course, P, Workdir(tmp_path / "work"), limits)
    full = {(v.rule, v.cell) for v in verify(broken_course, P, reference, limits, sandbox_mode)}
    assert {(REFERENCE_LOSES, "correct_squares"), (RELEASE_EARNS, FREE_POINT)} <= full
    assert len(graded) == 2 * len(broken_course.notebook_names(P))
    graded.clear()
    scoreless = {v.rule for v in verify(broken_course, P, reference, limits, sandbox_mode, Rules(scores=False))}
    assert not scoreless & {REFERENCE_LOSES, RELEASE_EARNS} and not graded


def test_verify_leaves_out_rule_1_only_when_asked(tmp_path, limits, sandbox_mode):
    """A release that differs from what source/ generates is found by rule 1, unless ``Rules(sync=False)`` (the
    demo's, which has just generated it)."""
    shutil.copytree(PLAIN, tmp_path / "course")
    course = Course(tmp_path / "course")
    write_release(course, P)
    for path in (tmp_path / "course" / "release" / P).glob("*.ipynb"):
        notebook = read_notebook(path)
        notebook.cells[0].source += "\n<!-- edited by hand -->"
        nbformat.write(notebook, path)
    reference = load_reference(course, P, Workdir(tmp_path / "work"), limits)
    assert "release out of sync" in {v.rule for v in verify(course, P, reference, limits, sandbox_mode,
                                                             Rules(scores=False))}
    assert "release out of sync" not in {v.rule for v in verify(course, P, reference, limits, sandbox_mode,
                                                                 Rules(scores=False, sync=False))}
