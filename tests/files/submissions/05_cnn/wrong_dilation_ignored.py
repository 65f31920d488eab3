# The lecture's conv2d_im2col with a dilation argument that is accepted and ignored: the kernel's taps
# stay next to each other. Right for dilation 1, wrong (different values) for every dilated case.
# expect: partial
# fails: test_conv_forward test_conv_forward_hidden
# %% answer id=conv2d_forward
def conv2d_forward(X, weight, bias, stride=1, padding=0, dilation=1):
    """Convolution (wrong: dilation ignored)."""
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out, W_out = (H + 2 * padding - KH) // stride + 1, (W + 2 * padding - KW) // stride + 1
    Xp = np.pad(X.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = np.empty((C, KH, KW, N, H_out, W_out))
    for i in range(KH):
        for j in range(KW):
            cols[:, i, j] = Xp[:, :, i : i + stride * H_out : stride, j : j + stride * W_out : stride]
    out = weight.reshape(F_, -1) @ cols.reshape(C * KH * KW, -1) + bias[:, None]
    return out.reshape(F_, N, H_out, W_out).transpose(1, 0, 2, 3)
