# Clips by the global norm against the global norm of all weights (one factor for every unit of every
# parameter): the lecture's rule with a relative threshold, not a unit-wise one.
# expect: partial
# fails: test_clip test_clip_bias test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    w_norm = np.sqrt(sum(np.sum(W ** 2) for W in weights))
    g_norm = np.sqrt(sum(np.sum(G ** 2) for G in grads))
    limit = clipping * max(w_norm, eps)
    factor = limit / g_norm if g_norm > limit else 1.0
    return [G * factor for G in grads]
