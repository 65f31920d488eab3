# Rescales the gradients to norm max_norm even when they are already shorter, so small gradients grow.
# expect: partial
# fails: test_clip_small test_clip_hidden
# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    return [g * (max_norm / total_norm) for g in grads], total_norm
