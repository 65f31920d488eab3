"""dlcourse.sequences: the adding problem's shapes, markers, targets, seeding and error baselines."""

import numpy as np
import pytest

from dlcourse.sequences import ADDING_BASELINE_MSE, ADDING_ONE_NUMBER_MSE, adding_problem


@pytest.mark.parametrize("T", [2, 3, 10, 101])
def test_shapes_markers_and_targets(T):
    X, y = adding_problem(50, T, rng=1)
    assert X.shape == (50, T, 2) and y.shape == (50,)
    assert X.dtype == np.float32 and y.dtype == np.float32
    values, markers = X[..., 0], X[..., 1]
    assert np.all((values >= 0) & (values < 1))
    assert set(np.unique(markers)) <= {0.0, 1.0}
    assert np.all(markers.sum(axis=1) == 2)
    # one marker in each half
    assert np.all(markers[:, : T // 2].sum(axis=1) == 1)
    assert np.all(markers[:, T // 2 :].sum(axis=1) == 1)
    np.testing.assert_allclose(y, (values * markers).sum(axis=1), rtol=1e-6)


def test_seed_and_generator():
    X1, y1 = adding_problem(20, 8, rng=3)
    X2, y2 = adding_problem(20, 8, rng=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    generator = np.random.default_rng(3)
    first, _ = adding_problem(20, 8, rng=generator)
    second, _ = adding_problem(20, 8, rng=generator)
    np.testing.assert_array_equal(first, X1)  # a generator continues where it left off
    assert not np.array_equal(first, second)


def test_marker_positions_cover_each_half():
    X, _ = adding_problem(4000, 10, rng=0)
    positions = np.argwhere(X[..., 1] == 1)[:, 1]
    assert set(positions) == set(range(10))


def test_dtype_option():
    X, y = adding_problem(5, 4, rng=0, dtype=np.float64)
    assert X.dtype == np.float64 and y.dtype == np.float64


def test_error_baselines():
    _, y = adding_problem(200_000, 6, rng=0)
    assert abs(np.mean((y - 1.0) ** 2) - ADDING_BASELINE_MSE) < 0.003
    assert ADDING_ONE_NUMBER_MSE == pytest.approx(ADDING_BASELINE_MSE / 2)


def test_too_short():
    with pytest.raises(ValueError):
        adding_problem(3, 1)


def test_train_adding_seeds_shapes_and_determinism():
    from dlcourse.sequences import train_adding_seeds

    for cell in ("rnn", "lstm"):
        first = train_adding_seeds(cell, 4, seeds=[0, 1], num_hiddens=3, max_steps=4, every=2, num_val=8,
                                   num_test=8)
        again = train_adding_seeds(cell, 4, seeds=[0, 1], num_hiddens=3, max_steps=4, every=2, num_val=8,
                                   num_test=8)
        assert first.test_mse.shape == (2,) and first.val_mse.shape == (2, 2) and first.grad_norm.shape == (4, 2)
        assert list(first.steps) == [2, 4]
        np.testing.assert_array_equal(first.test_mse, again.test_mse)
        assert first.test_mse[0] != first.test_mse[1]  # each seed its own weights and data
    with pytest.raises(ValueError, match="cell must be"):
        train_adding_seeds("gru", 4, seeds=[0])
