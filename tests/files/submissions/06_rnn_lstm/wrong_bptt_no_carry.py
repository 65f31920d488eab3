# BPTT that forgets the hidden state's own path: each step uses only the gradient the loss sends to h_t
# directly, not what reaches h_t through h_{t+1}.
# expect: partial
# fails: test_rnn_backward_small test_rnn_backward_torch test_rnn_backward_hidden
# %% answer id=rnn_backward
def rnn_backward(dH, X, h0, H, W_ih, W_hh):
    T = X.shape[1]
    dX = np.zeros_like(X)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = dH[:, t] * (1 - H[:, t] ** 2)
        h_prev = H[:, t - 1] if t > 0 else h0
        dW_ih += da.T @ X[:, t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dX[:, t] = da @ W_ih
        dh_prev = da @ W_hh
    return dX, dh_prev, dW_ih, dW_hh, db
