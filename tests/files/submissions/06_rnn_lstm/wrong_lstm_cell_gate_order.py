# Reads the stacked blocks in the order i, f, o, g (a common textbook order) instead of PyTorch's i, f, g, o.
# expect: partial
# fails: test_lstm_cell_torch test_lstm_cell_hidden test_lstm_backward_torch test_lstm_backward_hidden
# %% answer id=lstm_cell_backward
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, W_ih, W_hh, b):
    H = h_prev.shape[1]
    z = x @ W_ih.T + h_prev @ W_hh.T + b
    i, f, o, g = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 2 * H:3 * H]), np.tanh(z[:, 3 * H:])
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_total = dc + dh * o * (1 - tanh_c ** 2)
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dh * tanh_c * o * (1 - o), dc_total * i * (1 - g ** 2)], axis=1)
    return dz @ W_ih, dz @ W_hh, dc_total * f, dz.T @ x, dz.T @ h_prev, dz.sum(axis=0)
