# A correct solution written differently from the reference: explicit loops over output positions
# (einsum per patch, dilated taps by a strided slice) instead of im2col, a max-pool whose windows are
# clipped to the image instead of padded with -inf, a window-by-window max-pool backward, and another CNN
# (convolution biases, ELU and average pooling, 9 034 parameters, within the budget).
# expect: full
# %% answer id=conv2d_forward
def conv2d_forward(X, weight, bias, stride=1, padding=0, dilation=1):
    """Dilated convolution by a loop over output positions (strided slices pick the kernel's taps)."""
    n_filters, _, kh, kw = weight.shape
    padded = np.pad(X, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    rows = (padded.shape[2] - span_h) // stride + 1
    cols = (padded.shape[3] - span_w) // stride + 1
    out = np.empty((X.shape[0], n_filters, rows, cols))
    for r in range(rows):
        for c in range(cols):
            patch = padded[:, :, r * stride : r * stride + span_h : dilation, c * stride : c * stride + span_w : dilation]
            out[:, :, r, c] = np.einsum("nchw,fchw->nf", patch, weight) + bias
    return out

# %% answer id=conv2d_backward
def conv2d_backward(dout, X, weight, stride=1, padding=0):
    """Backward pass by the same loop over output positions."""
    _, _, kh, kw = weight.shape
    padded = np.pad(X, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    d_padded = np.zeros_like(padded)
    dweight = np.zeros_like(weight)
    for r in range(dout.shape[2]):
        for c in range(dout.shape[3]):
            rs, cs = slice(r * stride, r * stride + kh), slice(c * stride, c * stride + kw)
            g = dout[:, :, r, c]                                   # (N, F)
            dweight += np.einsum("nf,nchw->fchw", g, padded[:, :, rs, cs])
            d_padded[:, :, rs, cs] += np.einsum("nf,fchw->nchw", g, weight)
    H, W = X.shape[2:]
    dX = d_padded[:, :, padding : padding + H, padding : padding + W]
    return dX, dweight, dout.sum(axis=3).sum(axis=2).sum(axis=0)

# %% answer id=maxpool_forward
def maxpool_forward(X, size=2, stride=2, padding=0):
    """Max-pooling by a loop over output positions, each window clipped to the real pixels."""
    H, W = X.shape[2:]
    rows = (H + 2 * padding - size) // stride + 1
    cols = (W + 2 * padding - size) // stride + 1
    out = np.empty(X.shape[:2] + (rows, cols))
    for r in range(rows):
        for c in range(cols):
            top, left = r * stride - padding, c * stride - padding
            window = X[:, :, max(top, 0) : top + size, max(left, 0) : left + size]
            out[:, :, r, c] = window.max(axis=(2, 3))
    return out

# %% answer id=maxpool_backward
def maxpool_backward(dout, X, size=2, stride=2):
    """Each window's gradient goes to the first position of its maximum."""
    dX = np.zeros_like(X)
    N, C, rows, cols = dout.shape
    for n in range(N):
        for ch in range(C):
            for r in range(rows):
                for c in range(cols):
                    window = X[n, ch, r * stride : r * stride + size, c * stride : c * stride + size]
                    i, j = np.unravel_index(np.argmax(window), window.shape)
                    dX[n, ch, r * stride + i, c * stride + j] += dout[n, ch, r, c]
    return dX

# %% answer id=build_cnn
def build_cnn():
    """Conv(bias)-BN-ELU x3 with 12/24/24 channels, average pooling twice, linear (9 034 parameters)."""
    return nn.Sequential(
        nn.Conv2d(1, 12, kernel_size=3, padding=1), nn.BatchNorm2d(12), nn.ELU(),
        nn.Conv2d(12, 24, kernel_size=3, padding=1), nn.BatchNorm2d(24), nn.ELU(),
        nn.AvgPool2d(2),
        nn.Conv2d(24, 24, kernel_size=3, padding=1), nn.BatchNorm2d(24), nn.ELU(),
        nn.AvgPool2d(2), nn.Flatten(), nn.Linear(24 * 2 * 2, 10),
    )
