# Guards the division with `total_norm > 1` instead of `> 0`: right whenever the norm exceeds 1, but
# gradients whose norm lies between a max_norm below 1 and 1 are not clipped.
# expect: partial
# fails: test_clip_below_one test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm) if total_norm > 1 else 1.0
    return [g * scale for g in grads], total_norm
