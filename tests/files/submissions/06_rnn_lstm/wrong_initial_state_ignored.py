# Starts every sequence from zeros instead of the given h0, so it only agrees with nn.RNN when h0 = 0.
# expect: partial
# fails: test_rnn_torch test_rnn_hidden
# %% answer id=rnn_forward
def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    h = np.zeros_like(h0)
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        states.append(h)
    return np.stack(states, axis=1)
