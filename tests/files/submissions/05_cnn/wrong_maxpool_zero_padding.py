# Max-pooling padded with zeros, as a convolution is: wherever a border window holds only negative
# values, the padding's 0 becomes its maximum. Right without padding and whenever the border windows
# hold a positive value.
# expect: partial
# fails: test_maxpool_forward test_maxpool_forward_hidden
# %% answer id=maxpool_forward
def maxpool_forward(X, size=2, stride=2, padding=0):
    """Max-pooling (wrong: the border is padded with 0 instead of -inf)."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    N, C, H, W = Xp.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, H_out, W_out))
    for y in range(H_out):
        for x in range(W_out):
            out[:, :, y, x] = Xp[:, :, y * stride : y * stride + size, x * stride : x * stride + size].max(axis=(2, 3))
    return out
