import time
import numpy as np

def grid_coordinates(rows, cols, hexagonal=False):
    r, c = np.divmod(np.arange(rows * cols), cols)
    pos = np.column_stack([r, c]).astype(float)
    if hexagonal:
        pos[:, 1] += 0.5 * (r % 2)
        pos[:, 0] *= np.sqrt(3) / 2
    return pos

def sq_dists(A, B):
    return np.maximum((A * A).sum(1)[:, None] - 2 * A @ B.T + (B * B).sum(1)[None, :], 0)

def bmus(X, W):
    return np.argmin(-2 * X @ W.T + (W * W).sum(1), axis=1)

def decay(t, T, start, end):
    return start * (end / start) ** (t / T)

def online_som(X, W0, coords, num_epochs, lr=(0.5, 0.01), sigma=(3.0, 0.5), seed=0):
    rng = np.random.default_rng(seed)
    W = W0.copy()
    N = len(X)
    T = num_epochs * N
    ww = (W * W).sum(1)
    t = 0
    for epoch in range(num_epochs):
        for n in rng.permutation(N):
            x = X[n]
            k = np.argmin(((W - x) ** 2).sum(1))
            s = decay(t, T, *sigma)
            h = np.exp(-((coords - coords[k]) ** 2).sum(1) / (2 * s * s))
            W += decay(t, T, *lr) * h[:, None] * (x - W)
            t += 1
    return W

def batch_som(X, W0, coords, num_epochs, sigma=(3.0, 0.5)):
    W = W0.copy()
    K = len(W)
    G2 = sq_dists(coords, coords)
    for epoch in range(num_epochs):
        s = decay(epoch, max(num_epochs - 1, 1), *sigma)
        b = bmus(X, W)
        S = np.zeros_like(W); np.add.at(S, b, X)
        counts = np.bincount(b, minlength=K).astype(float)
        G = np.exp(-G2 / (2 * s * s))
        W = (G @ S) / (G @ counts)[:, None]
    return W

def qe(X, W):
    return np.sqrt(sq_dists(X, W).min(1)).mean()

def te(X, W, coords):
    D = sq_dists(X, W)
    two = np.argpartition(D, 1, axis=1)[:, :2]
    d = np.linalg.norm(coords[two[:, 0]] - coords[two[:, 1]], axis=1)
    return (d > 1.5).mean()

def pca_init(X, rows, cols):
    mean = X.mean(0)
    U, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    scale = S[:2] / np.sqrt(len(X))
    a = np.linspace(-1, 1, rows)[:, None] * scale[0] * 2
    b = np.linspace(-1, 1, cols)[None, :] * scale[1] * 2
    return (mean + a[..., None] * Vt[0] + b[..., None] * Vt[1]).reshape(rows * cols, -1)
