# A correct solution written differently: broadcasting instead of the matrix-product trick, explicit loops
# over epochs and units, argsort for the two best units, np.indices for the grid.
# expect: full
# %% answer id=grid_coordinates
def grid_coordinates(rows, cols):
    r, c = np.indices((rows, cols))
    return np.stack([r.ravel(), c.ravel()], axis=1).astype(np.float64)

# %% answer id=best_matching_units
def best_matching_units(X, W):
    distances = np.linalg.norm(X[:, np.newaxis, :] - W[np.newaxis, :, :], axis=2)
    return distances.argmin(axis=1)

# %% answer id=neighbourhood
def neighbourhood(coords, bmus, sigma):
    centres = coords[np.asarray(bmus)]                       # (N, 2)
    sq = np.sum((centres[:, None] - coords[None]) ** 2, axis=2)
    return np.exp(-0.5 * sq / sigma / sigma)

# %% answer id=som_step
def som_step(W, x, coords, lr, sigma):
    winner = int(np.argmin(np.linalg.norm(W - x, axis=1)))
    pull = np.exp(-np.sum((coords - coords[winner]) ** 2, axis=1) / (2 * sigma ** 2))
    updated = W.copy()
    updated += (lr * pull)[:, None] * (x[None, :] - updated)
    return updated

# %% answer id=train_som
def train_som(X, W0, coords, num_epochs, lr=(0.5, 0.01), sigma=(2.0, 0.5)):
    weights = np.array(W0, dtype=float, copy=True)
    total = num_epochs * X.shape[0]
    step = 0
    for _ in range(num_epochs):
        for x in X:
            progress = step / total
            weights = som_step(weights, x, coords, lr[0] * (lr[1] / lr[0]) ** progress,
                               sigma[0] * (sigma[1] / sigma[0]) ** progress)
            step += 1
    return weights

# %% answer id=u_matrix
def u_matrix(W, coords):
    values = np.zeros(len(W))
    for k in range(len(W)):
        grid_dist = np.linalg.norm(coords - coords[k], axis=1)
        others = [j for j in range(len(W)) if j != k and grid_dist[j] <= ADJACENT]
        values[k] = np.mean([np.linalg.norm(W[k] - W[j]) for j in others])
    return values

# %% answer id=quantization_error
def quantization_error(X, W):
    nearest = W[best_matching_units(X, W)]
    return float(np.linalg.norm(X - nearest, axis=1).mean())

# %% answer id=topographic_error
def topographic_error(X, W, coords):
    distances = np.linalg.norm(X[:, None, :] - W[None, :, :], axis=2)
    order = np.argsort(distances, axis=1)
    first, second = coords[order[:, 0]], coords[order[:, 1]]
    return float(np.mean(np.linalg.norm(first - second, axis=1) > ADJACENT))
