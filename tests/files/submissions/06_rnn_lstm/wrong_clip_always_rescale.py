# Rescales every unit to the limit, also those whose gradients were smaller: small gradients grow.
# expect: partial
# fails: test_clip_small test_clip_bias test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    clipped = []
    for W, G in zip(weights, grads):
        axes = tuple(range(1, W.ndim))
        w_norm = np.sqrt(np.sum(W ** 2, axis=axes, keepdims=True))
        g_norm = np.sqrt(np.sum(G ** 2, axis=axes, keepdims=True))
        max_norm = clipping * np.maximum(w_norm, eps)
        clipped.append(G * max_norm / np.where(g_norm > 0, g_norm, 1.0))
    return clipped
