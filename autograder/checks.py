"""Assertion helpers that test cells call: one or two lines per test, a message a student can act on.

Every check does two things:

1. it *records* the value under test for the grader (only while the grader runs the notebook), which
   compares it outside the student's process against the value the instructor's reference solution
   recorded at the same place (see ``autograder.judge.records``). That comparison alone decides the score;
2. it asserts in the student's kernel when an expected value is written in the cell, so that Validate
   and running the cell explain what is wrong: what was expected, what came back, for which input.

Pass ``REFERENCE`` as the expected value in hidden tests: the cell then carries no answer at all, and
the grader compares against the reference solution's value. Example test cells::

    \"\"\"predict() labels the four XOR points with the hand-set weights.\"\"\"
    assert_equal(predict(X_xor, w, b), np.array([-1, 1, 1, 1]), what="predict(X_xor, w, b)")

    \"\"\"forward() on a random batch of shape (7, 5).\"\"\"
    assert_close(forward(x_random), REFERENCE, what="forward(x) for x of shape (7, 5)")
"""

import os
from typing import Any

import numpy as np

from autograder.judge import records
from autograder.judge.gradients import numerical_gradient, rel_error

__all__ = ["REFERENCE", "assert_close", "assert_equal", "assert_shape", "assert_at_least",
           "assert_at_most", "assert_accuracy_at_least", "assert_accuracy_at_most", "assert_mse_at_most",
           "assert_cross_entropy_at_most", "assert_grad_close", "CheckFailed"]


class _Reference:
    """Sentinel: "compare with the reference solution's value" (decided by the grader, not here)."""

    def __repr__(self) -> str:
        return "REFERENCE"


REFERENCE = _Reference()


class CheckFailed(AssertionError):
    """A check's assertion in the student's kernel; the message says what to fix."""


def _record(kind: str, value: Any, what: str, **params) -> None:
    if os.environ.get(records.RECORD_ENV) != "1":
        return
    from IPython.display import display

    display({records.RECORD_MIME: records.make_record(kind, value, what, **params),
             "text/plain": ""}, raw=True)


def _fail(problem: str, what: str) -> None:
    __tracebackhide__ = True
    raise CheckFailed(f"{what}: {problem}")


def assert_close(actual, expected, *, rtol: float = 1e-5, atol: float = 1e-8, what: str = "the result"):
    """Assert ``actual`` equals ``expected`` within ``|a - e| <= atol + rtol * |e|``, shapes exactly.

    Works on numbers, numpy arrays, torch tensors and lists/tuples/dicts of them (e.g. a tuple of
    gradients). ``what`` names the computation and its input for the failure message.
    """
    __tracebackhide__ = True
    _record("close", actual, what, rtol=rtol, atol=atol)
    if expected is REFERENCE:
        return
    _check(records.compare_values("close", _normalise(expected), _normalise(actual), rtol, atol), what)


def assert_equal(actual, expected, *, what: str = "the result"):
    """Assert ``actual`` equals ``expected`` exactly (labels, counts, indices, shapes, strings)."""
    __tracebackhide__ = True
    _record("equal", actual, what)
    if expected is REFERENCE:
        return
    _check(records.compare_values("equal", _normalise(expected), _normalise(actual)), what)


def assert_shape(actual, shape: tuple, *, what: str = "the result"):
    """Assert the array or tensor ``actual`` has exactly ``shape`` (the grader compares shapes only)."""
    __tracebackhide__ = True
    actual_shape = getattr(actual, "shape", None)
    if actual_shape is None:
        _record("equal", None, what)
        _fail(f"expected an array of shape {tuple(shape)}, got {type(actual).__name__}", what)
    actual_shape = tuple(int(n) for n in actual_shape)
    _record("equal", list(actual_shape), what)
    if shape is not REFERENCE and actual_shape != tuple(shape):
        _fail(f"expected shape {tuple(shape)}, got shape {actual_shape}", what)


def assert_at_least(actual, bound: float, *, what: str = "the result"):
    """Assert the number ``actual`` is finite and at least ``bound`` (accuracy floors)."""
    __tracebackhide__ = True
    _record("at_least", actual, what, bound=bound)
    _check(records.compare_values("at_least", None, _normalise(actual), bound=bound), what)


def assert_at_most(actual, bound: float, *, what: str = "the result"):
    """Assert the number ``actual`` is finite and at most ``bound`` (error and loss ceilings)."""
    __tracebackhide__ = True
    _record("at_most", actual, what, bound=bound)
    _check(records.compare_values("at_most", None, _normalise(actual), bound=bound), what)


def assert_accuracy_at_least(predictions, labels, bound: float, *, what: str = "the accuracy"):
    """Assert that ``predictions`` (N,) match ``labels`` (N,) on at least a ``bound`` share of examples.

    Prefer it to ``assert_at_least(accuracy, ...)``: it records the predicted labels, and the grader
    computes the accuracy itself against the labels the reference solution recorded at the same check,
    so a patched ``np.mean`` or ``==`` in the student's kernel cannot raise the number."""
    __tracebackhide__ = True
    _measured("accuracy_at_least", predictions, labels, bound, what)


def assert_accuracy_at_most(predictions, labels, bound: float, *, what: str = "the accuracy"):
    """Assert that ``predictions`` (N,) match ``labels`` (N,) on at most a ``bound`` share of examples
    (a ceiling: an untrained or deliberately degenerate model stays near chance); computed by the grader
    against the reference's labels, as in ``assert_accuracy_at_least``."""
    __tracebackhide__ = True
    _measured("accuracy_at_most", predictions, labels, bound, what)


def assert_mse_at_most(outputs, targets, bound: float, *, what: str = "the mean squared error"):
    """Assert that the mean squared error of ``outputs`` against ``targets`` (same shape) is at most
    ``bound``; computed by the grader against the reference's targets, as in ``assert_accuracy_at_least``."""
    __tracebackhide__ = True
    _measured("mse_at_most", outputs, targets, bound, what)


def assert_cross_entropy_at_most(logits, labels, bound: float, *, what: str = "the cross-entropy"):
    """Assert that the mean cross-entropy of ``logits`` (N, C) against ``labels`` (N,) in 0..C-1 is at
    most ``bound`` (natural log); computed by the grader against the reference's labels."""
    __tracebackhide__ = True
    _measured("cross_entropy_at_most", logits, labels, bound, what)


def _measured(kind: str, outputs, targets, bound: float, what: str) -> None:
    __tracebackhide__ = True
    value = {"outputs": _normalise(outputs), "targets": _normalise(targets)}
    _record(kind, value, what, bound=bound)
    _check(records.compare_values(kind, None, value, bound=bound), what)


def assert_grad_close(f, x: np.ndarray, analytic, *, rtol: float = 1e-6, h: float = 1e-5,
                      what: str = "the gradient"):
    """Assert the ``analytic`` gradient of the scalar function ``f`` at ``x`` matches central
    differences to relative error ``rtol`` (use float64). The grader also compares ``analytic`` with
    the reference solution's gradient at the same point."""
    __tracebackhide__ = True
    analytic = _normalise(analytic)
    _record("close", analytic, what, rtol=max(rtol, 1e-7), atol=1e-9)
    numeric = numerical_gradient(f, np.array(x, dtype=np.float64), h=h)
    if not isinstance(analytic, np.ndarray) or analytic.shape != numeric.shape:
        _fail(f"expected a gradient of shape {numeric.shape}, got {records._describe(analytic)}", what)
    error = rel_error(analytic, numeric)
    if not error <= rtol:
        worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), numeric.shape)
        _fail(f"relative error {error:.2e} against central differences exceeds {rtol:g}; largest gap at "
              f"index {tuple(int(i) for i in worst)}: analytic {analytic[worst]:.6g}, "
              f"numerical {numeric[worst]:.6g}", what)


def _normalise(value):
    value = records.to_numpy(value)
    if isinstance(value, (list, tuple)):
        return [_normalise(item) for item in value]
    if isinstance(value, (bool, int, float, np.generic)):
        return np.asarray(value)
    return value


def _check(problem: str | None, what: str) -> None:
    __tracebackhide__ = True
    if problem is not None:
        _fail(problem, what)
