# %% [markdown] locked id=intro
# # Assignment 08 — Self-organizing maps
#
# You will build a self-organizing map (SOM) from its parts, in numpy: the grid, the best-matching unit, the
# Gaussian neighbourhood, the online update step and the training loop, and then the three tools to judge a
# map: the U-matrix, the quantization error and the topographic error. At the end you train a map on the
# handwritten digits and look at it.
#
# **Conventions** (the same as in the lecture notebook `notebooks/08_som.ipynb`):
#
# * data `X` has shape `(N, D)`, one sample per row;
# * a map with `rows × cols` units has `K = rows * cols` units, **numbered row by row**: unit `k` sits in row
#   `k // cols` and column `k % cols`. Its weights are `W` of shape `(K, D)`;
# * `coords` of shape `(K, 2)` holds each unit's position on the grid (row first, then column). Square grids
#   come from your `grid_coordinates`; hexagonal grids from `hex_grid_coordinates` below. All your functions
#   that need the grid take `coords`, so they work on both;
# * two units are **adjacent** when their grid distance is at most `1.5`: the 8 surrounding units on a square
#   grid (diagonals included) and the 6 surrounding units on a hexagonal grid.
#
# Vectorise: no Python loop over samples except in the online training loop itself. Run **Validate** before you
# submit. Hidden tests call your functions on other, random grids and data.

# %% locked id=setup
import matplotlib.pyplot as plt
import numpy as np

import dlcourse
import dlcourse.data
from autograder.checks import *

rng = dlcourse.setup(0)

ADJACENT = 1.5  # grid distance up to which two units count as adjacent


def hex_grid_coordinates(rows, cols):
    """Grid positions (rows * cols, 2) of a hexagonal map, units numbered row by row: odd rows are shifted
    right by 1/2 and rows are sqrt(3)/2 apart, so every inner unit has 6 neighbours at distance 1."""
    row, col = np.divmod(np.arange(rows * cols), cols)
    return np.column_stack([row * np.sqrt(3) / 2, col + 0.5 * (row % 2)])


# %% [markdown] locked id=md_grid
# ## 1. The grid (2 points)
#
# Write `grid_coordinates(rows, cols)`: the `(row, column)` position of every unit of a square grid, in unit
# order. Check yourself on a grid that is *not* square — a map whose rows and columns are swapped looks fine
# on a `5 × 5` grid and is wrong on every other.

# %% answer id=grid_coordinates
def grid_coordinates(rows, cols):
    """Grid position of every unit of a square rows x cols map.

    rows, cols: positive ints.
    Returns: float array of shape (rows * cols, 2); row k is (k // cols, k % cols), the row and the column
    of unit k (units are numbered row by row).
    """
    ### BEGIN SOLUTION
    row, col = np.divmod(np.arange(rows * cols), cols)
    return np.column_stack([row, col]).astype(float)
    ### END SOLUTION


# %% test id=test_grid points=1
"""grid_coordinates on a 2 x 3 grid."""
assert_equal(grid_coordinates(2, 3), np.array([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]),
             what="grid_coordinates(2, 3)")

# %% test id=test_grid_hidden points=1
"""grid_coordinates on random grids, most of them not square."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(801)
for rows, cols in g.integers(1, 9, size=(4, 2)):
    assert_equal(grid_coordinates(int(rows), int(cols)), REFERENCE, what=f"grid_coordinates({rows}, {cols})")
### END HIDDEN TESTS

# %% [markdown] locked id=md_bmu
# ## 2. Best-matching units (2 points)
#
# The best-matching unit (BMU) of a sample $\mathbf{x}$ is the unit whose weight vector is closest:
# $c(\mathbf{x}) = \arg\min_k \lVert \mathbf{x} - \mathbf{w}_k \rVert$. Compute it for all samples at once.
# Hint: $\lVert \mathbf{x} - \mathbf{w} \rVert^2 = \lVert \mathbf{x} \rVert^2 - 2\mathbf{x}^\top\mathbf{w} +
# \lVert \mathbf{w} \rVert^2$ turns the $N \times K$ distances into one matrix product.

# %% answer id=best_matching_units
def best_matching_units(X, W):
    """Index of the closest weight vector (Euclidean distance) for every sample.

    X: array of shape (N, D), the samples.
    W: array of shape (K, D), the weight vectors.
    Returns: int array of shape (N,); entry n is the k that minimises ||X[n] - W[k]||.
    """
    ### BEGIN SOLUTION
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T
    return np.argmin(scores, axis=1)
    ### END SOLUTION


# %% test id=test_bmu points=1
"""best_matching_units on four 2-D units."""
W_corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
assert_equal(best_matching_units(np.array([[0.9, 0.2], [0.1, 0.8], [0.4, 0.1], [0.7, 0.6]]), W_corners),
             np.array([1, 2, 0, 3]), what="best_matching_units(X, W_corners)")

# %% test id=test_bmu_hidden points=1
"""best_matching_units on random data of random sizes."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(802)
for N, K, D in g.integers(1, 40, size=(3, 3)):
    X_h, W_h = g.normal(size=(N, D)), g.normal(size=(K, D))
    assert_equal(best_matching_units(X_h, W_h), REFERENCE, what=f"best_matching_units for N={N}, K={K}, D={D}")
### END HIDDEN TESTS

# %% [markdown] locked id=md_neighbourhood
# ## 3. The Gaussian neighbourhood (2 points)
#
# When unit $c$ wins, unit $k$ learns with weight
# $h_{ck} = \exp\!\big(-\lVert \mathbf{r}_k - \mathbf{r}_c \rVert^2 / (2\sigma^2)\big)$, where $\mathbf{r}_k$ is
# the **grid position** of unit $k$ (a row of `coords`), not its weight vector.

# %% answer id=neighbourhood
def neighbourhood(coords, bmus, sigma):
    """Gaussian neighbourhood weights on the grid.

    coords: array of shape (K, 2), grid position of every unit.
    bmus: int array of shape (N,), a winning unit per sample.
    sigma: float > 0, the radius.
    Returns: array of shape (N, K); entry [n, k] = exp(-||coords[k] - coords[bmus[n]]||^2 / (2 sigma^2)).
    """
    ### BEGIN SOLUTION
    d2 = ((coords[None, :, :] - coords[bmus][:, None, :]) ** 2).sum(axis=-1)
    return np.exp(-d2 / (2.0 * sigma ** 2))
    ### END SOLUTION


# %% test id=test_neighbourhood points=1
"""neighbourhood on a 2 x 3 grid with winners 0 and 4."""
coords_23 = np.array([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]], dtype=float)
assert_close(neighbourhood(coords_23, np.array([0, 4]), 1.0),
             np.exp(-np.array([[0, 1, 4, 1, 2, 5], [2, 1, 2, 1, 0, 1]]) / 2.0),
             what="neighbourhood(coords_23, [0, 4], sigma=1)")

# %% test id=test_neighbourhood_hidden points=1
"""neighbourhood on random hexagonal grids with random winners and radii."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(803)
for _ in range(3):
    rows, cols = g.integers(2, 8, size=2)
    coords_h = hex_grid_coordinates(rows, cols)
    bmus_h = g.integers(0, rows * cols, size=g.integers(1, 10))
    sigma_h = float(g.uniform(0.3, 3.0))
    assert_close(neighbourhood(coords_h, bmus_h, sigma_h), REFERENCE,
                 what=f"neighbourhood on a {rows} x {cols} hexagonal grid, sigma={sigma_h:.2f}")
### END HIDDEN TESTS

# %% [markdown] locked id=md_step
# ## 4. One online update (2 points)
#
# For one sample $\mathbf{x}$ with winner $c$, every unit moves towards the sample:
# $\mathbf{w}_k \leftarrow \mathbf{w}_k + \eta\, h_{ck}(\sigma)\,(\mathbf{x} - \mathbf{w}_k)$. Use your two
# functions above, and return a new array (leave `W` as it was).

# %% answer id=som_step
def som_step(W, x, coords, lr, sigma):
    """One online SOM update with a single sample.

    W: array of shape (K, D), the weights before the update (not modified).
    x: array of shape (D,), the sample.
    coords: array of shape (K, 2), grid position of every unit.
    lr: float, the learning rate eta.  sigma: float, the neighbourhood radius.
    Returns: array of shape (K, D), the weights after the update.
    """
    ### BEGIN SOLUTION
    c = best_matching_units(x[None, :], W)
    h = neighbourhood(coords, c, sigma)[0]
    return W + lr * h[:, None] * (x - W)
    ### END SOLUTION


# %% test id=test_step points=1
"""som_step on a 1 x 3 map with 1-D weights."""
W_line = np.array([[0.0], [2.0], [3.0]])
coords_line = np.array([[0, 0], [0, 1], [0, 2]], dtype=float)
assert_close(som_step(W_line, np.array([2.8]), coords_line, lr=0.5, sigma=1.0),
             np.array([[0.18946940], [2.24261226], [2.9]]), rtol=1e-6,
             what="som_step(W_line, x=[2.8], coords_line, lr=0.5, sigma=1)")
assert_equal(W_line, np.array([[0.0], [2.0], [3.0]]), what="W_line after som_step (must not change)")

# %% test id=test_step_hidden points=1
"""som_step on random square and hexagonal maps."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(804)
for _ in range(3):
    rows, cols, D = g.integers(2, 7, size=3)
    coords_h = grid_coordinates(rows, cols) if g.random() < 0.5 else hex_grid_coordinates(rows, cols)
    W_h, x_h = g.normal(size=(rows * cols, D)), g.normal(size=D)
    lr_h, sigma_h = float(g.uniform(0.05, 0.9)), float(g.uniform(0.3, 3.0))
    assert_close(som_step(W_h, x_h, coords_h, lr_h, sigma_h), REFERENCE,
                 what=f"som_step on a {rows} x {cols} map, D={D}, lr={lr_h:.2f}, sigma={sigma_h:.2f}")
### END HIDDEN TESTS

# %% [markdown] locked id=md_train
# ## 5. The training loop (3 points)
#
# Train online: visit the rows of `X` **in the order given**, `num_epochs` times (shuffle `X` before calling if
# you want a random order). That makes $T = \text{num\_epochs} \cdot N$ updates, numbered $t = 0, \dots, T-1$.
# Both the learning rate and the radius decay exponentially from a start to an end value:
#
# $$\eta_t = \eta_0 \left(\frac{\eta_1}{\eta_0}\right)^{t/T}, \qquad
# \sigma_t = \sigma_0 \left(\frac{\sigma_1}{\sigma_0}\right)^{t/T}.$$
#
# Without the decay the map never settles: each sample keeps dragging its winner the same fraction of the way.

# %% answer id=train_som
def train_som(X, W0, coords, num_epochs, lr=(0.5, 0.01), sigma=(2.0, 0.5)):
    """Online SOM training with exponentially decaying learning rate and radius.

    X: array of shape (N, D), visited row by row, num_epochs times (T = num_epochs * N updates).
    W0: array of shape (K, D), the initial weights (not modified).
    coords: array of shape (K, 2), grid position of every unit.
    num_epochs: int >= 1.
    lr: (eta_0, eta_1); update t = 0 .. T-1 uses eta_t = eta_0 * (eta_1 / eta_0) ** (t / T).
    sigma: (sigma_0, sigma_1); update t uses sigma_t = sigma_0 * (sigma_1 / sigma_0) ** (t / T).
    Returns: array of shape (K, D), the trained weights.
    """
    ### BEGIN SOLUTION
    W = W0.copy()
    N = len(X)
    T = num_epochs * N
    for t in range(T):
        frac = t / T
        eta = lr[0] * (lr[1] / lr[0]) ** frac
        radius = sigma[0] * (sigma[1] / sigma[0]) ** frac
        W = som_step(W, X[t % N], coords, eta, radius)
    return W
    ### END SOLUTION


# %% test id=test_train points=1
"""train_som: two epochs on three 1-D points and a 1 x 3 map."""
X_three = np.array([[0.0], [1.0], [4.0]])
assert_close(train_som(X_three, np.array([[2.0], [2.5], [3.0]]), coords_line, num_epochs=2, lr=(0.5, 0.1),
                       sigma=(1.0, 0.5)),
             np.array([[0.83895342], [1.77682057], [3.21297356]]), rtol=1e-6,
             what="train_som(X_three, W0=[[2], [2.5], [3]], coords_line, 2 epochs, lr=(0.5, 0.1), sigma=(1, 0.5))")

# %% test id=test_train_hidden points=2
"""train_som on random data and random square and hexagonal maps."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(805)
for _ in range(2):
    rows, cols, D, N = g.integers(2, 6), g.integers(2, 6), g.integers(1, 5), g.integers(5, 30)
    coords_h = grid_coordinates(rows, cols) if g.random() < 0.5 else hex_grid_coordinates(rows, cols)
    X_h, W0_h = g.uniform(size=(N, D)), g.uniform(size=(rows * cols, D))
    assert_close(train_som(X_h, W0_h, coords_h, 3, lr=(0.6, 0.05), sigma=(2.5, 0.4)), REFERENCE, rtol=1e-6,
                 what=f"train_som on a {rows} x {cols} map, N={N}, D={D}, 3 epochs")
### END HIDDEN TESTS

# %% [markdown] locked id=md_umatrix
# ## 6. The U-matrix (2 points)
#
# The unified distance matrix gives every unit the **mean** distance from its weight vector to the weight
# vectors of its adjacent units (grid distance ≤ `ADJACENT` = 1.5, the unit itself excluded):
# $U_k = \frac{1}{|\mathcal{N}(k)|}\sum_{j \in \mathcal{N}(k)} \lVert \mathbf{w}_k - \mathbf{w}_j \rVert$.
# Border units have fewer neighbours, so they average over fewer.

# %% answer id=u_matrix
def u_matrix(W, coords):
    """Mean distance from each unit's weight vector to those of its adjacent units.

    W: array of shape (K, D), the weights.
    coords: array of shape (K, 2), grid position of every unit (square or hexagonal grid).
    Returns: array of shape (K,); entry k is the mean of ||W[k] - W[j]|| over all units j != k whose grid
    distance to k is at most ADJACENT.
    """
    ### BEGIN SOLUTION
    grid_d2 = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=-1)
    near = (grid_d2 <= ADJACENT ** 2) & (grid_d2 > 0)
    dist = np.sqrt(((W[:, None, :] - W[None, :, :]) ** 2).sum(axis=-1))
    return (dist * near).sum(axis=1) / near.sum(axis=1)
    ### END SOLUTION


# %% test id=test_u_matrix points=1
"""u_matrix of a 2 x 2 map with 1-D weights 0, 1, 2, 3."""
coords_22 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
assert_close(u_matrix(np.array([[0.0], [1.0], [2.0], [3.0]]), coords_22), np.array([2, 4 / 3, 4 / 3, 2]),
             what="u_matrix(W=[[0], [1], [2], [3]], coords_22)")

# %% test id=test_u_matrix_hidden points=1
"""u_matrix on a random square map and a random hexagonal map."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(806)
for hexagonal in (False, True):
    rows, cols, D = g.integers(3, 8), g.integers(3, 8), g.integers(1, 6)
    coords_h = hex_grid_coordinates(rows, cols) if hexagonal else grid_coordinates(rows, cols)
    W_h = g.normal(size=(rows * cols, D))
    assert_close(u_matrix(W_h, coords_h), REFERENCE,
                 what=f"u_matrix on a {rows} x {cols} {'hexagonal' if hexagonal else 'square'} map, D={D}")
### END HIDDEN TESTS

# %% [markdown] locked id=md_errors
# ## 7. Quantization and topographic error (4 points)
#
# * **Quantization error**: the mean distance from each sample to its BMU's weight vector,
#   $\text{QE} = \frac{1}{N}\sum_n \lVert \mathbf{x}_n - \mathbf{w}_{c(\mathbf{x}_n)} \rVert$ (the distance, not its
#   square).
# * **Topographic error**: the fraction of samples whose best and **second-best** matching units (two
#   different units) are not adjacent on the grid (grid distance > `ADJACENT`).

# %% answer id=quantization_error
def quantization_error(X, W):
    """Mean Euclidean distance from each sample to the closest weight vector.

    X: array of shape (N, D).  W: array of shape (K, D).
    Returns: float.
    """
    ### BEGIN SOLUTION
    d2 = (X * X).sum(axis=1)[:, None] - 2.0 * X @ W.T + (W * W).sum(axis=1)[None, :]
    return float(np.sqrt(np.maximum(d2.min(axis=1), 0.0)).mean())
    ### END SOLUTION


# %% answer id=topographic_error
def topographic_error(X, W, coords):
    """Fraction of samples whose best and second-best units are not adjacent on the grid.

    X: array of shape (N, D).  W: array of shape (K, D), K >= 2.
    coords: array of shape (K, 2), grid position of every unit.
    Returns: float in [0, 1].
    """
    ### BEGIN SOLUTION
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T
    two_best = np.argpartition(scores, 1, axis=1)[:, :2]
    gap = coords[two_best[:, 0]] - coords[two_best[:, 1]]
    return float(((gap ** 2).sum(axis=1) > ADJACENT ** 2).mean())
    ### END SOLUTION


# %% test id=test_quantization_error points=1
"""quantization_error on four 1-D samples."""
X_four = np.array([[1.1], [0.3], [4.0], [0.95]])
W_four = np.array([[0.0], [1.0], [5.0], [1.3]])
assert_close(quantization_error(X_four, W_four), (0.1 + 0.3 + 1.0 + 0.05) / 4, what="quantization_error(X_four, W_four)")

# %% test id=test_quantization_error_hidden points=1
"""quantization_error on random data."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(807)
X_h, W_h = g.normal(size=(50, 6)), g.normal(size=(12, 6))
assert_close(quantization_error(X_h, W_h), REFERENCE, what="quantization_error for N=50, K=12, D=6")
### END HIDDEN TESTS

# %% test id=test_topographic_error points=1
"""topographic_error on a 1 x 4 map where half the samples have non-adjacent best units."""
coords_14 = np.array([[0, 0], [0, 1], [0, 2], [0, 3]], dtype=float)
assert_close(topographic_error(X_four, W_four, coords_14), 0.5, what="topographic_error(X_four, W_four, coords_14)")

# %% test id=test_topographic_error_hidden points=1
"""topographic_error on a random square map and a random hexagonal map."""
### BEGIN HIDDEN TESTS
g = np.random.default_rng(808)
for hexagonal in (False, True):
    rows, cols = g.integers(3, 8, size=2)
    coords_h = hex_grid_coordinates(rows, cols) if hexagonal else grid_coordinates(rows, cols)
    X_h, W_h = g.normal(size=(80, 3)), g.normal(size=(rows * cols, 3))
    assert_close(topographic_error(X_h, W_h, coords_h), REFERENCE,
                 what=f"topographic_error on a {rows} x {cols} {'hexagonal' if hexagonal else 'square'} map")
### END HIDDEN TESTS

# %% [markdown] locked id=md_digits
# ## 8. Digits on your map (2 points)
#
# Now everything together: a $10 \times 12$ map (10 rows, 12 columns) trained online on the digit images, in a
# shuffled order, starting from 120 random training images. (While the grader runs, training is shortened.)

# %% locked id=train_digits
X_train, X_test, y_train, y_test = dlcourse.data.digits(dtype=np.float64)
rows, cols = 10, 12
coords_digits = grid_coordinates(rows, cols)
W0_digits = X_train[rng.choice(len(X_train), rows * cols, replace=False)]
num_epochs = 2 if dlcourse.grading() else 4
X_shuffled = X_train[rng.permutation(len(X_train))]
W_digits = train_som(X_shuffled, W0_digits, coords_digits, num_epochs, lr=(0.5, 0.02), sigma=(3.0, 0.6))
qe_digits = quantization_error(X_train, W_digits)
te_digits = topographic_error(X_train, W_digits, coords_digits)
print(f"{num_epochs} epochs: quantization error {qe_digits:.3f}, topographic error {te_digits:.3f}")

# %% test id=test_digits points=2
"""The trained digit map: quantization error at most 1.4, topographic error at most 0.12."""
assert_at_most(qe_digits, 1.4, what="quantization error of the digit map")
assert_at_most(te_digits, 0.12, what="topographic error of the digit map")

# %% locked id=plot_digits
winners = best_matching_units(X_train, W_digits)
fig, ax = plt.subplots(figsize=(6, 5))
ax.imshow(u_matrix(W_digits, coords_digits).reshape(rows, cols), cmap="bone_r")
for k in range(rows * cols):
    won = y_train[winners == k]
    if len(won):
        ax.text(k % cols, k // cols, str(np.bincount(won).argmax()), ha="center", va="center",
                color=plt.cm.tab10(np.bincount(won).argmax()), fontweight="bold")
ax.set_title("your digit map: U-matrix and majority labels")
ax.axis("off")
plt.show()

# %% [markdown] locked id=md_tradeoff
# ## 9. The trade-off (2 points, graded by hand)
#
# The cell below trains three maps that differ only in the final radius $\sigma_1$ and prints their errors.

# %% locked id=tradeoff
for sigma_end in (0.4, 1.0, 2.5):
    W_s = train_som(X_shuffled, W0_digits, coords_digits, 1 if dlcourse.grading() else 2, lr=(0.5, 0.02),
                    sigma=(3.0, sigma_end))
    print(f"sigma_1 = {sigma_end}: QE = {quantization_error(X_train, W_s):.3f}, "
          f"TE = {topographic_error(X_train, W_s, coords_digits):.3f}")

# %% [markdown] manual id=explain_tradeoff points=2
# Explain in two or three sentences why the quantization error rises and the topographic error falls as
# $\sigma_1$ grows. Which map would you choose to *visualise* the digits, and which as a *codebook* that
# replaces each image by its unit's weight vector?
#
# YOUR ANSWER HERE
