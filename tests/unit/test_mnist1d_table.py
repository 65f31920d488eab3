"""make bench's MNIST-1D table: rows read from the notebooks' reported intervals, "not run" otherwise."""

from tests.bench import mnist1d_table


def test_rows_come_from_the_reported_metrics_and_missing_rows_say_not_run():
    notebooks = [{"notebook": "notebooks/05_cnn.ipynb", "metrics": {
        "MNIST-1D test accuracy: CNN": {"value": 0.87, "low": 0.85, "high": 0.89, "n": 5},
        "MNIST-1D test accuracy (shuffled): MLP": {"value": 0.6, "low": 0.58, "high": 0.62, "n": 5},
        "something else": 1.0}}]
    rows = {(r.model, r.shuffled): r for r in mnist1d_table.collect(notebooks)}
    assert rows["CNN", False].ours["value"] == 0.87 and rows["CNN", False].notebook == "notebooks/05_cnn.ipynb"
    assert rows["MLP", True].ours["low"] == 0.58 and rows["CNN", True].ours is None
    assert rows["GRU", False].paper == 0.91 and rows["GRU", True].paper == 0.57
    text = mnist1d_table.format_table(list(rows.values()))
    assert "0.870 [0.850, 0.890] (n = 5)" in text
    assert text.count("not run") == len(mnist1d_table.PAPER) - 2


def test_metric_names_are_the_ones_the_lectures_report():
    assert mnist1d_table.metric_name("GRU", False) == "MNIST-1D test accuracy: GRU"
    shuffled = mnist1d_table.metric_name("logistic regression", True)
    assert shuffled == "MNIST-1D test accuracy (shuffled): logistic regression"
