# Applies the forget gate to the new candidate and the input gate to the old cell:
# c_t = i_t * c_{t-1} + f_t * g_t instead of f_t * c_{t-1} + i_t * g_t.
# expect: partial
# fails: test_lstm test_lstm_torch test_lstm_hidden
# %% answer id=lstm_forward
def lstm_forward(X, h0, c0, W_ih, W_hh, b_ih, b_hh):
    num_hiddens = h0.shape[1]
    h, c = h0, c0
    states = []
    for t in range(X.shape[1]):
        gates = X[:, t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh
        i, f, g, o = (gates[:, k * num_hiddens:(k + 1) * num_hiddens] for k in range(4))
        c = sigmoid(i) * c + sigmoid(f) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        states.append(h)
    return np.stack(states, axis=1), c
