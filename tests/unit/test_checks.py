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
