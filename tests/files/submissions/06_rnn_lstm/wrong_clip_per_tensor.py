# Clips each parameter as one unit (the norm of the whole tensor), so units with small weights are
# clipped against the norm of their neighbours' weights.
# expect: partial
# fails: test_clip test_clip_bias test_clip_hidden
# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    clipped = []
    for W, G in zip(weights, grads):
        max_norm = clipping * max(np.linalg.norm(W), eps)
        g_norm = np.linalg.norm(G)
        clipped.append(G * (max_norm / g_norm) if g_norm > max_norm else G.copy())
    return clipped
