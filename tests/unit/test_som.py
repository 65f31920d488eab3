"""The reference solution of assignment 09_som_hopfield against MiniSom, an independent SOM library, as an oracle.

The answer cells of ``source/09_som_hopfield/09_som_hopfield.ipynb`` are executed into a namespace and compared with
MiniSom wherever both define the same thing: the best-matching unit, the Gaussian neighbourhood, one online update,
the training loop (sequential order, constant radius, a custom learning-rate decay), the quantization error,
the topographic error (square grid with diagonal neighbours; hexagonal grid) and the U-matrix (MiniSom's
``distance_map(scaling="mean")`` divided by its maximum).

Layouts: our unit k = r * cols + c sits at (row r, column c). MiniSom(x=rows, y=cols) stores the same unit at
``weights[r, c]``, so square maps need only a reshape. MiniSom's hexagonal grid offsets along its first index,
ours along the column, so a hexagonal map of ours is MiniSom(x=cols, y=rows) with the weights transposed; the
two layouts have the same adjacency when the number of rows is odd.
"""

from pathlib import Path

import nbformat
import numpy as np
import pytest

minisom = pytest.importorskip("minisom")
MiniSom = minisom.MiniSom

SOURCE = Path(__file__).resolve().parents[2] / "source" / "09_som_hopfield" / "09_som_hopfield.ipynb"


@pytest.fixture(scope="module")
def ref():
    """The setup cell's helpers and every answer cell of the reference solution, executed."""
    notebook = nbformat.read(SOURCE, as_version=4)
    namespace = {"np": np, "ADJACENT": 1.5}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if meta.get("grade_id") == "setup":
            setup = "\n".join(line for line in cell.source.splitlines()
                              if not line.startswith(("from autograder", "rng = ")))
            exec(setup, namespace)
        elif meta.get("solution"):
            exec(cell.source, namespace)
    return namespace


def square_minisom(W, rows, cols, sigma=1.0, learning_rate=0.5, **kwargs):
    som = MiniSom(rows, cols, W.shape[1], sigma=sigma, learning_rate=learning_rate, random_seed=0, **kwargs)
    som._weights = W.reshape(rows, cols, -1).copy()
    return som


def test_best_matching_units(ref):
    g = np.random.default_rng(1)
    rows, cols, D = 4, 6, 5
    W, X = g.normal(size=(rows * cols, D)), g.normal(size=(40, D))
    som = square_minisom(W, rows, cols)
    expected = [np.ravel_multi_index(som.winner(x), (rows, cols)) for x in X]
    np.testing.assert_array_equal(ref["best_matching_units"](X, W), expected)


def test_neighbourhood(ref):
    rows, cols = 5, 7
    coords = ref["grid_coordinates"](rows, cols)
    som = square_minisom(np.zeros((rows * cols, 2)), rows, cols)
    for winner in (0, 12, rows * cols - 1):
        for sigma in (0.5, 1.3, 3.0):
            expected = som._gaussian(np.unravel_index(winner, (rows, cols)), sigma).ravel()
            np.testing.assert_allclose(ref["neighbourhood"](coords, np.array([winner]), sigma)[0], expected,
                                       rtol=1e-12)


def test_som_step(ref):
    g = np.random.default_rng(2)
    rows, cols, D = 3, 5, 4
    W, x = g.normal(size=(rows * cols, D)), g.normal(size=D)
    coords = ref["grid_coordinates"](rows, cols)
    som = square_minisom(W, rows, cols, sigma=1.7, learning_rate=0.3)
    som.update(x, som.winner(x), 0, 1)  # t = 0: MiniSom's decays return the start values
    np.testing.assert_allclose(ref["som_step"](W, x, coords, 0.3, 1.7), som.get_weights().reshape(-1, D),
                               rtol=1e-12)


def test_train_som(ref):
    """Sequential order, a constant radius of 1 and the same exponential learning-rate decay."""
    g = np.random.default_rng(3)
    rows, cols, D, N, num_epochs = 4, 3, 3, 25, 3
    X, W0 = g.uniform(size=(N, D)), g.uniform(size=(rows * cols, D))
    lr0, lr1 = 0.6, 0.05
    som = square_minisom(W0, rows, cols, sigma=1.0, learning_rate=lr0,
                         decay_function=lambda lr, t, T: lr * (lr1 / lr) ** (t / T),
                         sigma_decay_function="linear_decay_to_one")  # stays at 1 when it starts at 1
    som.train(X, num_epochs * N, random_order=False)
    ours = ref["train_som"](X, W0, ref["grid_coordinates"](rows, cols), num_epochs, lr=(lr0, lr1),
                            sigma=(1.0, 1.0))
    np.testing.assert_allclose(ours, som.get_weights().reshape(-1, D), rtol=1e-10)


def test_quantization_and_topographic_error_square(ref):
    g = np.random.default_rng(4)
    rows, cols, D = 6, 4, 3
    X = g.uniform(size=(300, D))
    W = ref["train_som"](X[:100], g.uniform(size=(rows * cols, D)), ref["grid_coordinates"](rows, cols), 2)
    som = square_minisom(W, rows, cols)
    assert ref["quantization_error"](X, W) == pytest.approx(som.quantization_error(X), rel=1e-10)
    te = ref["topographic_error"](X, W, ref["grid_coordinates"](rows, cols))
    assert te == pytest.approx(som.topographic_error(X), abs=1e-12)
    assert 0 < te < 1  # a case where the neighbour definition matters


def test_topographic_error_hexagonal(ref):
    g = np.random.default_rng(5)
    rows, cols, D = 5, 6, 3  # an odd number of rows: MiniSom's offset rows match ours
    X, W = g.uniform(size=(300, D)), g.uniform(size=(rows * cols, D))
    som = MiniSom(cols, rows, D, topology="hexagonal", random_seed=0)
    som._weights = W.reshape(rows, cols, D).transpose(1, 0, 2).copy()
    te = ref["topographic_error"](X, W, ref["hex_grid_coordinates"](rows, cols))
    assert te == pytest.approx(som.topographic_error(X), abs=1e-12)


def test_u_matrix_square(ref):
    g = np.random.default_rng(6)
    rows, cols, D = 5, 8, 4
    W = g.normal(size=(rows * cols, D))
    ours = ref["u_matrix"](W, ref["grid_coordinates"](rows, cols)).reshape(rows, cols)
    expected = square_minisom(W, rows, cols).distance_map(scaling="mean")
    np.testing.assert_allclose(ours / ours.max(), expected, rtol=1e-10)
