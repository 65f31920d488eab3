"""The instructor's report: written answers are pending, never a 0 % pass rate; every question has its
own column name and a legend line."""

from autograder.core.results import GradebookRow, TestResult
from autograder.core.status import Status
from autograder.outputs import report


def _test(grade_id, score, points=1.0, hidden=False, manual_score=None, description=None):
    return TestResult(grade_id, description or f"checks {grade_id}", points, score, hidden,
                      "passed" if score == points else "failed", "", manual_score)


def _row(student, tests):
    return GradebookRow(student, Status.GRADED, "", sum(t.score or 0 for t in tests), 6.0,
                        sum(t.score is None and t.manual_score is None for t in tests), 1.0, tests)


ROWS = [
    _row("ann", [_test("test_quantization_error", 1.0), _test("test_quantization_error_hidden", 2.0, 2.0, True),
                 _test("written", None, 3.0)]),
    _row("bob", [_test("test_quantization_error", 0.0), _test("test_quantization_error_hidden", 0.0, 2.0, True),
                 _test("written", None, 3.0)]),
    _row("cy", [_test("test_quantization_error", 1.0), _test("test_quantization_error_hidden", 2.0, 2.0, True),
                _test("written", None, 3.0, manual_score=2.0)]),
]


def test_written_answers_count_waiting_students_and_hand_grades():
    stats = {s.grade_id: s for s in report.question_stats(ROWS)}
    written = stats["written"]
    assert written.manual and written.pending == 2 and written.pass_rate is None
    assert written.scores == [2.0]
    test = stats["test_quantization_error"]
    assert not test.manual and abs(test.pass_rate - 2 / 3) < 1e-12 and test.pending == 0


def test_table_names_each_question_once_and_never_shows_a_pass_rate_for_pending_answers():
    text = report.table(ROWS)
    head = text.splitlines()[0].split()
    assert head[3:] == ["Q1", "Q2", "Q3"]
    rate = next(line for line in text.splitlines() if line.startswith("pass rate"))
    assert rate.split()[2:] == ["67%", "67%", "2", "wait"]
    legend = text[text.index("questions:"):]
    # two ids that share their first 23 characters stay apart
    assert "Q1   test_quantization_error (1 pt, test, checks)" in legend
    assert "Q2   test_quantization_error_hidden (2 pt, hidden test, checks)" in legend
    assert "Q3   written (3 pt, written, graded by hand)" in legend
    cy = next(line for line in text.splitlines() if line.startswith("cy"))
    bob = next(line for line in text.splitlines() if line.startswith("bob"))
    assert cy.split()[-1] == "2" and bob.split()[-1] == "…"


def test_html_lists_written_answers_apart_with_their_state():
    page = report.html_page(ROWS, "09_som", b"png")
    hardest = page[page.index('id="hardest"'):page.index('id="manual"')]
    assert "written" not in hardest and "test_quantization_error_hidden" in hardest
    manual = page[page.index('id="manual"'):page.index('id="students"')]
    assert "<td>2</td><td>1 × 2</td>" in manual
    assert "0%" not in manual
    assert 'src="mathjax/MathJax.js' in page and "cdnjs" not in page


def test_discrimination_and_flags_point_at_tests_to_read_again():
    pairs = [(1.0, 1.0), (1.0, 1.0), (0.0, 0.0), (0.0, 0.0), (1.0, 0.0)]
    rows = [_row(f"s{i}", [_test("always", 1.0), _test("never", 0.0), _test("a", a), _test("b", b)])
            for i, (a, b) in enumerate(pairs)]
    stats = {s.grade_id: s for s in report.question_stats(rows)}
    assert stats["always"].flag.startswith("every student passes") and stats["always"].discrimination is None
    assert stats["never"].flag.startswith("no student passes")
    assert stats["a"].flag == "" and stats["a"].discrimination > 0.5  # passing a goes with passing b
    against = [_row(f"s{i}", [_test("a", a), _test("c", 1.0 - a)]) for i, (a, _) in enumerate(pairs)]
    assert {s.grade_id: s for s in report.question_stats(against)}["c"].discrimination < -0.9
    text = report.table(rows)
    assert "[every student passes" in text and "[no student passes" in text
    assert "discrimination" in report.html_page(rows, "a1", b"")


def test_descriptions_and_reasons_cannot_break_the_page():
    hostile = "</td></tr></table><script>alert(1)</script> L = |p|^2"
    row = _row("</td><script>", [_test("t|1", 1.0, description=hostile)])
    row.reason = hostile
    page = report.html_page([row], "a<b>", b"")
    assert "<script>alert" not in page and "<b>" not in page.replace("<b>graded</b>", "")
    assert page.count("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt; L = |p|^2") == 2
    assert page.count("<tr") == page.count("</tr>") and page.count("<table") == page.count("</table>") == 2
