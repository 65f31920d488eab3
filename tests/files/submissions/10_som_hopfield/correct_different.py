# A correct solution written differently: the (N, K) neighbourhood matrix instead of per-unit sums, a
# recursive sigma schedule, Storkey's rule written with explicit local fields, a pattern-by-pattern check.
# expect: full
# %% answer id=batch_som_step
def batch_som_step(X, W, coords, sigma):
    h = neighbourhood(coords, best_matching_units(X, W), sigma)  # (N, K)
    total = h.sum(axis=0)
    out = np.array(W, dtype=np.float64, copy=True)
    for k in np.flatnonzero(total > 0):
        out[k] = h[:, k] @ X / total[k]
    return out

# %% answer id=train_batch_som
def train_batch_som(X, W0, coords, num_epochs, sigma=(4.0, 0.5)):
    s0, s1 = sigma
    ratio = (s1 / s0) ** (1.0 / (num_epochs - 1)) if num_epochs > 1 else 1.0
    weights, radius = W0, s0
    for _ in range(num_epochs):
        weights = batch_som_step(X, weights, coords, radius)
        radius *= ratio
    return weights

# %% answer id=storkey_weights
def storkey_weights(patterns):
    P, N = patterns.shape
    W = np.zeros((N, N))
    for xi in patterns:
        local = np.empty((N, N))
        for i in range(N):
            local[i] = W[i] @ xi - W[i] * xi  # local[i, j]: field at i without units i and j
        W = W + (np.outer(xi, xi) - np.outer(xi, np.ones(N)) * local.T - local * xi) / N
        W[np.arange(N), np.arange(N)] = 0.0
    return W

# %% answer id=stable_fraction
def stable_fraction(weights_fn, N, loads, num_sets, rng):
    result = np.zeros(len(loads))
    for l, load in enumerate(loads):
        P = int(round(load * N))
        kept = 0
        for _ in range(num_sets):
            patterns = 2.0 * rng.integers(0, 2, size=(P, N)) - 1.0
            W = weights_fn(patterns)
            for p in patterns:
                h = W @ p
                kept += bool(np.all(np.where(h > 0, 1.0, -1.0) == p))
        result[l] = kept / (num_sets * P)
    return result
