"""The assertion helpers test cells call: messages students can act on, records for the grader."""

import numpy as np
import pytest

from autograder import checks
from autograder.checks import (
    REFERENCE,
    assert_at_least,
    assert_at_most,
    assert_close,
    assert_equal,
    assert_grad_close,
    assert_shape,
)


def test_close_message_says_what_where_and_how_much():
    with pytest.raises(AssertionError) as info:
        assert_close(np.array([1.0, 2.0]), np.array([1.0, 3.0]), what="f(x) for x = [1, 2]")
    text = str(info.value)
    assert "f(x) for x = [1, 2]" in text and "index (1,)" in text and "expected 3.0, got 2.0" in text


def test_shape_message():
    with pytest.raises(AssertionError, match=r"expected shape \(2, 3\), got shape \(3, 2\)"):
        assert_shape(np.ones((3, 2)), (2, 3), what="W")
    with pytest.raises(AssertionError, match="got list"):
        assert_shape([1, 2], (2,), what="W")


def test_tuples_of_arrays_and_torch():
    torch = pytest.importorskip("torch")
    assert_close((torch.ones(2), 1.0, True), (np.ones(2), 1.0, True), what="update")
    with pytest.raises(AssertionError, match="item 1"):
        assert_close((np.ones(2), 2.0), (np.ones(2), 1.0), what="update")


def test_reference_never_asserts_in_the_kernel():
    assert_close(np.array([5.0]), REFERENCE)
    assert_equal("anything", REFERENCE)
    assert_shape(np.ones(3), REFERENCE)


def test_bounds():
    assert_at_least(0.97, 0.96)
    with pytest.raises(AssertionError, match="at least 0.96"):
        assert_at_least(0.5, 0.96, what="accuracy")
    with pytest.raises(AssertionError, match="finite"):
        assert_at_most(float("nan"), 1.0)


def test_grad_close_catches_a_sign_error():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2))
    assert_grad_close(lambda v: float(np.sum(v ** 3)), x, 3 * x ** 2)
    with pytest.raises(AssertionError, match="relative error"):
        assert_grad_close(lambda v: float(np.sum(v ** 3)), x, -3 * x ** 2)


def test_records_only_when_the_grader_asks(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    monkeypatch.delenv("AUTOGRADER_RECORD", raising=False)
    assert_equal(1, 1)
    assert shown == []
    monkeypatch.setenv("AUTOGRADER_RECORD", "1")
    assert_equal(np.array([1, 2]), REFERENCE, what="labels")
    (data,) = shown
    record = data[checks.records.RECORD_MIME]
    assert record["kind"] == "equal" and record["what"] == "labels"


def _recorded(monkeypatch, check, *args, **kwargs):
    """The record a check displays while the grader runs it."""
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    monkeypatch.setenv("AUTOGRADER_RECORD", "1")
    try:
        check(*args, **kwargs)
    except AssertionError:
        pass
    (data,) = shown
    return data[checks.records.RECORD_MIME]


def test_measured_checks_assert_in_the_kernel():
    labels = np.array([0, 1, 2, 1, 0])
    checks.assert_accuracy_at_least(np.array([0, 1, 2, 0, 0]), labels, 0.8)
    with pytest.raises(AssertionError, match="accuracy 0.6, expected at least 0.8"):
        checks.assert_accuracy_at_least(np.array([0, 1, 0, 0, 0]), labels, 0.8)
    checks.assert_mse_at_most(np.array([1.0, 2.0]), np.array([1.0, 2.5]), 0.2)
    with pytest.raises(AssertionError, match="mean squared error 0.125"):
        checks.assert_mse_at_most(np.array([1.0, 2.0]), np.array([1.0, 2.5]), 0.1)
    logits = np.log(np.array([[0.5, 0.5], [0.25, 0.75]]))
    checks.assert_cross_entropy_at_most(logits, np.array([0, 1]), 0.5)  # (ln 2 + ln 4/3) / 2 = 0.49
    with pytest.raises(AssertionError, match="cross-entropy 0.49"):
        checks.assert_cross_entropy_at_most(logits, np.array([0, 1]), 0.4)
    with pytest.raises(AssertionError, match="shape"):
        checks.assert_accuracy_at_least(np.array([0, 1]), labels, 0.5)
    checks.assert_accuracy_at_most(np.array([0, 1, 0, 0, 0]), labels, 0.6)
    with pytest.raises(AssertionError, match="accuracy 0.8, expected at most 0.6"):
        checks.assert_accuracy_at_most(np.array([0, 1, 2, 0, 0]), labels, 0.6)


def test_the_grader_computes_the_quantity_against_the_reference_targets(monkeypatch):
    labels = np.array([0, 1, 2, 1, 0, 2, 1, 1])
    reference = _recorded(monkeypatch, checks.assert_accuracy_at_least, labels.copy(), labels, 0.75)
    honest = _recorded(monkeypatch, checks.assert_accuracy_at_least, np.array([0, 1, 2, 1, 0, 2, 0, 0]),
                       labels, 0.75)
    assert checks.records.judge(reference, honest) is None
    wrong = _recorded(monkeypatch, checks.assert_accuracy_at_least, np.zeros(8, dtype=int), labels, 0.75)
    assert "accuracy 0.25" in checks.records.judge(reference, wrong)
    # a kernel that hands the check its own predictions as the labels reaches 100 % there, not here
    forged = _recorded(monkeypatch, checks.assert_accuracy_at_least, np.zeros(8, dtype=int),
                       np.zeros(8, dtype=int), 0.75)
    assert "targets differ from the reference's" in checks.records.judge(reference, forged)
    # a patched np.mean in the kernel cannot reach the grader's own computation
    monkeypatch.setattr(np, "mean", lambda *a, **k: 1.0)
    patched = _recorded(monkeypatch, checks.assert_accuracy_at_least, np.zeros(8, dtype=int), labels, 0.75)
    monkeypatch.undo()
    assert "accuracy 0.25" in checks.records.judge(reference, patched)


def test_an_accuracy_ceiling_is_computed_against_the_reference_labels(monkeypatch):
    labels = np.array([0, 1, 2, 1, 0, 2, 1, 1])
    reference = _recorded(monkeypatch, checks.assert_accuracy_at_most, np.zeros(8, dtype=int), labels, 0.5)
    assert checks.records.judge(reference, reference) is None
    trained = _recorded(monkeypatch, checks.assert_accuracy_at_most, labels.copy(), labels, 0.5)
    assert "accuracy 1, expected at most 0.5" in checks.records.judge(reference, trained)
    # labels that differ from the reference's (here: shifted so nothing matches) are refused
    forged = _recorded(monkeypatch, checks.assert_accuracy_at_most, labels.copy(), (labels + 1) % 3, 0.5)
    assert "targets differ from the reference's" in checks.records.judge(reference, forged)
    # a kernel whose np.mean answers 0 for every comparison cannot push a trained model under the ceiling
    monkeypatch.setattr(np, "mean", lambda *a, **k: 0.0)
    patched = _recorded(monkeypatch, checks.assert_accuracy_at_most, labels.copy(), labels, 0.5)
    monkeypatch.undo()
    assert "accuracy 1, expected at most 0.5" in checks.records.judge(reference, patched)


def test_measured_loss_records_are_judged_outside(monkeypatch):
    targets = np.linspace(-1, 1, 6)
    reference = _recorded(monkeypatch, checks.assert_mse_at_most, targets + 0.01, targets, 0.01)
    far = _recorded(monkeypatch, checks.assert_mse_at_most, targets + 1.0, targets, 0.01)
    assert "mean squared error 1" in checks.records.judge(reference, far)
    labels = np.array([0, 1, 1])
    reference = _recorded(monkeypatch, checks.assert_cross_entropy_at_most, np.eye(2)[labels] * 5, labels, 0.1)
    nan = _recorded(monkeypatch, checks.assert_cross_entropy_at_most, np.full((3, 2), np.nan), labels, 0.1)
    assert "finite" in checks.records.judge(reference, nan)
    assert checks.records.judge(reference, reference) is None
