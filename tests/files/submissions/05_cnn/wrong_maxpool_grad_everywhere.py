# Max-pool backward that routes each window's gradient to every element of the window (the backward
# pass of sum-pooling), instead of to the maximum only.
# expect: partial
# fails: test_maxpool_backward test_maxpool_backward_hidden
# %% answer id=maxpool_backward
def maxpool_backward(dout, X, size=2, stride=2):
    """Backward pass of max-pooling (wrong: every element of the window gets the gradient)."""
    dX = np.zeros_like(X)
    H_out, W_out = dout.shape[2:]
    for i in range(size):
        for j in range(size):
            dX[:, :, i : i + stride * H_out : stride, j : j + stride * W_out : stride] += dout
    return dX
