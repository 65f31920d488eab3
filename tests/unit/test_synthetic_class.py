"""The synthetic class ``make bench`` times rescore and similarity on: N students, N distinct submitted
notebooks (distinct even once normalised), N gradebook rows holding the copied results, N executed
notebooks; so the bench step cannot silently measure an empty or a one-student class."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.api import Gradebook

from autograder.core.course import grade_id, is_answer
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.store import gradebook
from autograder.tools.similarity import answers, normalise
from tests.bench.synthetic import GradedCopy, disguise_code, synthetic_class

ANSWER = '''def predict(X, w, b):
    """Labels of the rows of X."""
    scores = X @ w + b
    labels = np.where(scores >= 0, 1, -1)
    return labels
'''


def _cell(source, **nbgrader):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False,
                                 **nbgrader}
    return cell


def _notebook(answer: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[_cell(answer, grade_id="predict", solution=True),
                               _cell("check(predict)", grade_id="test_predict", grade=True, locked=True, points=2)])


def _base() -> list[GradedCopy]:
    """Two graded submissions as a grading batch returns them: one full marks, one not."""
    out = []
    for student, answer, score in (("ann", ANSWER, 2.0), ("bob", ANSWER.replace(">=", ">"), 0.0)):
        test = TestResult("test_predict", "predict", 2.0, score, False, "passed" if score else "failed", "")
        result = SubmissionResult(student, Status.GRADED, "", {"nb": NotebookResult(Status.GRADED, [test])},
                                  seconds=1.0, submission_sha256="x", source_sha256="s")
        text = nbformat.writes(_notebook(answer))
        out.append(GradedCopy(result, {"nb": text}, {"nb": text}))
    return out


def test_the_class_has_n_distinct_notebooks_and_n_gradebook_rows(tmp_path):
    workdir = Workdir(tmp_path / "work")
    with Gradebook(workdir.db_url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("test_predict", "nb", "a1", max_score=2, cell_type="code")
    count = 12
    students = synthetic_class(_base(), workdir, "a1", count)

    assert len(set(students)) == count
    submitted = [workdir.folder("submitted", s, "a1") / "nb.ipynb" for s in students]
    texts = [path.read_text() for path in submitted]
    assert len(set(texts)) == count  # no two copies are byte-identical
    release = _notebook("")
    windows = [answers(nbformat.reads(text, as_version=4), release)["predict"] for text in texts]
    assert len({frozenset(w) for w in windows}) > count // 2  # nor all alike to the similarity report
    runs = gradebook.previous_runs(workdir.db_url, "a1")
    assert sorted(runs) == sorted(students)
    assert [runs[s]["score"] for s in students] == [2.0, 0.0] * (count // 2)  # the copied results, in turn
    assert all((workdir.folder("autograded", s, "a1") / "nb.ipynb").is_file() for s in students)
    executed = nbformat.read(workdir.folder("autograded", students[0], "a1") / "nb.ipynb", as_version=4)
    assert [c.source for c in executed.cells if is_answer(c)] == \
        [c.source for c in nbformat.reads(texts[0], as_version=4).cells if grade_id(c) == "predict"]


def test_a_disguise_keeps_the_code_working_and_changes_its_bytes():
    disguised = disguise_code(ANSWER, "synthetic0001:predict")
    assert disguised != ANSWER and disguised == disguise_code(ANSWER, "synthetic0001:predict")
    namespace = {"np": __import__("numpy")}
    exec(compile(disguised, "<disguised>", "exec"), namespace)
    X = namespace["np"].array([[1.0, 0.0], [-2.0, 0.0]])
    assert namespace["predict"](X, namespace["np"].array([1.0, 0.0]), 0.0).tolist() == [1, -1]
    assert "scores =" not in disguised  # the locals are renamed
    assert normalise(disguised) != normalise(ANSWER)  # the inserted line changes what similarity sees
