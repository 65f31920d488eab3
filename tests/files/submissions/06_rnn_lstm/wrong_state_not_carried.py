# Does not carry the hidden state from step to step: every step starts again from h0.
# expect: partial
# fails: test_rnn test_rnn_torch test_rnn_hidden
# %% answer id=rnn_forward
def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W_ih.T + b_ih + h0 @ W_hh.T + b_hh)
        states.append(h)
    return np.stack(states, axis=1)
