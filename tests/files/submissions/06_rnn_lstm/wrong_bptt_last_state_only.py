# The lecture's recursion copied for a loss on the last state: only dH[:, -1] enters, the gradients the
# loss sends to the earlier states are dropped.
# expect: partial
# fails: test_rnn_backward_small test_rnn_backward_torch test_rnn_backward_hidden
# %% answer id=rnn_backward
def rnn_backward(dH, X, h0, H, W_ih, W_hh):
    T = X.shape[1]
    dX = np.zeros_like(X)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    delta = dH[:, -1]
    for t in reversed(range(T)):
        da = delta * (1 - H[:, t] ** 2)
        h_prev = H[:, t - 1] if t > 0 else h0
        dW_ih += da.T @ X[:, t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dX[:, t] = da @ W_ih
        delta = da @ W_hh
    return dX, delta, dW_ih, dW_hh, db
