# Takes the second-best unit without excluding the best one, so the BMU counts as its own second unit and
# the topographic error is always zero.
# expect: partial
# fails: test_topographic_error test_topographic_error_hidden
# %% answer id=topographic_error
def topographic_error(X, W, coords):
    d2 = (W * W).sum(axis=1) - 2.0 * X @ W.T
    best = d2.argmin(axis=1)
    second = np.argsort(d2, axis=1)[:, 0]
    gap = np.linalg.norm(coords[best] - coords[second], axis=1)
    return float((gap > ADJACENT).mean())
