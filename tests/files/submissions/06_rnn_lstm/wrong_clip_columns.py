# Takes the norms over axis 0, the columns: a unit's weights in the (in, out) layout of some other
# libraries, not PyTorch's (out, in). A bias (1-D) is still handled entry by entry.
# expect: partial
# fails: test_clip test_clip_small test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    clipped = []
    for W, G in zip(weights, grads):
        axes = tuple(range(W.ndim - 1)) if W.ndim > 1 else ()
        w_norm = np.sqrt(np.sum(W ** 2, axis=axes, keepdims=True))
        g_norm = np.sqrt(np.sum(G ** 2, axis=axes, keepdims=True))
        max_norm = clipping * np.maximum(w_norm, eps)
        clipped.append(G * (max_norm / np.maximum(g_norm, max_norm)))
    return clipped
