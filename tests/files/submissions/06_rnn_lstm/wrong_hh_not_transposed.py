# Multiplies the state by W_hh instead of W_hh.T (the weight layout (out, in) read as (in, out)). The
# one-unit test cannot see it; the comparisons with nn.RNN can.
# expect: partial
# fails: test_rnn_torch test_rnn_hidden
# %% answer id=rnn_forward
def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    """Forward pass of a tanh RNN over whole sequences, in numpy.

    X: array of shape (N, T, D), the input sequences.
    h0: array of shape (N, H), the initial hidden state.
    W_ih: array of shape (H, D); W_hh: array of shape (H, H); b_ih, b_hh: arrays of shape (H,).
    Returns an array of shape (N, T, H) whose [:, t] is the hidden state after step t (so [:, -1] is
    the last state).
    """
    h = h0
    states = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W_ih.T + b_ih + h @ W_hh + b_hh)
        states.append(h)
    return np.stack(states, axis=1)
