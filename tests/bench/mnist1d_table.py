"""The MNIST-1D table of Greydanus (2020, "Scaling down deep learning"), reproduced by the lectures, beside
the paper's test accuracies. Lecture 05 reports logistic regression, the MLP and the CNN, lecture 06 the
GRU, each through ``dlcourse.metrics.report_interval`` under the names below; ``make bench`` reads them
from the executed notebooks' rows. A row no notebook reported shows "not run"."""

from dataclasses import dataclass

# (model, shuffled positions) -> the paper's test accuracy
PAPER = {
    ("logistic regression", False): 0.32,
    ("MLP", False): 0.68,
    ("CNN", False): 0.94,
    ("GRU", False): 0.91,
    ("MLP", True): 0.68,
    ("CNN", True): 0.56,
    ("GRU", True): 0.57,
}


def metric_name(model: str, shuffled: bool) -> str:
    """The name a lecture reports the row under, e.g. "MNIST-1D test accuracy (shuffled): CNN"."""
    return f"MNIST-1D test accuracy{' (shuffled)' if shuffled else ''}: {model}"


@dataclass(frozen=True)
class Row:
    """One row of the table: the paper's accuracy and ours (mean and 95 % interval over seeds), if run."""

    model: str
    shuffled: bool
    paper: float
    ours: dict | None  # {"value", "low", "high", "n"} as make bench records an interval, or None
    notebook: str | None


def collect(notebook_rows: list[dict]) -> list[Row]:
    """The table's rows from ``bench_notebooks``'s rows (each with a ``metrics`` dict)."""
    found = {}
    for row in notebook_rows:
        for name, value in row.get("metrics", {}).items():
            found[name] = (value if isinstance(value, dict) else {"value": value}, row["notebook"])
    rows = []
    for (model, shuffled), paper in PAPER.items():
        ours, notebook = found.get(metric_name(model, shuffled), (None, None))
        rows.append(Row(model, shuffled, paper, ours, notebook))
    return rows


def format_table(rows: list[Row]) -> str:
    """The table as text, one line per row."""
    lines = ["", "MNIST-1D test accuracy: the paper (Greydanus 2020) and this course (mean, 95 % CI over seeds)",
             f"{'model':<22} {'positions':<9} {'paper':>6}  {'ours':<34} reported by"]
    for row in rows:
        if row.ours is None:
            ours = "not run"
        elif "low" in row.ours:
            ours = f"{row.ours['value']:.3f} [{row.ours['low']:.3f}, {row.ours['high']:.3f}] (n = {row.ours['n']})"
        else:
            ours = f"{row.ours['value']:.3f}"
        lines.append(f"{row.model:<22} {'shuffled' if row.shuffled else 'original':<9} {row.paper:>6.0%}  "
                     f"{ours:<34} {row.notebook or ''}")
    return "\n".join(lines)


def table_json(rows: list[Row]) -> list[dict]:
    """The rows as plain data for bench-results.json."""
    return [{"model": r.model, "shuffled": r.shuffled, "paper": r.paper, "ours": r.ours, "notebook": r.notebook}
            for r in rows]
