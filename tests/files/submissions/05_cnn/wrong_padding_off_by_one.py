# The output size counts the padding once instead of on both sides: H_out = (H + padding - dilation * (KH - 1) - 1) // stride + 1,
# so the last row and column of the output are missing whenever padding > 0.
# expect: partial
# fails: test_conv_forward test_conv_forward_hidden
# %% answer id=conv2d_forward
def conv2d_forward(X, weight, bias, stride=1, padding=0, dilation=1):
    """Convolution (wrong: padding counted once in the output size)."""
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out = (H + padding - dilation * (KH - 1) - 1) // stride + 1
    W_out = (W + padding - dilation * (KW - 1) - 1) // stride + 1
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((N, F_, H_out, W_out))
    for y in range(H_out):
        for x in range(W_out):
            patch = Xp[:, :, y * stride : y * stride + dilation * (KH - 1) + 1 : dilation,
                       x * stride : x * stride + dilation * (KW - 1) + 1 : dilation]
            out[:, :, y, x] = np.tensordot(patch, weight, axes=([1, 2, 3], [1, 2, 3])) + bias
    return out
