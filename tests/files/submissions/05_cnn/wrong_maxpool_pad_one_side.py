# Off by one padding: the -inf border is added only at the top and left (padding once, not on both
# sides), so the output loses its last row and column whenever the padded size leaves room for one more
# window (the visible 4x4 case does not, hence only the hidden test catches it).
# expect: partial
# fails: test_maxpool_forward_hidden
# %% answer id=maxpool_forward
def maxpool_forward(X, size=2, stride=2, padding=0):
    """Max-pooling (wrong: padding on one side only)."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, 0), (padding, 0)), constant_values=-np.inf)
    N, C, H, W = Xp.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.full((N, C, H_out, W_out), -np.inf)
    for i in range(size):
        for j in range(size):
            out = np.maximum(out, Xp[:, :, i : i + stride * H_out : stride, j : j + stride * W_out : stride])
    return out
