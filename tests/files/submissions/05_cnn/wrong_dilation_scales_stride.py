# Dilation applied to the output positions instead of the kernel's taps: patch (y, x) starts at
# dilation * stride * y and its taps are adjacent, with the output size of a correct dilated layer.
# Right for dilation 1; for dilation 2 the windows jump too far and read the wrong pixels.
# expect: partial
# fails: test_conv_forward test_conv_forward_hidden
# %% answer id=conv2d_forward
def conv2d_forward(X, weight, bias, stride=1, padding=0, dilation=1):
    """Convolution (wrong: dilation multiplies the stride; the taps are not spread out)."""
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out = (H + 2 * padding - dilation * (KH - 1) - 1) // stride + 1
    W_out = (W + 2 * padding - dilation * (KW - 1) - 1) // stride + 1
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    Xp = np.pad(Xp, ((0, 0), (0, 0), (0, dilation * stride * H_out), (0, dilation * stride * W_out)))
    out = np.zeros((N, F_, H_out, W_out))
    for y in range(H_out):
        for x in range(W_out):
            top, left = dilation * stride * y, dilation * stride * x
            patch = Xp[:, :, top : top + KH, left : left + KW]
            out[:, :, y, x] = np.tensordot(patch, weight, axes=([1, 2, 3], [1, 2, 3])) + bias
    return out
