# The sequence backward pass carries the hidden state's gradient back but starts every step with dc = 0,
# forgetting the path along the cell.
# expect: partial
# fails: test_lstm_backward_torch test_lstm_backward_hidden
# %% answer id=lstm_backward
def lstm_backward(dH, X, h0, c0, W_ih, W_hh, b):
    steps, h, c = [], h0, c0
    for t in range(X.shape[1]):
        steps.append((X[:, t], h, c))
        h, c = lstm_cell_forward(X[:, t], h, c, W_ih, W_hh, b)
    dX = np.zeros_like(X)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros_like(b)
    dh, dc = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(X.shape[1])):
        dX[:, t], dh, dc, dW_ih_t, dW_hh_t, db_t = lstm_cell_backward(dH[:, t] + dh, np.zeros_like(dc), *steps[t],
                                                                      W_ih, W_hh, b)
        dW_ih += dW_ih_t
        dW_hh += dW_hh_t
        db += db_t
    return dX, dh, dc, dW_ih, dW_hh, db
