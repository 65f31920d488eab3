# Scales the gradient arrays in place and returns them, so the caller's gradients change.
# expect: partial
# fails: test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    for W, G in zip(weights, grads):
        axes = tuple(range(1, W.ndim))
        w_norm = np.sqrt(np.sum(W ** 2, axis=axes, keepdims=True))
        g_norm = np.sqrt(np.sum(G ** 2, axis=axes, keepdims=True))
        max_norm = clipping * np.maximum(w_norm, eps)
        G *= max_norm / np.maximum(g_norm, max_norm)
    return grads
