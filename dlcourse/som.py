"""Self-organizing map helpers derived in lecture 10 (sections 1 and 3): the grid, the best-matching unit,
the Gaussian neighbourhood, the online SOM and the map's measures (U-matrix, quantization and topographic
error). Assignment 09 builds the batch SOM on top of them.

Shapes: data ``X`` is ``(N, D)``; a ``rows x cols`` map has ``K = rows * cols`` units numbered row by row,
weights ``W`` of shape ``(K, D)`` and grid positions ``coords`` of shape ``(K, 2)`` (row, column).
"""

import numpy as np

ADJACENT = 1.5  # grid distance up to which two units are neighbours (8 on a square grid, 6 on a hexagonal)


def grid_coordinates(rows: int, cols: int, hexagonal: bool = False) -> np.ndarray:
    """Grid positions (K, 2) of a rows x cols map, units numbered row by row: (row, column) per unit.
    On a hexagonal grid odd rows shift right by 1/2 and rows are sqrt(3)/2 apart."""
    row, col = np.divmod(np.arange(rows * cols), cols)
    coords = np.column_stack([row, col]).astype(float)
    if hexagonal:
        coords[:, 1] += 0.5 * (row % 2)
        coords[:, 0] *= np.sqrt(3) / 2
    return coords


def grid_sq_distances(coords: np.ndarray) -> np.ndarray:
    """Squared grid distances (K, K) between all pairs of units."""
    diff = coords[:, None, :] - coords[None, :, :]
    return (diff ** 2).sum(-1)


def adjacency(coords: np.ndarray) -> np.ndarray:
    """Boolean (K, K): True where two different units are adjacent on the grid."""
    d2 = grid_sq_distances(coords)
    return (d2 <= ADJACENT ** 2) & (d2 > 0)


def best_matching_units(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Index (N,) of the closest weight vector (Euclidean) for every row of X (N, D); W is (K, D)."""
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T  # ||x - w||^2 minus the constant ||x||^2
    return scores.argmin(axis=1)


def neighbourhood(coords: np.ndarray, bmus: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian neighbourhood (N, K): h[n, k] = exp(-|r_k - r_bmu(n)|^2 / (2 sigma^2))."""
    d2 = ((coords[None, :, :] - coords[bmus][:, None, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2.0 * sigma ** 2))


def decay(t: float, T: float, start: float, end: float) -> float:
    """Exponential schedule: start at t = 0, end at t = T."""
    return start * (end / start) ** (t / T)


def train_online(X: np.ndarray, W0: np.ndarray, coords: np.ndarray, num_epochs: int, lr=(0.5, 0.01),
                 sigma=(3.0, 0.5), seed: int = 0, snapshots=()) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Online SOM: one sample at a time, in a new random order every epoch. Returns the weights (K, D)
    and a dict {step: weights} of copies taken before the listed steps (and at the end)."""
    order_rng = np.random.default_rng(seed)
    W = W0.copy()
    N = len(X)
    T = num_epochs * N
    taken = {}
    t = 0
    for _ in range(num_epochs):
        for n in order_rng.permutation(N):
            if t in snapshots:
                taken[t] = W.copy()
            x = X[n]
            c = np.argmin(((W - x) ** 2).sum(axis=1))  # winner of this one sample
            s = decay(t, T, *sigma)
            h = np.exp(-((coords - coords[c]) ** 2).sum(axis=1) / (2 * s * s))
            W += decay(t, T, *lr) * h[:, None] * (x - W)
            t += 1
    taken[T] = W.copy()
    return W, taken


def u_matrix(W: np.ndarray, coords: np.ndarray) -> np.ndarray:
    """Mean distance (K,) from each unit's weight vector to those of its adjacent units."""
    near = adjacency(coords)
    dist = np.sqrt(np.maximum(((W[:, None, :] - W[None, :, :]) ** 2).sum(-1), 0))
    return (dist * near).sum(axis=1) / near.sum(axis=1)


def quantization_error(X: np.ndarray, W: np.ndarray) -> float:
    """Mean Euclidean distance from each row of X (N, D) to its closest weight vector in W (K, D)."""
    d2 = (X * X).sum(1)[:, None] - 2.0 * X @ W.T + (W * W).sum(1)[None, :]
    return float(np.sqrt(np.maximum(d2.min(axis=1), 0)).mean())


def topographic_error(X: np.ndarray, W: np.ndarray, coords: np.ndarray, adjacent: float = ADJACENT) -> float:
    """Fraction of the rows of X whose best and second-best units are further apart on the grid than
    ``adjacent`` (1.5: the 8 surrounding units of a square grid count as neighbours; 1.0: only 4)."""
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T
    two_best = np.argpartition(scores, 1, axis=1)[:, :2]  # the two smallest, in either order
    gap = coords[two_best[:, 0]] - coords[two_best[:, 1]]
    return float(((gap ** 2).sum(axis=1) > adjacent ** 2).mean())
