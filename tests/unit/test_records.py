"""The trusted comparison: what a recorded value can and cannot do."""

import json

import numpy as np
import pytest

from autograder.judge import records
from autograder.judge.records import RecordError, compare_values, decode, encode, judge, make_record


def roundtrip(value):
    return decode(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize("value", [np.arange(6.0).reshape(2, 3), np.array([True, False]), 3, 2.5, "text",
                                   None, [np.ones(2), np.zeros((2, 2))], {"a": np.int64(4)}, np.float32(1.5)])
def test_roundtrip_is_exact(value):
    back = roundtrip(value)
    assert compare_values("equal", value, back) is None  # against the original, not another round-trip
    assert compare_values("equal", value, roundtrip(_changed(value))) is not None  # and a change shows
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)


def _changed(value):
    """``value`` with one element altered."""
    if isinstance(value, np.ndarray):
        out = value.copy()
        out.flat[0] = not out.flat[0] if out.dtype == bool else out.flat[0] + 1
        return out
    if isinstance(value, list):
        return [_changed(value[0]), *value[1:]]
    if isinstance(value, dict):
        return {key: _changed(item) for key, item in value.items()}
    if value is None:
        return 0
    return value + ("!" if isinstance(value, str) else 1)


def test_torch_tensors_are_recorded_as_arrays():
    torch = pytest.importorskip("torch")
    back = roundtrip(torch.arange(4.0, requires_grad=True) * 2)
    assert isinstance(back, np.ndarray) and back.tolist() == [0, 2, 4, 6]


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.array([AlwaysEqual()], dtype=object)


def test_objects_cannot_be_recorded():
    with pytest.raises(RecordError):
        encode(AlwaysEqual())
    record = make_record("equal", AlwaysEqual(), "predict(X)")
    assert record["value"] is None and "cannot record" in record["error"]
    reference = make_record("equal", np.array([1, -1]), "predict(X)")
    assert judge(reference, record) is not None


def test_judge_uses_only_the_reference_tolerance():
    reference = make_record("close", np.array([1.0, 2.0]), "f(x)", rtol=1e-6)
    cheat = make_record("close", np.array([1.0, 2.5]), "f(x)", rtol=1e9, atol=1e9)
    assert "differ" in judge(reference, cheat)
    bound = make_record("at_least", 0.9, "accuracy", bound=0.96)
    assert judge(bound, make_record("at_least", 0.5, "accuracy", bound=0.0)) == "expected at least 0.96, got 0.5"


@pytest.mark.parametrize("expected, actual, fragment", [
    (np.ones(3), np.ones((3, 1)), "shape"),
    (np.ones(3), np.array([1, 1, np.nan]), "differ"),
    (np.array([np.nan]), np.array([np.nan]), "differ"),
    (np.ones(2), "1 1", "expected"),
    ([np.ones(2), 1.0], [np.ones(2)], "sequence"),
])
def test_mismatches_are_explained(expected, actual, fragment):
    assert fragment in compare_values("close", expected, actual, 1e-6, 1e-9)


def test_numeric_dtypes_may_differ():
    assert compare_values("equal", np.array([1, -1]), np.array([1.0, -1.0])) is None
    assert compare_values("close", np.array([1.0]), np.array([1.0 + 1e-9]), 1e-6, 0) is None


@pytest.mark.parametrize("bad", [
    None, {"t": "array"}, {"t": "array", "dtype": "object", "shape": [1], "b64": ""},
    {"t": "array", "dtype": "<f8", "shape": [3], "b64": "AAAA"}, {"t": "pickle", "data": "x"},
    {"t": "array", "dtype": "<f8", "shape": [-1], "b64": ""}, {"t": "seq", "items": "no"},
])
def test_malformed_records_are_rejected(bad):
    with pytest.raises((RecordError, ValueError)):
        decode(bad)


def test_missing_record_fails():
    reference = make_record("equal", 1, "x")
    assert judge(reference, None).startswith("no value")


def test_oversized_values_are_refused():
    with pytest.raises(RecordError):
        encode(np.zeros(records.MAX_RECORD_BYTES // 8 + 1))
