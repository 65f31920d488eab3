# The cell's gradient takes only what arrives from later steps (dc) and forgets the path through
# h_t = o * tanh(c_t); the sequence backward pass built on it is wrong too.
# expect: partial
# fails: test_lstm_cell_torch test_lstm_cell_hidden test_lstm_backward_torch test_lstm_backward_hidden
# %% answer id=lstm_cell_backward
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, W_ih, W_hh, b):
    H = h_prev.shape[1]
    z = x @ W_ih.T + h_prev @ W_hh.T + b
    i, f, g, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sigmoid(z[:, 3 * H:])
    tanh_c = np.tanh(f * c_prev + i * g)
    dz = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                         dh * tanh_c * o * (1 - o)], axis=1)
    return dz @ W_ih, dz @ W_hh, dc * f, dz.T @ x, dz.T @ h_prev, dz.sum(axis=0)
