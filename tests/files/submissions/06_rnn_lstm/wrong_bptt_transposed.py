# A transposed gradient: dW_hh is formed as h_{t-1}^T delta, (in, out) instead of PyTorch's (out, in);
# the shape is the same for a square matrix, so only the values give it away.
# expect: partial
# fails: test_rnn_backward_torch test_rnn_backward_hidden
# %% answer id=rnn_backward
def rnn_backward(dH, X, h0, H, W_ih, W_hh):
    T = X.shape[1]
    dX = np.zeros_like(X)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    dh_later = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dH[:, t] + dh_later) * (1 - H[:, t] ** 2)
        h_prev = H[:, t - 1] if t > 0 else h0
        dW_ih += da.T @ X[:, t]
        dW_hh += h_prev.T @ da
        db += da.sum(axis=0)
        dX[:, t] = da @ W_ih
        dh_later = da @ W_hh
    return dX, dh_later, dW_ih, dW_hh, db
