# Forgets the floor eps: a unit whose weights are all zero gets the limit 0, and its gradient is
# clipped to zero, so a bias that starts at 0 never learns.
# expect: partial
# fails: test_clip test_clip_bias test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    clipped = []
    for W, G in zip(weights, grads):
        axes = tuple(range(1, W.ndim))
        w_norm = np.sqrt(np.sum(W ** 2, axis=axes, keepdims=True))
        g_norm = np.sqrt(np.sum(G ** 2, axis=axes, keepdims=True))
        max_norm = clipping * w_norm
        clipped.append(np.where(g_norm > max_norm, G * max_norm / np.where(g_norm > 0, g_norm, 1.0), G))
    return clipped
