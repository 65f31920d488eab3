# Multiplies the state by W_hh instead of W_hh.T (the weight layout (out, in) read as (in, out)). The
# one-unit test cannot see it; the comparisons with nn.RNN can.
# expect: partial
# fails: test_rnn_torch test_rnn_hidden
# %% answer id=rnn_forward
def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    h = h0
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W_ih.T + b_ih + h @ W_hh + b_hh)
        states.append(h)
    return np.stack(states, axis=1)
