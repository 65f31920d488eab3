# Forgets the tanh on the cell in the output: h_t = o_t * c_t instead of o_t * tanh(c_t).
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
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * c
        states.append(h)
    return np.stack(states, axis=1), c
