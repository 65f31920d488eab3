"""No command loses an instructor's data and no one student stops a batch (issue 26, items 4, 5 and 7):
the cheap cases, without a kernel. The batch cases are in tests/harness/test_batch_safety.py."""

import json
import zipfile

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import cli
from autograder.core.config import Limits
from autograder.core.course import read_notebook, solution_notebook
from autograder.core.results import NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.core.workdir import Workdir
from autograder.intake.intake import InvalidSubmission, SubmittedFile, load_submission
from autograder.intake.submissions import unpack_zip
from autograder.run.worker import NotebookFiles, RunSettings, Task, grade_one
from autograder.store import gradebook
from autograder.tools.similarity import normalise, similarity_report

A = "01_perceptron"
NESTED = "[" * 100_000 + "]" * 100_000  # json's decoder raises RecursionError, not JSONDecodeError
LONG_SUM = "total = " + " + ".join(["x"] * 2000)  # ast.parse copes; a recursive tree walk does not


# -- item 4: one student's file is that student's invalid ----------------------------------------------------

def test_deeply_nested_json_is_an_invalid_submission_with_a_reason():
    with pytest.raises(InvalidSubmission, match="nests its JSON too deeply"):
        load_submission("deep.ipynb", NESTED)


def test_grade_one_never_raises_on_a_file_it_cannot_parse(course):
    source = course.source_path(A, A).read_text()
    release = course.release_path(A, A).read_text()
    task = Task("deep", {A: NotebookFiles(source, release, SubmittedFile(f"{A}.ipynb", text=NESTED))}, {A: {}},
                RunSettings(Limits(), "none"), prestart=False)
    result = grade_one(task)
    assert result.status == Status.INVALID and "too deeply" in result.reason and not result.grader_fault


def test_a_cell_whose_source_is_not_text_is_invalid():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    data = json.loads(nbformat.writes(notebook))
    data["cells"][0]["source"] = 5
    with pytest.raises(InvalidSubmission, match="cell 1 is not a notebook cell"):
        load_submission("odd.ipynb", json.dumps(data))


def test_a_submission_that_cannot_be_assembled_is_invalid_not_a_grader_error(course, monkeypatch):
    def fails(*args):
        raise MemoryError()

    monkeypatch.setattr("autograder.run.worker.assemble", fails)
    source = course.source_path(A, A).read_text()
    release = course.release_path(A, A).read_text()
    task = Task("odd", {A: NotebookFiles(source, release, SubmittedFile(f"{A}.ipynb", text=release))},
                {A: {}}, RunSettings(Limits(), "none"), prestart=False)
    result = grade_one(task)
    assert result.status == Status.INVALID and "could not be read as a notebook (MemoryError" in result.reason
    assert not result.grader_fault


def test_grade_one_turns_a_grader_failure_into_a_crash_to_retry():
    submitted = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]))
    task = Task("x", {A: NotebookFiles("not json", "not json", SubmittedFile("x.ipynb", text=submitted))}, {A: {}},
                RunSettings(Limits(), "none"), prestart=False)
    result = grade_one(task)  # the instructor's own files do not parse: the grader's fault, not the student's
    assert result.status == Status.CRASHED and result.grader_fault and "grader error" in result.reason


# -- item 7: the similarity report survives a 2,000-term expression --------------------------------------------

def test_a_2000_term_expression_is_normalised_to_plain_tokens():
    tokens = normalise(LONG_SUM)
    assert len(tokens) >= 4000 and tokens[:3] == ["total", "=", "x"]


def test_the_similarity_report_survives_a_2000_term_answer(course, tmp_path):
    source, release = read_notebook(course.source_path(A, A)), read_notebook(course.release_path(A, A))
    work = Workdir(tmp_path / "work")
    for student in ("ann", "bob", "cy"):
        notebook = solution_notebook(source)
        if student == "cy":
            answer = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")
                          and c.cell_type == "code")
            answer.source += "\n" + LONG_SUM
        folder = work.folder("submitted", student, A)
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{A}.ipynb")
    pairs, page = similarity_report(work, course, A)
    assert page.is_file() and {p.first + p.second for p in pairs} >= {"annbob"}
    del release


# -- item 5: unpacking never deletes outside a folder it made ----------------------------------------------------

@pytest.mark.parametrize("name", ["...zip", "..zip", ". .zip"])
def test_a_zip_named_dots_never_deletes_the_work_directory(tmp_path, name):
    work = tmp_path / "work"
    (work / "autograded").mkdir(parents=True)
    (work / "gradebook.db").write_text("precious")
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("alice_01_perceptron.ipynb", "{}")
    for _ in range(2):  # the second unpacking replaced incoming/<stem>, which for '..' was the work directory
        folder = unpack_zip(archive, work / "incoming")
        assert folder.resolve().parent == (work / "incoming").resolve()
        assert (folder / "alice_01_perceptron.ipynb").is_file()
    assert (work / "gradebook.db").read_text() == "precious" and (work / "autograded").is_dir()


def test_a_file_in_the_way_of_unpacking_is_left_with_a_sentence(tmp_path):
    from autograder.core.errors import UserError

    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("alice_01_perceptron.ipynb", "{}")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "subs").write_text("mine")
    with pytest.raises(UserError, match="left as it is"):
        unpack_zip(archive, tmp_path / "in")
    assert (tmp_path / "in" / "subs").read_text() == "mine"


# -- item 5: commands other than grade refuse a work directory without a gradebook ------------------------------

@pytest.mark.parametrize("command", [["export", A, "--out", "{tmp}/grades.csv"], ["feedback", A], ["report", A],
                                     ["rescore", A], ["similarity", A], ["history", A]])
def test_a_mistyped_workdir_is_refused_and_nothing_is_created(tmp_path, capsys, command):
    typo = tmp_path / "gradnig"
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command] + ["--workdir", str(typo)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "no gradebook at" in err and str(typo) in err and "--workdir" in err and len(err.splitlines()) == 1
    assert not typo.exists() and not (tmp_path / "grades.csv").exists()


def test_export_of_an_assignment_never_graded_is_refused(tmp_path, capsys):
    url = _gradebook(tmp_path)
    status = cli.main(["export", A, "--db-url", url, "--out", str(tmp_path / "g.csv")])
    assert status == 2 and f"holds no graded submission of {A}" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


# -- item 5: runs kept with their history; the grader's own crashes marked; backups --------------------------------

def _gradebook(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment(A)
        gb.add_notebook("nb", A)
        gb.add_grade_cell("test_f", "nb", A, max_score=2, cell_type="code")
    return url


def _run(score: float, status=Status.GRADED, timestamp="", fault=False) -> SubmissionResult:
    tests = [TestResult("test_f", "f", 2.0, score, False, "", "")]
    return SubmissionResult("ann", status, f"run scoring {score}", {"nb": NotebookResult(status, tests)},
                            timestamp=timestamp, grader_fault=fault)


def test_a_regrade_keeps_the_replaced_run_with_its_time(tmp_path):
    url = _gradebook(tmp_path)
    with gradebook.Writer(url, A) as writer:
        writer.save(_run(2.0, timestamp="2026-12-01T10:00:00+00:00"))
        writer.save(_run(0.0, Status.CRASHED, fault=True))
    runs = gradebook.history(url, A, "ann")
    assert [(r.score, r.replaced_at is None) for r in runs] == [(2.0, False), (0.0, True)]
    assert runs[0].timestamp == "2026-12-01T10:00:00+00:00" and runs[0].reason == "run scoring 2.0"
    assert gradebook.previous_runs(url, A)["ann"]["grader_fault"]


def test_a_gradebook_from_before_the_fault_column_is_upgraded_in_place(tmp_path):
    import sqlalchemy as sa

    url = _gradebook(tmp_path)
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # the run table as earlier versions wrote it
        connection.execute(sa.text("CREATE TABLE autograder_runs (assignment VARCHAR(128), student_id VARCHAR(128), "
                                   "status VARCHAR(16), reason TEXT, score FLOAT, max_score FLOAT, manual_pending "
                                   "INTEGER, seconds FLOAT, submission_sha256 VARCHAR(64), source_sha256 "
                                   "VARCHAR(64), tests_json TEXT, graded_at FLOAT, PRIMARY KEY (assignment, "
                                   "student_id))"))
        connection.execute(sa.text("INSERT INTO autograder_runs VALUES ('01_perceptron', 'old', 'graded', '', 1, 2, "
                                   "0, 1, 's', 'r', '[]', 0)"))
    engine.dispose()
    assert gradebook.previous_runs(url, A)["old"]["grader_fault"] in (False, 0)


def test_backup_is_a_readable_copy_and_history_cli_lists_runs(tmp_path, capsys):
    url = _gradebook(tmp_path)
    with gradebook.Writer(url, A) as writer:
        writer.save(_run(2.0))
        writer.save(_run(1.0))
    copy = gradebook.backup(url, tmp_path / "backups")
    assert copy.parent == tmp_path / "backups" and gradebook.previous_runs(f"sqlite:///{copy}", A)["ann"]
    assert gradebook.backup("postgresql://host/db", tmp_path / "backups") is None
    assert cli.main(["history", A, "--db-url", url, "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("ann ") == 2 and "current" in out and "run scoring 2.0" in out


def test_migrate_write_keeps_a_copy_of_the_notebook_and_says_where(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    folder = tmp_path / "source" / "a1"
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("assert f(1) == 1")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                 "grade_id": "t", "schema_version": 3}
    notebook.cells = [nbformat.v4.new_code_cell("def f(x):\n    return x"), cell]
    path = folder / "nb.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()
    assert cli.main(["migrate", str(path), "--write"]) == 0
    out = capsys.readouterr().out
    (saved,) = (tmp_path / ".autograder-backups" / "migrate").glob("nb-*.ipynb")
    assert saved.read_bytes() == before and str(saved) in out and path.read_bytes() != before
    assert sorted(p.name for p in folder.iterdir()) == ["nb.ipynb"]  # nothing nbgrader would release


