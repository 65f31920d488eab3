"""The instructor's view of a batch: status counts, score distribution, per-question pass rates and
the hardest tests, as a printed table, a PNG and an HTML page.

Written answers graded by hand are never given a pass rate while they wait: the report counts the
students waiting, and once hand grades exist, shows their distribution.
"""

import base64
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.core.results import GradebookRow, TestResult, Trust
from autograder.core.status import Status
from autograder.outputs import mathjax, pages
from autograder.store import gradebook


@dataclass
class QuestionStats:
    """One graded cell over a batch: for autograded tests the scores of students whose run reached it;
    for written answers (``manual``) the hand grades given so far and how many students still wait."""

    grade_id: str
    description: str
    points: float
    hidden: bool
    manual: bool = False
    scores: list[float] = field(default_factory=list)
    pending: int = 0
    rest: list[float] = field(default_factory=list)  # each scored student's total without this question
    trust: Trust = Trust.CHECKS

    @property
    def trust_label(self) -> str:
        return {Trust.CHECKS: "checks", Trust.KERNEL: "kernel verdict", Trust.BOUND: "kernel verdict (bound)",
                Trust.MANUAL: "by hand"}[self.trust]

    @property
    def graded(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def pass_rate(self) -> float | None:
        """Share of students with full points; None for written answers and tests no run reached."""
        if self.manual or not self.scores:
            return None
        return sum(score >= self.points for score in self.scores) / len(self.scores)

    @property
    def discrimination(self) -> float | None:
        """Correlation, over students, of this question's score with the rest of their score: near 0 or
        negative means passing it says nothing about knowing the rest (often a broken or unclear test).
        None with fewer than three students or when either side does not vary."""
        n = len(self.scores)
        if self.manual or n < 3 or len(self.rest) != n:
            return None
        mean_x, mean_y = sum(self.scores) / n, sum(self.rest) / n
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(self.scores, self.rest))
        sxx = sum((x - mean_x) ** 2 for x in self.scores)
        syy = sum((y - mean_y) ** 2 for y in self.rest)
        return None if sxx == 0 or syy == 0 else sxy / (sxx * syy) ** 0.5

    @property
    def flag(self) -> str:
        """What an instructor should check: a test every student or no student passes."""
        if self.pass_rate is None or self.graded < 2:
            return ""
        if self.pass_rate == 1:
            return "every student passes: is it testing anything?"
        if self.pass_rate == 0:
            return "no student passes: is the test or the question broken?"
        return ""


def question_stats(rows: list[GradebookRow]) -> list[QuestionStats]:
    """Per graded cell, in notebook order (students with a run only)."""
    stats: dict[str, QuestionStats] = {}
    for row in rows:
        for test in row.tests:
            entry = stats.setdefault(test.grade_id, QuestionStats(test.grade_id, test.description, test.points,
                                                                  test.hidden, trust=test.trust))
            if test.score is not None:
                entry.scores.append(test.score)
                entry.rest.append(sum(other.score or 0.0 for other in row.tests) - test.score)
                continue
            entry.manual = True
            if test.manual_score is None:
                entry.pending += 1
            else:
                entry.scores.append(test.manual_score)
    return list(stats.values())


def labels(stats: list[QuestionStats]) -> list[str]:
    """Short column names, one per question and never shared: Q1, Q2, ... in notebook order."""
    return [f"Q{number}" for number in range(1, len(stats) + 1)]


def _cell_score(test: TestResult | None) -> str:
    if test is None:
        return ""
    if test.score is not None:
        return format(test.score, "g")
    return "…" if test.manual_score is None else format(test.manual_score, "g")


def _summary(stat: QuestionStats) -> str:
    if not stat.manual:
        return "-" if stat.pass_rate is None else f"{stat.pass_rate:.0%}"
    return f"{stat.pending} wait" if stat.pending else f"mean {stat.mean:.3g}"


def table(rows: list[GradebookRow]) -> str:
    """Per-student, per-question score table (plain text), with a legend naming every column."""
    stats = question_stats(rows)
    names = labels(stats)
    width = max([len("student")] + [len(r.student_id) for r in rows])
    columns = [max(len(name), 7) for name in names]
    head = f"{'student':<{width}}  {'score':>11}  {'status':<8}  " + " ".join(
        f"{name:>{size}}" for name, size in zip(names, columns))
    lines = [head, "-" * len(head)]
    for row in rows:
        tests = {t.grade_id: t for t in row.tests}
        cells = " ".join(f"{_cell_score(tests.get(s.grade_id)):>{size}}" for s, size in zip(stats, columns))
        score = f"{row.score:>5g}/{row.max_score:<5g}"
        lines.append(f"{row.student_id:<{width}}  {score}  {row.status:<8}  {cells}")
    lines.append("-" * len(head))
    lines.append(f"{'pass rate':<{width}}  {'':>11}  {'':<8}  " + " ".join(
        f"{_summary(s):>{size}}" for s, size in zip(stats, columns)))
    lines += ["", "questions:"]
    for name, stat in zip(names, stats):
        kind = "written, graded by hand" if stat.manual else (
            ("hidden test" if stat.hidden else "test") + f", {stat.trust_label}")
        lines.append(f"  {name:<4} {stat.grade_id} ({stat.points:g} pt, {kind}): {stat.description}"
                     + (f"  [{stat.flag}]" if stat.flag else ""))
    if any(s.manual for s in stats):
        lines.append("  … = waiting for a hand grade (enter it in Formgrader)")
    if any(s.trust == Trust.KERNEL for s in stats):
        lines.append("  kernel verdict = scored by nbgrader's rule inside the student's kernel (no check records "
                     "values); code in that kernel can fool it")
    if any(s.trust == Trust.BOUND for s in stats):
        lines.append("  kernel verdict (bound) = a number the student's kernel computed, judged against a bound "
                     "outside it; code in that kernel (a patched numpy) can raise it")
    return "\n".join(lines)


def figure_png(rows: list[GradebookRow], assignment: str) -> bytes:
    """Total-score histogram and per-question score distributions as one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stats = question_stats(rows)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1, 2]})
    totals = [row.score for row in rows if row.status != Status.MISSING]
    max_score = max([row.max_score for row in rows] or [1])
    axes[0].hist(totals, bins=min(20, max(int(max_score), 1)), range=(0, max_score), color="tab:blue")
    axes[0].set(title=f"{assignment}: total scores (n={len(totals)})", xlabel="score", ylabel="students")
    names = [f"{label} {s.grade_id}" for label, s in zip(labels(stats), stats)]
    full = [sum(x >= s.points for x in s.scores) for s in stats]
    zero = [sum(x == 0 for x in s.scores) for s in stats]
    pending = [s.pending for s in stats]
    positions = range(len(stats))
    axes[1].bar(positions, full, color="tab:green", label="full points")
    axes[1].bar(positions, zero, bottom=full, color="tab:red", label="0 points")
    axes[1].bar(positions, pending, bottom=[f + z for f, z in zip(full, zero)], color="tab:gray",
                label="waiting for a hand grade")
    axes[1].set_xticks(list(positions), names, rotation=45, ha="right", fontsize=8)
    axes[1].set(title="per-question score distribution", ylabel="students")
    axes[1].legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def html_page(rows: list[GradebookRow], assignment: str, png: bytes) -> str:
    """A self-contained HTML report (MathJax from ``mathjax/`` beside it): status counts, the figure,
    autograded tests hardest first, written answers with their hand-grading state, every student; from
    ``templates/pages/report.html.j2`` (autoescaped: a description or a reason cannot break a table)."""
    stats = question_stats(rows)
    return pages.render(
        "report.html.j2", assignment=assignment, rows=rows, image=base64.b64encode(png).decode("ascii"),
        names=dict(zip((s.grade_id for s in stats), labels(stats))),
        tests=sorted((s for s in stats if not s.manual), key=lambda s: (s.pass_rate is None, s.pass_rate or 0.0)),
        written=[s for s in stats if s.manual], counts=sorted(Counter(str(row.status) for row in rows).items()),
        discrimination=_discrimination, hand_grades=_hand_grades)


def _discrimination(stat: QuestionStats) -> str:
    value = stat.discrimination
    return "–" if value is None else f"{value:+.2f}"


def _hand_grades(stat: QuestionStats) -> str:
    """The distribution of hand grades given so far, e.g. "2 × 2, 1 × 1" (or "none yet")."""
    if not stat.scores:
        return "none yet"
    counts = Counter(stat.scores)
    return ", ".join(f"{count} × {score:g}" for score, count in sorted(counts.items(), reverse=True))


def write_report(workdir, assignment: str, late=None) -> tuple[str, Path, Path]:
    """Write ``reports/<assignment>.png`` and ``.html``; return the text table and both paths (scores after
    the late penalties of ``late``, an ``autograder.intake.lateness.LatePolicy``)."""
    rows = gradebook.rows(workdir.db_url, assignment, late)
    folder = workdir.folder("reports")
    folder.mkdir(parents=True, exist_ok=True)
    mathjax.install(folder)
    png = figure_png(rows, assignment)
    png_path = folder / f"{assignment}.png"
    png_path.write_bytes(png)
    html_path = folder / f"{assignment}.html"
    html_path.write_text(html_page(rows, assignment, png), encoding="utf-8")
    return table(rows), png_path, html_path
