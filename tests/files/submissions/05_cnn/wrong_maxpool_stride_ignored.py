# Max-pool forward that steps by the window size instead of the stride: right for the usual 2x2 windows
# with stride 2, wrong for overlapping windows (stride < size, as in the visible 3x3, stride 2 case) and for stride > size.
# expect: partial
# fails: test_maxpool_forward test_maxpool_forward_hidden
# %% answer id=maxpool_forward
def maxpool_forward(X, size=2, stride=2, padding=0):
    """Max-pooling (wrong: the windows advance by size, not by stride)."""
    X = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=-np.inf)
    N, C, H, W = X.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, H_out, W_out))
    for y in range(H_out):
        for x in range(W_out):
            out[:, :, y, x] = X[:, :, y * size : y * size + size, x * size : x * size + size].max(axis=(2, 3))
    return out
