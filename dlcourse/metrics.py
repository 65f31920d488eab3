"""Key numbers a notebook reports (accuracy, error, speed ratio) for ``make bench`` to collect.

``report("test accuracy", 0.975)`` shows a line in the notebook and leaves a machine-readable output
that the benchmark reads back from the executed notebook.
"""

from IPython.display import display

METRIC_MIME = "application/vnd.dlcourse.metric+json"


def report(name: str, value: float, unit: str = "") -> float:
    """Show ``name = value unit`` and record it for the benchmark table. Returns ``value``."""
    value = float(value)
    text = f"{name} = {value:.4g}{(' ' + unit) if unit else ''}"
    display({METRIC_MIME: {"name": name, "value": value, "unit": unit}, "text/plain": text}, raw=True)
    return value


def report_interval(name: str, interval) -> None:
    """Show an estimate with its confidence interval (``dlcourse.stats.Interval``) and record the estimate,
    both ends and the number of seeds for the benchmark table."""
    text = f"{name} = {interval}"
    display({METRIC_MIME: {"name": name, "value": float(interval.estimate), "unit": "",
                           "low": float(interval.low), "high": float(interval.high), "n": int(interval.n)},
             "text/plain": text}, raw=True)
