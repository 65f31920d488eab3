"""Formulas typeset with the network switched off: a feedback page and a lecture page of the static
site, each opened from disk in Chromium with every non-file request refused.

The pages are made by the code that makes them for students (``feedback.feedback_page``, ``site.render``)
from the CNN topic, whose lecture and assignment are full of display formulas. Screenshots go to
``test-artifacts/`` (``math-feedback.png``, ``math-site.png``).
"""

import pytest

from autograder.core.course import Course, description, grade_id, is_hidden, is_manual, is_test, points, read_notebook
from autograder.core.results import GradebookRow, TestResult
from autograder.core.status import Status
from autograder.outputs import feedback, mathjax
from coursetools import site
from tests.browser.support import ROOT, artifact

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOPIC = "05_cnn"

WAIT_FOR_TYPESETTING = """() => new Promise((done, fail) => {
    if (!window.MathJax || !MathJax.Hub) { fail("MathJax did not load"); return; }
    MathJax.Hub.Queue(() => done(true));
})"""
COUNT = """() => ({
    typeset: document.querySelectorAll(".MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG").length,
    displays: document.querySelectorAll(".MathJax_Display").length,
    raw: (document.body.innerText.match(/\\$\\$|\\\\sum|\\\\frac/g) || []).length,
    errors: document.querySelectorAll(".MathJax_Error, merror").length,
})"""


def _offline_page(browser, url):
    """Open ``url`` with every request that is not a local file refused; the refused URLs."""
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, offline=True)
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file:"), refuse)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate(WAIT_FOR_TYPESETTING)
    return context, page, refused


def _check_typeset(page, name):
    found = page.evaluate(COUNT)
    if found["displays"]:  # the screenshot shows the first display formula, with the text around it
        page.locator(".MathJax_Display").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(artifact(name)), full_page=False)
    assert found["typeset"] > 0 and found["displays"] > 0, found
    assert found["raw"] == 0, f"raw LaTeX left visible: {found}"
    assert found["errors"] == 0, found
    return found


def test_feedback_page_typesets_formulas_offline(browser, tmp_path):
    course = Course(ROOT)
    release = read_notebook(course.release_path(TOPIC, TOPIC))
    source = read_notebook(course.source_path(TOPIC, TOPIC))
    tests = [TestResult(grade_id(c), description(c), points(c), None if is_manual(c) else 0.0, is_hidden(c),
                        "graded by hand" if is_manual(c) else "failed: expected 1.0, got 0.0", "")
             for c in source.cells if is_test(c) or is_manual(c)]
    row = GradebookRow("ann", Status.GRADED, "", 0.0, sum(t.points for t in tests),
                       sum(t.score is None for t in tests), 1.0, tests)
    path = feedback.feedback_page(TOPIC, row, release, tmp_path / "feedback" / "ann" / TOPIC / f"{TOPIC}.html")
    assert (path.parent / mathjax.FOLDER / "MathJax.js").is_file()
    context, page, refused = _offline_page(browser, path.as_uri())
    try:
        found = _check_typeset(page, "math-feedback.png")
        print(f"feedback page: {found}, refused requests: {refused}")
    finally:
        context.close()


def test_site_page_typesets_formulas_offline(browser, tmp_path):
    lecture = read_notebook(ROOT / "notebooks" / f"{TOPIC}.ipynb")
    out = tmp_path / "site"
    mathjax.install(out)
    path = out / f"{TOPIC}.html"
    path.write_text(site.render(lecture, site.title_of(lecture, TOPIC)), encoding="utf-8")
    context, page, refused = _offline_page(browser, path.as_uri())
    try:
        found = _check_typeset(page, "math-site.png")
        print(f"site page: {found}, refused requests: {refused}")
    finally:
        context.close()
