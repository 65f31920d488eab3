# The backward pass scatters the patch gradients back as if the stride were 1: patch (y, x) is taken to
# start at pixel (y, x) instead of (stride*y, stride*x). Right for stride 1, wrong otherwise.
# expect: partial
# fails: test_conv_backward test_conv_backward_hidden
# %% answer id=conv2d_backward
def conv2d_backward(dout, X, weight, stride=1, padding=0):
    """Backward pass of the convolution (wrong: stride ignored)."""
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out, W_out = dout.shape[2:]
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dXp = np.zeros_like(Xp)
    dweight = np.zeros_like(weight)
    for y in range(H_out):
        for x in range(W_out):
            patch = Xp[:, :, y : y + KH, x : x + KW]
            dweight += np.tensordot(dout[:, :, y, x], patch, axes=([0], [0]))
            dXp[:, :, y : y + KH, x : x + KW] += np.tensordot(dout[:, :, y, x], weight, axes=([1], [0]))
    dX = dXp[:, :, padding : padding + H, padding : padding + W]
    return dX, dweight, dout.sum(axis=(0, 2, 3))
