"""HTML feedback per student: the total and what to look at on top, a score table, then the graded
notebook with every hidden test reduced to its one-line description and its verdict (no hidden code,
values or tracebacks), and every output or message that would show a hidden test's code or values
withheld (``autograder.outputs.redact`` says what that guarantees). The summary comes from a template with
autoescaping (``autograder.outputs.pages``). Formulas typeset offline: each page loads MathJax from ``mathjax/``
beside it."""

import copy
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograder.core.course import grade_id, is_answer, is_hidden, is_test, read_notebook
from autograder.core.results import GradebookRow, TestResult
from autograder.judge.records import RECORD_MIME
from autograder.outputs import mathjax, pages, redact
from autograder.store import gradebook


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


@dataclass
class TestLine:
    """One row of the table of every test, as the student reads it."""

    __test__ = False  # not a pytest class, whatever its name

    description: str
    hidden: bool
    score: str  # "1 / 2", "1.5 / 2 (graded by hand)", "pending (graded by hand)"
    message: str


@dataclass
class LookAt:
    """A failed visible test and the answer cell to look at."""

    grade_id: str
    name: str
    answer: str | None
    message: str


@dataclass
class Summary:
    """What a student reads first, made safe to show: the total (and any late penalty or points still to be
    graded by hand), what to look at for every failed visible test, then every test."""

    student: str
    assignment: str
    score: float
    max_score: float
    status: str
    penalty: float
    lateness: str
    pending: float  # points of written answers not graded by hand yet
    reason: str
    to_look_at: list[LookAt] = field(default_factory=list)
    tests: list[TestLine] = field(default_factory=list)


def _score(test: TestResult) -> str:
    if test.score is not None:
        return f"{test.score:g} / {test.points:g}"
    if test.manual_score is not None:
        return f"{test.manual_score:g} / {test.points:g} (graded by hand)"
    return "pending (graded by hand)"


def summary(student: str, assignment: str, row: GradebookRow, answers: dict[str, str] | None = None,
            secrets: redact.Secrets | None = None) -> Summary:
    """The summary of ``row``; a message or the reason that shows any of ``secrets`` (the hidden tests of
    the graded notebook) is withheld."""
    answers, secrets = answers or {}, secrets or redact.Secrets(frozenset(), frozenset())
    out = Summary(student, assignment, row.score, row.max_score, str(row.status), row.penalty, row.lateness,
                  sum(test.points for test in row.tests if test.score is None and test.manual_score is None),
                  redact.safe_message(row.reason, secrets, redact.REASON_WITHHELD))
    for test in row.tests:
        message = redact.safe_message(test.message, secrets)
        if test.manual_score is not None and test.score is None:
            message = "graded by hand"
        out.tests.append(TestLine(test.description, test.hidden, _score(test), message))
        if not test.hidden and test.score is not None and test.score < test.points:
            out.to_look_at.append(LookAt(test.grade_id, test.description.rstrip("."), answers.get(test.grade_id),
                                         message))
    return out


def summary_html(student: str, assignment: str, row: GradebookRow, answers: dict[str, str] | None = None,
                 secrets: redact.Secrets | None = None) -> str:
    """The summary as the HTML that opens the feedback page (``templates/pages/feedback_summary.html.j2``)."""
    return pages.render("feedback_summary.html.j2", summary=summary(student, assignment, row, answers, secrets))


def feedback_notebook(executed: nbformat.NotebookNode, tests: list[TestResult],
                      secrets: redact.Secrets | None = None) -> nbformat.NotebookNode:
    """A copy of the graded notebook that is safe to hand back: every hidden test reduced to its description
    and verdict, every output that shows a hidden test's code or values withheld (``autograder.outputs.redact``;
    ``secrets`` defaults to the notebook's own), pictures from the first hidden test on withheld, the values
    handed to the grader and any widget state dropped."""
    secrets = secrets if secrets is not None else redact.Secrets.of(executed)
    by_id = {test.grade_id: test for test in tests}
    notebook = copy.deepcopy(executed)
    notebook.metadata.pop("widgets", None)
    cells, after_hidden = [], False
    for cell in notebook.cells:
        if cell.cell_type == "code" and grade_id(cell) in by_id:  # an anchor the summary links to
            cells.append(nbformat.v4.new_markdown_cell(pages.render("test_anchor.html.j2", grade_id=grade_id(cell))))
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        hidden = is_test(cell) and is_hidden(cell)
        after_hidden = after_hidden or hidden
        outputs = [out for out in cell.get("outputs", []) if RECORD_MIME not in out.get("data", {})]
        cell.outputs = redact.safe_outputs(outputs, secrets, after_hidden)
        test = by_id.get(grade_id(cell) or "")
        if hidden:
            description = test.description if test is not None else "a hidden test"
            cell.source = f'"""{description}"""\n# hidden test: its code is not shown'
            verdict = f"{test.message} ({test.score or 0:g}/{test.points:g})\n" if test is not None else "\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict)]
    notebook.cells = cells
    return notebook


_EXPORTER: list = []  # one nbconvert exporter per process


def feedback_page(assignment: str, row: GradebookRow, graded: nbformat.NotebookNode | None, path: Path,
                  shared_mathjax: Path | None = None, secrets: redact.Secrets | None = None) -> Path:
    """Write ``row``'s student's feedback page ``path`` (with MathJax in a folder beside it): the summary, then
    the graded notebook made safe to hand back; ``graded`` None (nothing ran) writes the summary alone. ``secrets``
    (default: the graded notebook's) are what no output or message may show: with several notebooks, those of
    all of them (files carried from one notebook's run to the next can carry what a hidden test showed)."""
    student = row.student_id
    if not _EXPORTER:  # one nbconvert exporter per process
        _EXPORTER.append(mathjax.exporter())
    exporter = _EXPORTER[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    # beside the page, so the folder handed back to the student is complete
    mathjax.install(path.parent, shared_mathjax)
    if secrets is None and graded is not None:
        secrets = redact.Secrets.of(graded)
    notebook = nbformat.v4.new_notebook() if graded is None else feedback_notebook(graded, row.tests, secrets)
    answers = {} if graded is None else answers_tested(graded)
    top = summary_html(student, assignment, row, answers, secrets)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": f"Feedback: {assignment}"},
                                                               "page_top": top})
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
            jobs.append(PageJob(assignment, row, None, target / f"{assignment}.html", shared))
        jobs += [PageJob(assignment, row, path, target / f"{path.stem}.html", shared, tuple(executed))
                 for path in executed]
    if workers <= 1 or len(jobs) < 2 * workers:
        return [_page(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        return list(pool.map(_page, jobs, chunksize=8))


@dataclass(frozen=True)
class PageJob:
    """One feedback page to write (in a worker process): ``row``'s student, the graded notebook it shows
    (``executed``; None when nothing ran: the summary alone), where it goes, the shared MathJax folder, and
    every graded notebook of the submission (``siblings``), whose hidden tests no output may show either."""

    assignment: str
    row: GradebookRow
    executed: Path | None
    path: Path
    shared: Path | None
    siblings: tuple[Path, ...] = ()


def _page(job: PageJob) -> Path:
    graded = read_notebook(job.executed) if job.executed is not None else None
    secrets = None
    if graded is not None:
        secrets = redact.Secrets.of(graded)
        for sibling in job.siblings:
            if sibling != job.executed:
                secrets |= redact.Secrets.of(read_notebook(sibling))
    return feedback_page(job.assignment, job.row, graded, job.path, job.shared, secrets)
