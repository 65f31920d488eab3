"""The SOM helpers of ``dlcourse.som`` (derived in lecture 10, used by assignment 10) against MiniSom, an
independent SOM library, as an oracle: the best-matching unit, the Gaussian neighbourhood, the online training
loop (sequential order is not MiniSom's, so one update is compared), the quantization error, the topographic
error (square grid with diagonal neighbours; hexagonal grid) and the U-matrix (MiniSom's
``distance_map(scaling="mean")`` divided by its maximum).

Layouts: our unit k = r * cols + c sits at (row r, column c). MiniSom(x=rows, y=cols) stores the same unit at
``weights[r, c]``, so square maps need only a reshape. MiniSom's hexagonal grid offsets along its first index,
ours along the column, so a hexagonal map of ours is MiniSom(x=cols, y=rows) with the weights transposed; the
two layouts have the same adjacency when the number of rows is odd.
"""

import numpy as np
import pytest

from dlcourse import som as ref

minisom = pytest.importorskip("minisom")
MiniSom = minisom.MiniSom


def square_minisom(W, rows, cols, sigma=1.0, learning_rate=0.5, **kwargs):
    som = MiniSom(rows, cols, W.shape[1], sigma=sigma, learning_rate=learning_rate, random_seed=0, **kwargs)
    som._weights = W.reshape(rows, cols, -1).copy()
    return som


def test_best_matching_units():
    g = np.random.default_rng(1)
    rows, cols, D = 4, 6, 5
    W, X = g.normal(size=(rows * cols, D)), g.normal(size=(40, D))
    som = square_minisom(W, rows, cols)
    expected = [np.ravel_multi_index(som.winner(x), (rows, cols)) for x in X]
    np.testing.assert_array_equal(ref.best_matching_units(X, W), expected)


def test_neighbourhood():
    rows, cols = 5, 7
    coords = ref.grid_coordinates(rows, cols)
    som = square_minisom(np.zeros((rows * cols, 2)), rows, cols)
    for winner in (0, 12, rows * cols - 1):
        for sigma in (0.5, 1.3, 3.0):
            expected = som._gaussian(np.unravel_index(winner, (rows, cols)), sigma).ravel()
            np.testing.assert_allclose(ref.neighbourhood(coords, np.array([winner]), sigma)[0], expected,
                                       rtol=1e-12)


def test_online_som_first_update():
    """One sample, sequential order: our online SOM's first update equals MiniSom's update at t = 0."""
    g = np.random.default_rng(2)
    rows, cols, D = 3, 5, 4
    W, x = g.normal(size=(rows * cols, D)), g.normal(size=(1, D))
    coords = ref.grid_coordinates(rows, cols)
    som = square_minisom(W, rows, cols, sigma=1.7, learning_rate=0.3)
    som.update(x[0], som.winner(x[0]), 0, 1)  # t = 0: MiniSom's decays return the start values
    ours, _ = ref.train_online(x, W, coords, 1, lr=(0.3, 0.01), sigma=(1.7, 0.5))
    np.testing.assert_allclose(ours, som.get_weights().reshape(-1, D), rtol=1e-12)


def test_minisom_train_matches_topographic_measures():
    """A map trained by our online SOM scores the same under our measures and MiniSom's."""
    g = np.random.default_rng(3)
    rows, cols, D = 4, 3, 3
    X = g.uniform(size=(60, D))
    W, _ = ref.train_online(X, g.uniform(size=(rows * cols, D)), ref.grid_coordinates(rows, cols), 3)
    som = square_minisom(W, rows, cols)
    assert ref.quantization_error(X, W) == pytest.approx(som.quantization_error(X), rel=1e-10)


def test_quantization_and_topographic_error_square():
    g = np.random.default_rng(4)
    rows, cols, D = 6, 4, 3
    X = g.uniform(size=(300, D))
    W, _ = ref.train_online(X[:100], g.uniform(size=(rows * cols, D)), ref.grid_coordinates(rows, cols), 2)
    som = square_minisom(W, rows, cols)
    assert ref.quantization_error(X, W) == pytest.approx(som.quantization_error(X), rel=1e-10)
    te = ref.topographic_error(X, W, ref.grid_coordinates(rows, cols))
    assert te == pytest.approx(som.topographic_error(X), abs=1e-12)
    assert 0 < te < 1  # a case where the neighbour definition matters


def test_topographic_error_hexagonal():
    g = np.random.default_rng(5)
    rows, cols, D = 5, 6, 3  # an odd number of rows: MiniSom's offset rows match ours
    X, W = g.uniform(size=(300, D)), g.uniform(size=(rows * cols, D))
    som = MiniSom(cols, rows, D, topology="hexagonal", random_seed=0)
    som._weights = W.reshape(rows, cols, D).transpose(1, 0, 2).copy()
    te = ref.topographic_error(X, W, ref.grid_coordinates(rows, cols, hexagonal=True))
    assert te == pytest.approx(som.topographic_error(X), abs=1e-12)


def test_u_matrix_square():
    g = np.random.default_rng(6)
    rows, cols, D = 5, 8, 4
    W = g.normal(size=(rows * cols, D))
    ours = ref.u_matrix(W, ref.grid_coordinates(rows, cols)).reshape(rows, cols)
    expected = square_minisom(W, rows, cols).distance_map(scaling="mean")
    np.testing.assert_allclose(ours / ours.max(), expected, rtol=1e-10)
