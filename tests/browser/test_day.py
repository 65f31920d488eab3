"""The student's and the instructor's day with 01_perceptron, in JupyterLab in a real browser.

The student fetches the assignment from the Assignment List, sees Validate fail, types the answers,
runs everything, sees Validate pass and submits. The instructor collects the submission from the
exchange, grades it with ``autograder grade``, finds the score in Formgrader and opens the HTML report.
Both tests share one temporary copy of the course (so the instructor grades what the student
submitted); the instructor's test submits a correct notebook itself when it runs alone.
"""

import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.utils import get_username
from playwright.sync_api import expect
from traitlets.config import Config

from autograder.core.course import grade_id, is_answer, is_manual, is_test, points, read_notebook
from autograder.store import gradebook
from autograder.tools.samples import build, read_sample
from coursetools.lab import COURSE_ID, Lab, collect, release
from tests.browser import jlab
from tests.browser.support import ROOT, artifact, copy_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENT = "01_perceptron"
# nbgrader's local exchange names a submission after the account that submits it
STUDENT = get_username()
SAMPLE = ROOT / "tests" / "files" / "submissions" / ASSIGNMENT / "correct_loops.py"
# an answer to the written question of 01 (its kernels and Novikoff's bound); graded by hand, so only kept
WRITTEN = ("XOR has no separating line, so with linear_kernel no margin is positive and the bound does not "
           "apply; an RBF kernel with a very large gamma makes K close to the identity, so any labels are "
           "separable and the bound says nothing about new points.")


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory) -> Lab:
    root = copy_course(tmp_path_factory.mktemp("course"))
    return Lab.at(root, root / "grading")


def inbox(lab: Lab) -> list:
    return sorted((lab.exchange / COURSE_ID / "inbound").glob(f"{STUDENT}+{ASSIGNMENT}+*"))


def answers() -> dict[str, str]:
    """Answer text per grade id: a correct solution written differently from the reference."""
    return {**read_sample(SAMPLE).cells, "written": WRITTEN}


def test_student_fetches_validates_and_submits(page, start_lab, course_lab):
    lab = course_lab
    release(lab, [ASSIGNMENT])
    server = start_lab(lab)
    jlab.open_lab(page, server)

    # fetch from the Assignment List
    jlab.menu(page, "Nbgrader", "nbgrader:open-assignment-list")
    page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT).get_by_role(
        "button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
    fetched.wait_for()
    path = lab.student_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.exists(), f"fetching did not write {path}"

    # open it (by URL: the file browser shows fetched files only after its next poll); Validate lists
    # the unanswered cells
    jlab.open_lab(page, server, str(path.relative_to(lab.root)))
    jlab.wait_notebook_ready(page)
    title, body = jlab.validate(page, screenshot=str(artifact("validate-failing.png")))
    assert "failed" in body.lower() and "NotImplementedError" in body, (title, body)
    assert "Success" not in body

    # write the answers into the cells
    release_cells = read_notebook(path).cells
    texts = answers()
    for index, cell in enumerate(release_cells):
        if is_answer(cell):
            jlab.set_cell_source(page, index, texts[grade_id(cell)])

    # run everything: plots and text appear, nothing on stderr
    seconds = jlab.run_all(page)
    print(f"run all: {seconds:.1f} s")
    shown = jlab.outputs(page)
    plots = sum(1 for cell in release_cells if cell.cell_type == "code" and "plt." in cell.source)
    assert shown["images"] >= plots >= 1, shown
    assert shown["texts"] >= 1, shown
    assert shown["stderr"] == [], shown["stderr"]

    # Validate passes, then submit from the Assignment List
    title, body = jlab.validate(page, screenshot=str(artifact("validate-success.png")))
    assert "Success! Your notebook passes all the tests." in body, (title, body)
    saved = read_notebook(path)
    assert {grade_id(c): c.source for c in saved.cells if is_answer(c)}["written"] == WRITTEN

    jlab.menu(page, "Nbgrader", "nbgrader:open-assignment-list")
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
    fetched.get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first).to_be_visible()
    assert len(inbox(lab)) == 1, "the submission is not in the exchange's inbox"


def submit_correct_notebook(lab: Lab) -> None:
    """What the student test submits, for when the instructor's test runs alone."""
    source = read_notebook(lab.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    notebook = build(read_sample(SAMPLE), source, read_notebook(lab.root / "release" / ASSIGNMENT /
                                                                 f"{ASSIGNMENT}.ipynb"))
    for cell in notebook.cells:
        if grade_id(cell) == "written":
            cell.source = WRITTEN
    folder = lab.student_dir / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    config = Config()
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = ASSIGNMENT
    config.CourseDirectory.student_id = STUDENT
    config.Exchange.root = str(lab.exchange)
    config.Exchange.assignment_dir = str(lab.student_dir)
    ExchangeSubmit(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
                   config=config).start()


def test_instructor_collects_grades_and_reviews(page, start_lab, course_lab):
    lab = course_lab
    if not inbox(lab):
        release(lab, [ASSIGNMENT])
        submit_correct_notebook(lab)
    collected = collect(lab, ASSIGNMENT, lab.workdir / "collected")
    assert (collected / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()

    started = time.perf_counter()
    for step in (["grade", ASSIGNMENT, "--submissions", str(collected), "--workers", "1", "--quiet"],
                 ["report", ASSIGNMENT]):
        done = subprocess.run([sys.executable, "-m", "autograder", *step, "--workdir", str(lab.workdir)],
                              cwd=lab.root, capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, done.stdout + done.stderr
    print(f"grade + report: {time.perf_counter() - started:.1f} s")

    source = read_notebook(lab.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    auto = sum(points(c) for c in source.cells if is_test(c))
    total = sum(points(c) for c in source.cells if is_test(c) or is_manual(c))
    [row] = gradebook.rows(f"sqlite:///{lab.workdir / 'gradebook.db'}", ASSIGNMENT)
    assert (row.student_id, row.status, row.score) == (STUDENT, "graded", auto), row

    # Formgrader (the instructor's view of the same gradebook) lists the submission with its score
    server = start_lab(lab)
    page.set_extra_http_headers({"Authorization": f"token {server.token}"})  # for the page's API calls too
    page.goto(f"{server.url}/formgrader/manage_submissions/{ASSIGNMENT}")
    entry = page.locator("tr, .list_item", has_text=STUDENT).last
    expect(entry).to_be_visible()
    expect(entry).to_contain_text(f"{auto:g} / {total:g}")
    page.screenshot(path=str(artifact("formgrader-submissions.png")))

    # the HTML report: status counts, the score distributions, the hardest tests
    report = lab.workdir / "reports" / f"{ASSIGNMENT}.html"
    page.goto(report.as_uri())
    expect(page.locator("#status-counts")).to_contain_text("graded: 1")
    image = page.locator("img[alt='score distributions']")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    tests = [grade_id(c) for c in source.cells if is_test(c)]
    written = [grade_id(c) for c in source.cells if is_manual(c)]
    assert page.locator("#hardest tr").count() == len(tests) + 1  # a row per autograded cell, and the header
    assert page.locator("#manual tr").count() == len(written) + 1  # written answers: waiting, not 0 %
    expect(page.locator("#manual")).to_contain_text("none yet")
    page.screenshot(path=str(artifact(f"report-{ASSIGNMENT}.png")), full_page=True)
