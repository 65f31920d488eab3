# The gates' derivative written as 1 - sigma^2 (tanh's rule) instead of sigma (1 - sigma).
# expect: partial
# fails: test_lstm_cell_torch test_lstm_cell_hidden test_lstm_backward_torch test_lstm_backward_hidden
# %% answer id=lstm_cell_backward
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, W_ih, W_hh, b):
    H = h_prev.shape[1]
    z = x @ W_ih.T + h_prev @ W_hh.T + b
    i, f, g, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sigmoid(z[:, 3 * H:])
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_total = dc + dh * o * (1 - tanh_c ** 2)
    dz = np.concatenate([dc_total * g * (1 - i ** 2), dc_total * c_prev * (1 - f ** 2),
                         dc_total * i * (1 - g ** 2), dh * tanh_c * (1 - o ** 2)], axis=1)
    return dz @ W_ih, dz @ W_hh, dc_total * f, dz.T @ x, dz.T @ h_prev, dz.sum(axis=0)
