# The recurrent weight's gradient pairs each step's error with the state the step produced, h_t, instead
# of the state it read, h_{t-1}.
# expect: partial
# fails: test_rnn_backward_small test_rnn_backward_torch test_rnn_backward_hidden
# %% answer id=rnn_backward
def rnn_backward(dH, X, h0, H, W_ih, W_hh):
    T = X.shape[1]
    dX = np.zeros_like(X)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    dh_later = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dH[:, t] + dh_later) * (1 - H[:, t] ** 2)
        dW_ih += da.T @ X[:, t]
        dW_hh += da.T @ H[:, t]
        db += da.sum(axis=0)
        dX[:, t] = da @ W_ih
        dh_later = da @ W_hh
    return dX, dh_later, dW_ih, dW_hh, db
