"""Generated sequence tasks for recurrent networks (nothing is downloaded).

Introduced in 06_rnn_lstm (lecture and assignment): the *adding problem* of Hochreiter & Schmidhuber
(1997), in the form used by Le et al. (2015) and Arjovsky et al. (2016). Shapes are (batch, time,
features) throughout.
"""

import numpy as np

__all__ = ["adding_problem", "ADDING_BASELINE_MSE", "ADDING_ONE_NUMBER_MSE"]

# Always answering 1 (the mean of the target) leaves the target's variance: Var(U1 + U2) = 2/12.
ADDING_BASELINE_MSE = 1 / 6
# Remembering one marked number exactly and guessing the other's mean (0.5) leaves Var(U) = 1/12.
ADDING_ONE_NUMBER_MSE = 1 / 12


def adding_problem(n: int, T: int, rng: np.random.Generator | int | None = 0,
                   dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of the adding problem of length ``T`` (``T >= 2``).

    Every time step carries two features: a value drawn uniformly from [0, 1) and a marker in {0, 1}.
    Exactly two steps per sequence are marked, one in the first half (``t < T // 2``) and one in the
    second half; the target is the sum of the two marked values, in [0, 2).

    ``rng`` is a ``numpy.random.Generator`` to draw from, or a seed. Returns ``X`` of shape (n, T, 2)
    and ``y`` of shape (n,), both of ``dtype``.
    """
    if T < 2:
        raise ValueError(f"the adding problem needs T >= 2 steps, got T = {T}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    half = T // 2
    values = rng.random((n, T))
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1).astype(dtype)
    y = (values[rows, first] + values[rows, second]).astype(dtype)
    return X, y
