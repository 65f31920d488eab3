"""The instructor's view of a batch: status counts, score distribution, per-question pass rates and
the hardest tests, as a printed table, a PNG and an HTML page."""

import base64
import html
import io
from collections import Counter
from pathlib import Path

from autograder import gradebook


def question_stats(rows: list[dict]) -> list[dict]:
    """Per graded cell: points, how many earned them, mean score (students with a run only)."""
    stats: dict[str, dict] = {}
    for row in rows:
        for test in row["tests"]:
            entry = stats.setdefault(test["grade_id"], {
                "grade_id": test["grade_id"], "description": test["description"], "points": test["points"],
                "hidden": test["hidden"], "scores": []})
            if test["score"] is not None:
                entry["scores"].append(test["score"])
    for entry in stats.values():
        scores = entry["scores"]
        entry["graded"] = len(scores)
        entry["mean"] = sum(scores) / len(scores) if scores else 0.0
        entry["pass_rate"] = sum(s >= entry["points"] for s in scores) / len(scores) if scores else 0.0
    return list(stats.values())


def table(rows: list[dict]) -> str:
    """Per-student, per-question score table (plain text)."""
    stats = question_stats(rows)
    ids = [s["grade_id"] for s in stats]
    width = max([len("student")] + [len(r["student_id"]) for r in rows])
    head = f"{'student':<{width}}  {'score':>11}  {'status':<8}  " + " ".join(f"{i[:14]:>14}" for i in ids)
    lines = [head, "-" * len(head)]
    for row in rows:
        scores = {t["grade_id"]: t["score"] for t in row["tests"]}
        cells = " ".join(f"{'-' if scores.get(i) is None else format(scores[i], 'g'):>14}" for i in ids)
        score = f"{row['score']:>5g}/{row['max_score']:<5g}"
        lines.append(f"{row['student_id']:<{width}}  {score}  {row['status']:<8}  {cells}")
    lines.append("-" * len(head))
    lines.append(f"{'pass rate':<{width}}  {'':>11}  {'':<8}  " + " ".join(f"{s['pass_rate']:>14.0%}" for s in stats))
    return "\n".join(lines)


def figure_png(rows: list[dict], assignment: str) -> bytes:
    """Total-score histogram and per-question score distributions as one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stats = question_stats(rows)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1, 2]})
    totals = [row["score"] for row in rows if row["status"] != "missing"]
    max_score = max([row["max_score"] for row in rows] or [1])
    axes[0].hist(totals, bins=min(20, max(int(max_score), 1)), range=(0, max_score), color="tab:blue")
    axes[0].set(title=f"{assignment}: total scores (n={len(totals)})", xlabel="score", ylabel="students")
    labels = [s["grade_id"] for s in stats]
    full = [sum(x >= s["points"] for x in s["scores"]) for s in stats]
    zero = [sum(x == 0 for x in s["scores"]) for s in stats]
    positions = range(len(stats))
    axes[1].bar(positions, full, color="tab:green", label="full points")
    axes[1].bar(positions, zero, bottom=full, color="tab:red", label="0 points")
    axes[1].set_xticks(list(positions), labels, rotation=45, ha="right", fontsize=8)
    axes[1].set(title="per-question score distribution", ylabel="students")
    axes[1].legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def html_page(rows: list[dict], assignment: str, png: bytes) -> str:
    """A self-contained HTML report: status counts, the figure, hardest tests, every student."""
    # answers waiting for a manual grade have no scores yet: not "hardest", listed last
    stats = sorted(question_stats(rows), key=lambda s: (not s["scores"], s["pass_rate"]))
    counts = Counter(row["status"] for row in rows)
    status_items = "".join(f"<li><b>{html.escape(k)}</b>: {v}</li>" for k, v in sorted(counts.items()))
    hardest = "".join(
        f"<tr><td>{html.escape(s['grade_id'])}</td><td>{html.escape(s['description'])}</td><td>{s['points']:g}</td>"
        + (f"<td>{s['pass_rate']:.0%}</td><td>{s['mean']:.2f}</td></tr>" if s["scores"]
           else "<td colspan=2>waiting for manual grading</td></tr>") for s in stats)
    students = "".join(
        f"<tr class='{html.escape(r['status'])}'><td>{html.escape(r['student_id'])}</td><td>{r['score']:g} / "
        f"{r['max_score']:g}</td><td>{html.escape(r['status'])}</td><td>{html.escape(r['reason'])}</td></tr>"
        for r in rows)
    image = base64.b64encode(png).decode("ascii")
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Report: {html.escape(assignment)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}#students tr.graded td:nth-child(3){{color:#070}}
#students tr:not(.graded) td:nth-child(3){{color:#b00;font-weight:bold}}</style></head><body>
<h1>Grading report: {html.escape(assignment)}</h1>
<h2>Status</h2><ul id="status-counts">{status_items}</ul>
<h2>Score distributions</h2><img alt="score distributions" src="data:image/png;base64,{image}">
<h2>Hardest tests first</h2><table id="hardest"><tr><th>test</th><th>description</th><th>points</th>
<th>pass rate</th><th>mean</th></tr>{hardest}</table>
<h2>Students</h2><table id="students"><tr><th>student</th><th>score</th><th>status</th><th>reason</th></tr>
{students}</table>
</body></html>"""


def write_report(workdir, assignment: str) -> tuple[str, Path, Path]:
    """Write ``reports/<assignment>.png`` and ``.html``; return the text table and both paths."""
    rows = gradebook.rows(workdir.db_url, assignment)
    folder = workdir.folder("reports")
    folder.mkdir(parents=True, exist_ok=True)
    png = figure_png(rows, assignment)
    png_path = folder / f"{assignment}.png"
    png_path.write_bytes(png)
    html_path = folder / f"{assignment}.html"
    html_path.write_text(html_page(rows, assignment, png))
    return table(rows), png_path, html_path
