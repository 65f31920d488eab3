"""Feedback a student reads: the total and penalty on top, what to look at for each failed visible
test, hidden tests reduced to their description and verdict, hand grades as they were given, and pages
whose structure no test or student text can break."""

import dataclasses
import html
import re

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.api import Gradebook

from autograder.core.results import GradebookRow, NotebookResult, SubmissionResult, TestResult
from autograder.core.status import Status
from autograder.outputs import feedback, redact
from autograder.store import gradebook


def _cell(source, **nbgrader):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


NOTEBOOK = new_notebook(cells=[
    _cell("def predict(x):\n    return x", grade_id="predict", solution=True, grade=False, locked=False),
    _cell('"""predict labels the points."""\nassert_equal(predict(1), 1)', grade_id="test_predict", grade=True,
          solution=False, locked=True, points=1),
    _cell('"""predict on hidden points."""\n### BEGIN HIDDEN TESTS\nassert_equal(predict(7), \"zq-secret\")\n'
          "### END HIDDEN TESTS", grade_id="test_predict_hidden", grade=True, solution=False, locked=True,
          points=2),
])
NOTEBOOK.cells[2].outputs = [new_output("error", ename="AssertionError", evalue="expected zq-secret",
                                         traceback=["zq-secret"])]
TESTS = [
    TestResult("test_predict", "predict labels the points.", 1.0, 0.0, False, "failed: expected 1, got 0 for x = 1",
               "expected 1, got 0"),
    TestResult("test_predict_hidden", "predict on hidden points.", 2.0, 0.0, True, "failed", "expected zq-secret"),
    TestResult("written", "written answer", 2.0, None, False, "graded by hand", "needs manual grading"),
]
ROW = GradebookRow("ann", Status.GRADED, "", 0.0, 5.0, 1, 1.0, TESTS)


def _text(page: str) -> str:
    """What a reader sees of an HTML fragment: tags removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _table_rows(page: str) -> list[list[str]]:
    """The rows of the table of every test, each a list of its cells' text."""
    start = page.index("<table", page.index("Every test"))
    body = page[start:page.index("</table>", start)]
    return [[_text(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S) if "<td" in row]


def _page(tmp_path, row: GradebookRow, student="ann", assignment="a1") -> str:
    """The whole feedback page of ``row`` with nothing graded (the summary alone), up to its last table."""
    text = feedback.feedback_page(assignment, row, None, tmp_path / "page.html").read_text()
    return text[text.index("<main>"):]


def test_summary_says_total_pending_points_and_what_to_look_at():
    page = feedback.summary_html("ann", "01_perceptron", ROW, feedback.answers_tested(NOTEBOOK))
    text = _text(page)
    assert "Total: 0 / 5" in text
    assert "2 points of written answers wait for a hand grade" in text
    look = text[text.index("What to look at"):text.index("Every test")]
    assert "predict labels the points : look at your answer predict . failed: expected 1, got 0 for x = 1" in look
    assert '<a href="#test-test_predict">predict labels the points</a>' in page
    assert "hidden" not in look  # a failed hidden test is not explained
    assert "Late penalty" not in text
    assert _table_rows(page)[1] == ["predict on hidden points. (hidden)", "0 / 2", "failed"]


def test_summary_shows_a_late_penalty_when_there_is_one():
    late = dataclasses.replace(ROW, penalty=1.5, lateness="3 h late")
    assert "Late penalty: −1.5 (3 h late)" in _text(feedback.summary_html("ann", "a", late))


def test_feedback_notebook_redacts_hidden_tests_and_anchors_every_test():
    safe = feedback.feedback_notebook(NOTEBOOK, TESTS)
    text = nbformat.writes(safe)
    assert "zq-secret" not in text and "BEGIN HIDDEN" not in text
    sources = [cell.source for cell in safe.cells]
    assert '<a id="test-test_predict"></a>' in sources and '<a id="test-test_predict_hidden"></a>' in sources
    hidden = safe.cells[sources.index('<a id="test-test_predict_hidden"></a>') + 1]
    assert hidden.outputs[0]["text"] == "failed (0/2)\n"


def test_a_written_answer_graded_by_hand_shows_its_grade_not_pending(tmp_path):
    """The hand grade comes from nbgrader's gradebook, as Formgrader stores it."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("test_predict", "nb", "a1", max_score=1, cell_type="code")
        gb.add_grade_cell("test_predict_hidden", "nb", "a1", max_score=2, cell_type="code")
        gb.add_grade_cell("written", "nb", "a1", max_score=2, cell_type="markdown")
    with gradebook.Writer(url, "a1") as writer:
        writer.save(SubmissionResult("ann", Status.GRADED, "", {"nb": NotebookResult(Status.GRADED, TESTS)}))
    before = _text(_page(tmp_path, gradebook.rows(url, "a1")[0]))
    assert "pending (graded by hand)" in before and "2 points of written answers wait" in before
    with Gradebook(url) as gb:
        gb.find_grade("written", "nb", "a1", "ann").manual_score = 1.5
        gb.db.commit()
    page = _page(tmp_path, gradebook.rows(url, "a1")[0])
    assert "pending" not in page and "wait for a hand grade" not in page
    assert _table_rows(page)[2] == ["written answer", "1.5 / 2 (graded by hand)", "graded by hand"]
    assert "Total: 1.5 / 5" in _text(page)


def test_a_pipe_in_a_description_stays_in_its_table_cell(tmp_path):
    """Topic 04's descriptions write |p|^2: in a markdown table that split the row into raw pipes."""
    pipe = dataclasses.replace(TESTS[0], description="SGDMomentum on L = |p|^2 / 2 from p = (1, 2) | lr = 0.1",
                               score=1.0)
    page = _page(tmp_path, dataclasses.replace(ROW, tests=[pipe]))
    assert _table_rows(page) == [["SGDMomentum on L = |p|^2 / 2 from p = (1, 2) | lr = 0.1", "1 / 1",
                                  "failed: expected 1, got 0 for x = 1"]]


def test_student_text_is_escaped_everywhere_on_the_summary(tmp_path):
    hostile = "</td></tr></table><script>alert(1)</script><img src=x onerror=alert(2)>"
    row = dataclasses.replace(ROW, reason=hostile, lateness=hostile, penalty=1.0,
                              tests=[dataclasses.replace(TESTS[0], message=f"failed: {hostile}",
                                                         description=hostile)])
    page = _page(tmp_path, row, hostile, hostile)
    assert "alert(" not in page.replace("&lt;script&gt;alert(1)", "").replace("onerror=alert(2)&gt;", "")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # student, assignment, reason, lateness, test
    assert len(_table_rows(page)) == 1 and len(_table_rows(page)[0]) == 3


SECRET_LINE = "assert_close(predict(zq_inputs), REFERENCE)"
HIDDEN_NOTEBOOK = new_notebook(cells=[
    _cell("def predict(x):\n    return x", grade_id="predict", solution=True, grade=False, locked=False),
    _cell('"""visible."""\nassert_equal(predict(1), 1)', grade_id="test_visible", grade=True, solution=False,
          locked=True, points=1),
    _cell(f'"""hidden."""\n### BEGIN HIDDEN TESTS\nzq_inputs = [0.125, 0.25, 0.5]\n{SECRET_LINE}\n'
          f'assert 0.7310585786 > 0, "the hidden message"\n### END HIDDEN TESTS', grade_id="test_hidden",
          grade=True, solution=False, locked=True, points=2),
    new_code_cell("print(In)"),
])


def test_outputs_and_messages_that_show_a_hidden_test_are_withheld():
    shown = {
        "the line": f"    {SECRET_LINE}\n",
        "re-spaced, coloured": "\x1b[31massert_close( predict( zq_inputs ),\n REFERENCE )\x1b[0m",
        "a fragment over two lines": "...se(predict(zq_inputs), REFERENCE)\nassert 0.7...",
        "a string value": "('the hidden message',)",
        "a list value": "[0.125, 0.25, 0.5]",
        "a precise number": "p = 0.7310585786",
        "html entities": "assert_close(predict(zq_inputs), REFERENCE)".replace("(", "&#40;"),
    }
    notebook = nbformat.from_dict(nbformat.writes(HIDDEN_NOTEBOOK) and HIDDEN_NOTEBOOK)
    notebook.cells[3].outputs = [new_output("stream", name="stdout", text=text) for text in shown.values()] + [
        new_output("stream", name="stdout", text="the student's own line\n"),
        new_output("display_data", data={"text/html": f"<pre>{SECRET_LINE}</pre>", "text/plain": "x"}),
        new_output("error", ename="ValueError", evalue="boom", traceback=[f"----> 1 {SECRET_LINE}"]),
        new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    safe = feedback.feedback_notebook(notebook, [])
    texts = [out.get("text", "") for out in safe.cells[3].outputs]
    assert texts == [redact.WITHHELD] * len(shown) + ["the student's own line\n"] + [redact.WITHHELD] * 2 + [
        redact.PICTURE_WITHHELD]
    leaking = dataclasses.replace(TESTS[0], message=f"failed: ValueError: {SECRET_LINE}")
    row = dataclasses.replace(ROW, tests=[leaking], reason=f"graded; {SECRET_LINE}")
    page = feedback.summary_html("ann", "a", row, {}, redact.Secrets.of(notebook))
    assert "zq_inputs" not in page and redact.MESSAGE_WITHHELD in page and redact.REASON_WITHHELD in page


def test_what_the_notebook_shows_anyway_is_never_withheld():
    notebook = nbformat.from_dict(HIDDEN_NOTEBOOK)
    notebook.cells[0].source += "\nzq_inputs = [0.125, 0.25, 0.5]  # the student's own, so it is theirs"
    notebook.cells[1].outputs = [new_output("stream", name="stdout", text="assert_equal(predict(1), 1)\n"),
                                 new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    notebook.cells[3].outputs = [new_output("stream", name="stdout", text="[0.125, 0.25, 0.5] 0.73 REFERENCE\n")]
    safe = feedback.feedback_notebook(notebook, [])
    assert safe.cells[1].outputs == notebook.cells[1].outputs  # before the first hidden test: pictures stay
    assert safe.cells[3].outputs == notebook.cells[3].outputs


def test_a_notebook_s_page_withholds_what_another_notebook_s_hidden_test_showed(tmp_path):
    """nbgrader runs an assignment's notebooks in one folder: a file written during the first notebook's hidden
    test can be printed by the second."""
    from autograder.core.workdir import Workdir

    work = Workdir(tmp_path / "work")
    url = work.db_url
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        for name in ("nb1", "nb2"):
            gb.add_notebook(name, "a1")
        gb.add_grade_cell("test_hidden", "nb1", "a1", max_score=2, cell_type="code")
    tests = [TestResult("test_hidden", "hidden.", 2.0, 2.0, True, "passed", "passed")]
    with gradebook.Writer(url, "a1") as writer:
        writer.save(SubmissionResult("ann", Status.GRADED, "", {"nb1": NotebookResult(Status.GRADED, tests),
                                                                 "nb2": NotebookResult(Status.GRADED, [])}))
    second = new_notebook(cells=[new_code_cell("print(open('stolen.txt').read())")])
    second.cells[0].outputs = [new_output("stream", name="stdout", text=SECRET_LINE + "\n")]
    folder = work.folder("autograded", "ann", "a1")
    folder.mkdir(parents=True)
    nbformat.write(HIDDEN_NOTEBOOK, folder / "nb1.ipynb")
    nbformat.write(second, folder / "nb2.ipynb")
    pages = feedback.write_feedback(work, "a1")
    assert sorted(path.name for path in pages) == ["nb1.html", "nb2.html"]
    page = (work.folder("feedback", "ann", "a1") / "nb2.html").read_text()
    assert "zq_inputs" not in page and "withheld by the grader" in page
