# Scales the input arrays in place and returns them, so the caller's gradients change.
# expect: partial
# fails: test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    for g in grads:
        g *= scale
    return grads, total_norm
