# A true (signal-processing) convolution: the kernel is flipped in both directions, which is not what
# deep-learning libraries compute.
# expect: partial
# fails: test_conv_forward test_conv_forward_hidden
# %% answer id=conv2d_forward
def conv2d_forward(X, weight, bias, stride=1, padding=0, dilation=1):
    """Convolution with the kernel flipped (wrong: torch computes a cross-correlation)."""
    weight = weight[:, :, ::-1, ::-1]
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out = (H + 2 * padding - dilation * (KH - 1) - 1) // stride + 1
    W_out = (W + 2 * padding - dilation * (KW - 1) - 1) // stride + 1
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((N, F_, H_out, W_out))
    for y in range(H_out):
        for x in range(W_out):
            patch = Xp[:, :, y * stride : y * stride + dilation * (KH - 1) + 1 : dilation,
                       x * stride : x * stride + dilation * (KW - 1) + 1 : dilation]
            out[:, :, y, x] = np.tensordot(patch, weight, axes=([1, 2, 3], [1, 2, 3])) + bias
    return out
