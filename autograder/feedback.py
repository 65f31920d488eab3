"""HTML feedback per student: a score table on top, then the graded notebook with every hidden test
reduced to its one-line description and its verdict (no hidden code, values or tracebacks)."""

import copy
import html
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from autograder import gradebook
from autograder.course import grade_id, is_hidden, read_notebook
from autograder.records import RECORD_MIME


def summary_markdown(student: str, assignment: str, row: dict) -> str:
    """The table of results students see first."""
    lines = [f"# Feedback: {html.escape(assignment)}", "",
             f"**Student:** {html.escape(student)} &nbsp; **Score:** {row['score']:g} / {row['max_score']:g}"
             f" &nbsp; **Status:** {row['status']}", ""]
    if row.get("reason"):
        lines += [f"> {html.escape(row['reason'])}", ""]
    lines += ["| test | points | result |", "| --- | --- | --- |"]
    for test in row["tests"]:
        score = "pending (graded by hand)" if test["score"] is None else f"{test['score']:g} / {test['points']:g}"
        label = html.escape(test["description"]) + (" *(hidden)*" if test["hidden"] else "")
        lines.append(f"| {label} | {score} | {html.escape(test['message'])} |")
    return "\n".join(lines)


def feedback_notebook(executed: nbformat.NotebookNode, tests: list[dict]) -> nbformat.NotebookNode:
    """A copy of the graded notebook that is safe to hand back."""
    by_id = {test["grade_id"]: test for test in tests}
    notebook = copy.deepcopy(executed)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [out for out in cell.get("outputs", []) if RECORD_MIME not in out.get("data", {})]
        test = by_id.get(grade_id(cell) or "")
        if test is not None and is_hidden(cell):
            cell.source = f'"""{test["description"]}"""\n# hidden test: its code is not shown'
            verdict = f"{test['message']} ({test['score'] or 0:g}/{test['points']:g})\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict)]
    return notebook


def write_feedback(workdir, assignment: str, students: list[str] | None = None) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.html`` for every graded student."""
    exporter = HTMLExporter(template_name="lab")
    written = []
    for row in gradebook.rows(workdir.db_url, assignment):
        student = row["student_id"]
        if students and student not in students:
            continue
        folder = workdir.folder("autograded", student, assignment)
        target = workdir.folder("feedback", student, assignment)
        target.mkdir(parents=True, exist_ok=True)
        executed = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        if not executed:  # nothing ran (invalid, missing): the summary alone says why
            notebook = nbformat.v4.new_notebook()
            notebook.cells.append(nbformat.v4.new_markdown_cell(summary_markdown(student, assignment, row)))
            body, _ = exporter.from_notebook_node(notebook)
            path = target / f"{assignment}.html"
            path.write_text(body)
            written.append(path)
            continue
        for path in executed:
            notebook = feedback_notebook(read_notebook(path), row["tests"])
            notebook.cells.insert(0, nbformat.v4.new_markdown_cell(summary_markdown(student, assignment, row)))
            body, _ = exporter.from_notebook_node(notebook)
            out = target / f"{path.stem}.html"
            out.write_text(body)
            written.append(out)
    return written

