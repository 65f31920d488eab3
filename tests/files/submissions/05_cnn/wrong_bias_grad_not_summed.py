# The bias gradient copied from the dense layer: summed over the batch only, not over the output
# positions, so it comes back with shape (F, H_out, W_out) instead of (F,).
# expect: partial
# fails: test_conv_backward test_conv_backward_hidden
# %% answer id=conv2d_backward
def conv2d_backward(dout, X, weight, stride=1, padding=0):
    """Backward pass of the convolution (wrong: dbias not summed over positions)."""
    N, C, H, W = X.shape
    F_, _, KH, KW = weight.shape
    H_out, W_out = dout.shape[2:]
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dXp = np.zeros_like(Xp)
    dweight = np.zeros_like(weight)
    for y in range(H_out):
        for x in range(W_out):
            ys, xs = y * stride, x * stride
            patch = Xp[:, :, ys : ys + KH, xs : xs + KW]
            dweight += np.tensordot(dout[:, :, y, x], patch, axes=([0], [0]))
            dXp[:, :, ys : ys + KH, xs : xs + KW] += np.tensordot(dout[:, :, y, x], weight, axes=([1], [0]))
    dX = dXp[:, :, padding : padding + H, padding : padding + W]
    return dX, dweight, dout.sum(axis=0)
