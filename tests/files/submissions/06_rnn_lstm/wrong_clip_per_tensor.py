# Clips each gradient array by its own norm instead of scaling all of them by the same factor from the
# global norm, which changes the direction of the update (the global norm it returns is right).
# expect: partial
# fails: test_clip test_clip_below_one test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    clipped = []
    for g in grads:
        norm = float(np.sqrt(np.sum(g ** 2)))
        clipped.append(g * min(1.0, max_norm / norm) if norm > 0 else g.copy())
    return clipped, total_norm
