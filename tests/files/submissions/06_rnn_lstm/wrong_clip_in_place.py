# Scales the input arrays in place and returns them, so the caller's gradients change.
# expect: partial
# fails: test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    """Scale a list of gradient arrays so that their global norm is at most max_norm.

    grads: list of P numpy arrays of any shapes (P >= 1).
    max_norm: positive float, the threshold tau.
    Returns a pair (clipped, total_norm): clipped is a list of P new arrays with the same shapes, each
    equal to the corresponding input times min(1, max_norm / total_norm); total_norm is a float, the
    global norm of the inputs before clipping.
    """
    total_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    for g in grads:
        g *= scale
    return grads, total_norm
