"""HTML feedback per student: the total and what to look at on top, a score table, then the graded
notebook with every hidden test reduced to its one-line description and its verdict (no hidden code,
values or tracebacks). Formulas typeset offline: each page loads MathJax from ``mathjax/`` beside it."""

import copy
import html
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograder import gradebook, mathjax
from autograder.course import grade_id, is_answer, is_hidden, is_test, read_notebook
from autograder.records import RECORD_MIME
from autograder.results import GradebookRow, TestResult


def answers_tested(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """For each test cell's grade id, the grade id of the answer cell it checks: the nearest answer cell
    above it (nbgrader notebooks put a question's tests right after its answer)."""
    tested, answer = {}, None
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "code":
            answer = grade_id(cell)
        elif is_test(cell) and answer is not None:
            tested[grade_id(cell) or ""] = answer
    return tested


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def summary_markdown(student: str, assignment: str, row: GradebookRow, answers: dict[str, str] | None = None) -> str:
    """What a student reads first: the total (and any late penalty or points still to be graded by hand),
    what to look at for every failed visible test, then the table of every test."""
    answers = answers or {}
    pending = sum(test.points for test in row.tests if test.score is None)
    lines = [f"# Feedback: {html.escape(assignment)}", "",
             f"**Student:** {html.escape(student)} &nbsp; **Total:** {row.score:g} / {row.max_score:g}"
             f" &nbsp; **Status:** {row.status}", ""]
    if row.penalty:
        lines += [f"**Late penalty:** −{row.penalty:g} ({html.escape(row.lateness or 'late')});"
                  " the total above includes it.", ""]
    elif row.lateness:
        lines += [f"**Handed in:** {html.escape(row.lateness)} (no penalty).", ""]
    if pending:
        lines += [f"{_points(pending)} of written answers wait for a hand grade and are not in the total yet.", ""]
    if row.reason:
        lines += [f"> {html.escape(row.reason)}", ""]
    failed = [test for test in row.tests if not test.hidden and test.score is not None and test.score < test.points]
    if failed:
        lines += ["## What to look at", ""]
        for test in failed:
            where = answers.get(test.grade_id)
            target = f"your answer `{html.escape(where)}`" if where else "the cell this test checks"
            name = html.escape(test.description.rstrip("."))
            lines.append(f"- [{name}](#test-{test.grade_id}): look at {target}. {html.escape(test.message)}")
        lines.append("")
    lines += ["## Every test", "", "| test | points | result |", "| --- | --- | --- |"]
    for test in row.tests:
        score = "pending (graded by hand)" if test.score is None else f"{test.score:g} / {test.points:g}"
        label = html.escape(test.description) + (" *(hidden)*" if test.hidden else "")
        lines.append(f"| {label} | {score} | {html.escape(test.message)} |")
    return "\n".join(lines)


def feedback_notebook(executed: nbformat.NotebookNode, tests: list[TestResult]) -> nbformat.NotebookNode:
    """A copy of the graded notebook that is safe to hand back."""
    by_id = {test.grade_id: test for test in tests}
    notebook = copy.deepcopy(executed)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and grade_id(cell) in by_id:  # an anchor the summary links to
            cells.append(nbformat.v4.new_markdown_cell(f'<a id="test-{grade_id(cell)}"></a>'))
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        cell.outputs = [out for out in cell.get("outputs", []) if RECORD_MIME not in out.get("data", {})]
        test = by_id.get(grade_id(cell) or "")
        if test is not None and is_hidden(cell):
            cell.source = f'"""{test.description}"""\n# hidden test: its code is not shown'
            verdict = f"{test.message} ({test.score or 0:g}/{test.points:g})\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict)]
    notebook.cells = cells
    return notebook


def feedback_page(student: str, assignment: str, row: GradebookRow, graded: nbformat.NotebookNode | None, path: Path,
                  exporter=None, shared_mathjax: Path | None = None) -> Path:
    """Write the feedback page ``path`` (with MathJax in a folder beside it): the summary, then the graded
    notebook made safe to hand back; ``graded`` None (nothing ran) writes the summary alone."""
    exporter = exporter or mathjax.exporter()
    path.parent.mkdir(parents=True, exist_ok=True)
    # beside the page, so the folder handed back to the student is complete
    mathjax.install(path.parent, shared_mathjax)
    notebook = nbformat.v4.new_notebook() if graded is None else feedback_notebook(graded, row.tests)
    answers = {} if graded is None else answers_tested(graded)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(summary_markdown(student, assignment, row, answers)))
    body, _ = exporter.from_notebook_node(notebook)
    path.write_text(body, encoding="utf-8")
    return path


def write_feedback(workdir, assignment: str, students: list[str] | None = None, late=None,
                   workers: int = 1) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.html`` for every graded student, on ``workers``
    processes (rendering a page is most of the time; a class of 800 wants every core)."""
    shared = mathjax.install(workdir.folder("feedback"))  # one copy; each student's folder links to it
    jobs = []
    for row in gradebook.rows(workdir.db_url, assignment, late):
        if students and row.student_id not in students:
            continue
        folder = workdir.folder("autograded", row.student_id, assignment)
        target = workdir.folder("feedback", row.student_id, assignment)
        executed = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        if not executed:  # nothing ran (invalid, missing): the summary alone says why
            jobs.append((assignment, row, None, target / f"{assignment}.html", shared))
        jobs += [(assignment, row, path, target / f"{path.stem}.html", shared) for path in executed]
    if workers <= 1 or len(jobs) < 2 * workers:
        return [_page(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        return list(pool.map(_page, jobs, chunksize=8))


_EXPORTER: list = []  # one nbconvert exporter per process


def _page(job: tuple) -> Path:
    assignment, row, executed, path, shared = job
    if not _EXPORTER:
        _EXPORTER.append(mathjax.exporter())
    graded = read_notebook(executed) if executed is not None else None
    return feedback_page(row.student_id, assignment, row, graded, path, _EXPORTER[0], shared)
