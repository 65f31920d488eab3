"""The values a test cell hands to the grader, and how the grader judges them.

A check in a test cell (``autograder.checks``) *records* the value under test as a display output of
MIME type ``RECORD_MIME`` (only while the grader runs the notebook). The grader runs the instructor's
reference notebook once in a clean kernel, keeps its records (kind, tolerance, bound, value) outside
every student's process, and compares each student's records against them with ``judge``. Only the
student's *value* is used: kinds, tolerances and bounds always come from the reference run, so nothing a
student's kernel prints, patches or fakes can loosen a comparison.

Values travel as plain JSON: arrays as dtype, shape and base64 bytes, never pickles or objects, so an
object whose ``__eq__`` always answers True cannot reach the comparison.
"""

import base64
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.core.plugins import Judge

RECORD_MIME = "application/vnd.autograder.record+json"
RECORD_ENV = "AUTOGRADER_RECORD"
KINDS = ("close", "equal", "at_least", "at_most", "accuracy_at_least", "accuracy_at_most", "mse_at_most",
         "cross_entropy_at_most")
# kinds whose number the grader computes itself from what the model produced and the reference's targets
MEASURED_KINDS = ("accuracy_at_least", "accuracy_at_most", "mse_at_most", "cross_entropy_at_most")
_FLOOR_KINDS = ("accuracy_at_least",)  # measured kinds whose bound is a floor; the others are ceilings
MAX_RECORD_BYTES = 8 << 20  # one recorded value; the grader's output cap bounds the total
FORMAT_VERSION = 4  # of encoded values and the reference cache (4: "cells" by grade id, each {"trust",
# "records"} with trust checks, bound or kernel); cached reference records of another version are recomputed
_NUMERIC_KINDS = "biuf"


class RecordError(ValueError):
    """A value that cannot be recorded or a record that cannot be decoded."""


def to_numpy(value: Any) -> Any:
    """Turn torch tensors (any device) into numpy arrays; leave everything else as it is."""
    module = type(value).__module__ or ""
    if module.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value


def _as_array(value: Any) -> np.ndarray | None:
    """The value as a numeric ndarray, or None when it is not numeric data."""
    value = to_numpy(value)
    if isinstance(value, np.ndarray):
        return value if value.dtype.kind in _NUMERIC_KINDS else None
    if isinstance(value, (bool, int, float, np.generic)):
        array = np.asarray(value)
        return array if array.dtype.kind in _NUMERIC_KINDS else None
    if isinstance(value, (list, tuple)) and value:
        items = [_as_array(item) for item in value]
        if all(item is not None for item in items) and len({item.shape for item in items}) == 1:
            return np.stack(items)
    return None


def encode(value: Any) -> dict:
    """JSON-able form of ``value``: numeric data (arrays, tensors, numbers, nested equal-shaped
    sequences), strings, None, and lists/tuples/dicts of those. Anything else raises RecordError."""
    array = _as_array(value)
    if array is not None:
        if array.dtype.kind == "b":
            array = array.astype(np.int8)
            dtype = "bool"
        else:
            # np.array, not np.ascontiguousarray: that one turns a scalar into shape (1,)
            array = np.array(array.astype(array.dtype.newbyteorder("<")), order="C")
            dtype = array.dtype.str
        raw = array.tobytes()
        if len(raw) > MAX_RECORD_BYTES:
            raise RecordError(f"value of {len(raw)} bytes is larger than the {MAX_RECORD_BYTES} a check records")
        return {"t": "array", "dtype": dtype, "shape": list(array.shape),
                "b64": base64.b64encode(raw).decode("ascii")}
    value = to_numpy(value)
    if value is None:
        return {"t": "none"}
    if isinstance(value, str):
        return {"t": "str", "s": value}
    if isinstance(value, (list, tuple)):
        return {"t": "seq", "items": [encode(item) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"t": "dict", "items": {key: encode(item) for key, item in value.items()}}
    raise RecordError(f"cannot record a value of type {type(value).__name__}; "
                      "return numbers, numpy arrays, tensors, strings or lists of them")


def decode(obj: Any, budget: list[int] | None = None) -> Any:
    """Inverse of ``encode`` for untrusted JSON: validates every field and the total size."""
    budget = [MAX_RECORD_BYTES * 4] if budget is None else budget
    if not isinstance(obj, dict) or not isinstance(obj.get("t"), str):
        raise RecordError("malformed record value")
    kind = obj["t"]
    if kind == "none":
        return None
    if kind == "str":
        if not isinstance(obj.get("s"), str):
            raise RecordError("malformed string record")
        return obj["s"]
    if kind == "seq":
        items = obj.get("items")
        if not isinstance(items, list):
            raise RecordError("malformed sequence record")
        return [decode(item, budget) for item in items]
    if kind == "dict":
        items = obj.get("items")
        if not isinstance(items, dict):
            raise RecordError("malformed dict record")
        return {str(key): decode(item, budget) for key, item in items.items()}
    if kind == "array":
        return _decode_array(obj, budget)
    raise RecordError(f"unknown record value type {kind!r}")


def _decode_array(obj: dict, budget: list[int]) -> np.ndarray:
    shape, dtype_text, b64 = obj.get("shape"), obj.get("dtype"), obj.get("b64")
    if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)
            and isinstance(dtype_text, str) and isinstance(b64, str)):
        raise RecordError("malformed array record")
    is_bool = dtype_text == "bool"
    try:
        dtype = np.dtype(np.int8 if is_bool else dtype_text)
    except TypeError as error:
        raise RecordError(f"unknown dtype {dtype_text!r}") from error
    if dtype.kind not in _NUMERIC_KINDS:
        raise RecordError(f"non-numeric dtype {dtype_text!r}")
    raw = base64.b64decode(b64, validate=True)
    budget[0] -= len(raw)
    if budget[0] < 0:
        raise RecordError("recorded values are too large")
    count = math.prod(shape)
    if count * dtype.itemsize != len(raw):
        raise RecordError("array record's bytes do not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape)
    return array.astype(bool) if is_bool else array


def make_record(kind: str, value: Any, what: str, rtol: float = 0.0, atol: float = 0.0,
                bound: float | None = None) -> dict:
    """The JSON a check displays: the kind of comparison, its parameters and the encoded value."""
    if kind not in KINDS:
        raise ValueError(f"unknown check kind {kind!r}")
    try:
        encoded, error = encode(value), None
    except RecordError as exc:
        encoded, error = None, str(exc)
    return {"v": 1, "kind": kind, "what": str(what), "rtol": float(rtol), "atol": float(atol),
            "bound": None if bound is None else float(bound), "value": encoded, "error": error}


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})" if value.ndim else f"{value.item()!r}"
    if isinstance(value, list):
        return f"a sequence of {len(value)} items"
    return repr(value)[:80]


def _first_difference(expected: np.ndarray, actual: np.ndarray, bad: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if expected.ndim else ()
    where = f" at index {index}" if index else ""
    count = int(bad.sum())
    return (f"{count} of {bad.size} entries differ; first{where}: expected {expected[index].item()!r}, "
            f"got {actual[index].item()!r}")


def compare_values(kind: str, expected: Any, actual: Any, rtol: float = 0.0, atol: float = 0.0,
                   bound: float | None = None) -> str | None:
    """Compare ``actual`` with ``expected`` (decoded values) under ``kind``.

    Returns None when they agree, else a sentence a student can act on. Shapes must match exactly (no
    broadcasting), NaN equals nothing, numeric dtypes may differ (1 and 1.0 agree), and numbers never
    equal strings or containers.
    """
    if kind in MEASURED_KINDS:
        return compare_measured(kind, expected, actual, bound)
    if kind in ("at_least", "at_most"):
        array = _as_array(actual)
        if array is None or array.size != 1:
            return f"expected a single number, got {_describe(actual)}"
        number = float(array.reshape(-1)[0])
        if not math.isfinite(number):
            return f"expected a finite number, got {number}"
        if kind == "at_least" and not number >= bound:
            return f"expected at least {bound:g}, got {number:g}"
        if kind == "at_most" and not number <= bound:
            return f"expected at most {bound:g}, got {number:g}"
        return None
    expected_array, actual_array = _as_array(expected), _as_array(actual)
    if expected_array is not None:
        if actual_array is None:
            return f"expected {_describe(expected_array)}, got {_describe(actual)}"
        if expected_array.shape != actual_array.shape:
            return f"expected shape {expected_array.shape}, got shape {actual_array.shape}"
        if kind == "equal":
            bad = expected_array != actual_array
        else:
            with np.errstate(invalid="ignore", over="ignore"):
                e = expected_array.astype(np.float64)
                a = actual_array.astype(np.float64)
                bad = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=False)
                bad |= np.isnan(a) | np.isnan(e)
        if np.any(bad):
            detail = _first_difference(expected_array, actual_array, np.asarray(bad))
            tolerance = f" (rtol={rtol:g}, atol={atol:g})" if kind == "close" else ""
            return detail + tolerance
        return None
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return f"expected {_describe(expected)}, got {_describe(actual)}"
        for position, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problem = compare_values(kind, e, a, rtol, atol, bound)
            if problem:
                return f"item {position}: {problem}"
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(actual) != set(expected):
            return f"expected keys {sorted(expected)}, got {_describe(actual)}"
        for key in expected:
            problem = compare_values(kind, expected[key], actual[key], rtol, atol, bound)
            if problem:
                return f"[{key!r}]: {problem}"
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"expected {_describe(expected)}, got {_describe(actual)}"
    return None


def measure(kind: str, outputs: np.ndarray, targets: np.ndarray) -> float | str:
    """The quantity a measured check bounds, computed here from the model's ``outputs`` and the
    ``targets``: accuracy of predicted labels (N,) against labels (N,); mean squared error of outputs
    against targets of the same shape; mean cross-entropy of logits (N, C) against labels (N,) in 0..C-1.
    Returns the number, or a sentence saying why the outputs cannot be measured."""
    if kind in ("accuracy_at_least", "accuracy_at_most"):
        if outputs.shape != targets.shape:
            return f"expected predicted labels of shape {targets.shape}, got shape {outputs.shape}"
        return float(np.mean(outputs == targets))
    if kind == "mse_at_most":
        if outputs.shape != targets.shape:
            return f"expected outputs of shape {targets.shape}, got shape {outputs.shape}"
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.mean((outputs.astype(np.float64) - targets.astype(np.float64)) ** 2))
    if outputs.ndim != 2 or outputs.shape[0] != targets.shape[0] or targets.ndim != 1:
        return f"expected logits of shape ({targets.shape[0]}, classes), got shape {outputs.shape}"
    if targets.size and not (0 <= targets.min() and targets.max() < outputs.shape[1]):
        return f"labels out of range for {outputs.shape[1]} classes"
    logits = outputs.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(log_probs[np.arange(targets.size), targets.astype(np.int64)]))


def compare_measured(kind: str, expected: Any, actual: Any, bound: float | None) -> str | None:
    """Judge a measured check: ``actual`` is ``{"outputs", "targets"}`` as recorded. With ``expected``
    (the reference's record, in the grader) the targets must be the reference's own, so the quantity is
    computed against the reference's labels, not whatever the student's kernel handed the check."""
    if not (isinstance(actual, dict) and set(actual) == {"outputs", "targets"}):
        return "expected the model's outputs and the targets"
    outputs, targets = _as_array(actual["outputs"]), _as_array(actual["targets"])
    if outputs is None or targets is None:
        return (f"expected numeric outputs and targets, got {_describe(actual['outputs'])} and "
                f"{_describe(actual['targets'])}")
    if expected is not None:
        reference_targets = _as_array(expected.get("targets")) if isinstance(expected, dict) else None
        if reference_targets is None:
            return "the reference recorded no targets for this check"
        mode = "equal" if kind != "mse_at_most" else "close"
        problem = compare_values(mode, reference_targets, targets, rtol=1e-6, atol=1e-9)
        if problem:
            return f"the targets differ from the reference's: {problem}"
    number = measure(kind, outputs, targets)
    if isinstance(number, str):
        return number
    if not math.isfinite(number):
        return f"expected a finite value, got {number}"
    name = {"accuracy_at_least": "accuracy", "accuracy_at_most": "accuracy", "mse_at_most": "mean squared error",
            "cross_entropy_at_most": "cross-entropy"}[kind]
    if kind in _FLOOR_KINDS and not number >= bound:
        return f"{name} {number:.4g}, expected at least {bound:g}"
    if kind not in _FLOOR_KINDS and not number <= bound:
        return f"{name} {number:.4g}, expected at most {bound:g}"
    return None


def judge(reference: dict, student: Any) -> str | None:
    """Judge one student record against the trusted reference record of the same position.

    Returns None when the student's value passes, else the reason. Everything but the student's value
    (kind, tolerances, bound, description) is taken from ``reference``.
    """
    if not isinstance(student, dict):
        return "no value was recorded (the check did not run to completion)"
    if student.get("error"):
        return str(student["error"])[:300]
    try:
        actual = decode(student.get("value"))
    except (RecordError, ValueError, TypeError) as error:
        return f"the recorded value is unreadable ({error})"
    expected = decode(reference["value"]) if reference.get("value") is not None else None
    return compare_values(reference["kind"], expected, actual, reference.get("rtol", 0.0),
                          reference.get("atol", 0.0), reference.get("bound"))


def cell_error(cell) -> dict | None:
    """The first error output of a code cell, if it raised."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def cell_records(cell) -> list:
    """The values a cell's checks handed to the grader, in order."""
    return [out["data"][RECORD_MIME] for out in cell.get("outputs", [])
            if out.get("output_type") == "display_data" and RECORD_MIME in out.get("data", {})]


@dataclass(frozen=True)
class RecordJudge(Judge):
    """The harness's own comparison (``autograder.judge.records.judge``): tolerances, shapes, measured bounds."""

    def judge(self, reference: dict, student) -> str | None:
        return judge(reference, student)
