"""Speed targets of the notebooks, held by ``make bench`` and never by the notebooks themselves (a
timing assert in a notebook fails on a slow or busy machine). Each target names a key number a notebook
reports with ``dlcourse.metrics.report``.
"""

import operator
from dataclasses import dataclass

COMPARE = {"<=": operator.le, ">=": operator.ge}


@dataclass(frozen=True)
class Target:
    notebook: str  # path relative to the repository, e.g. notebooks/03_backprop_numpy.ipynb
    metric: str
    op: str  # "<=" or ">="
    value: float
    why: str

    def met(self, measured: float) -> bool:
        return COMPARE[self.op](measured, self.value)


TARGETS: tuple[Target, ...] = (
    Target("notebooks/03_backprop_numpy.ipynb", "numpy / PyTorch training time", "<=", 1.5,
           "a numpy MLP with hand-written backprop trains about as fast as PyTorch's at this size"),
    Target("notebooks/05_cnn.ipynb", "im2col / torch time ratio", "<=", 5.0,
           "im2col turns convolution into one matrix product: within a small factor of PyTorch's conv2d"),
    Target("notebooks/05_cnn.ipynb", "loop / im2col time ratio on 10 images", ">=", 50.0,
           "the lecture's point: Python loops over every output are orders of magnitude slower"),
    Target("notebooks/05_cnn.ipynb", "matmul throughput ratio, numpy / Python loops", ">=", 100.0,
           "why hardware for matrix products (BLAS, then GPUs) mattered"),
    Target("notebooks/05_cnn.ipynb", "BN CNN training CPU time", "<=", 10.0,
           "the lecture's main CNN trains in seconds on one thread"),
    Target("notebooks/10_som_hopfield.ipynb", "online SOM speed-up over MiniSom", ">=", 1 / 3,
           "the course's online SOM is in MiniSom's league (it does the same per-sample work)"),
    Target("notebooks/10_som_hopfield.ipynb", "online SOM speed-up over MiniSom", "<=", 3.0,
           "and not suspiciously faster (a speed-up beyond 3x would mean it skips work)"),
)


def check(rows: list[dict]) -> list[dict]:
    """Each target of a notebook that was run, with the measured value (None where the notebook did not report
    it) and whether it holds."""
    by_notebook = {row["notebook"]: row["metrics"] for row in rows}
    out = []
    for target in TARGETS:
        if target.notebook not in by_notebook:
            continue
        measured = by_notebook.get(target.notebook, {}).get(target.metric)
        if isinstance(measured, dict):  # an estimate with its interval: the target is on the estimate
            measured = measured["value"]
        out.append({"notebook": target.notebook, "metric": target.metric, "target": f"{target.op} {target.value:g}",
                    "measured": measured, "met": measured is not None and target.met(measured), "why": target.why})
    return out


def print_table(checked: list[dict]) -> None:
    if not checked:
        return
    print(f"\n{'speed target':<58} {'target':>10} {'measured':>10}  met")
    for row in checked:
        measured = "missing" if row["measured"] is None else f"{row['measured']:.4g}"
        name = f"{row['notebook'].split('/')[-1].removesuffix('.ipynb')}: {row['metric']}"
        print(f"{name:<58} {row['target']:>10} {measured:>10}  {'yes' if row['met'] else 'NO'}")
