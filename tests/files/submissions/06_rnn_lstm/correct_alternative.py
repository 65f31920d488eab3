# A correct solution written differently: BPTT that first collects the full gradient of every state and
# then forms all weight gradients with einsum, an LSTM step that splits the stacked weights per gate and
# differentiates gate by gate, a sequence backward pass that keeps the states in arrays, and unit-wise
# clipping that loops over the units of each parameter, reshaped to a matrix.
# expect: full
# %% answer id=rnn_backward
def rnn_backward(dH, X, h0, H, W_ih, W_hh):
    N, T, num_hiddens = H.shape
    H_prev = np.concatenate([h0[:, None], H[:, :-1]], axis=1)
    dA = np.empty_like(H)
    carried = np.zeros((N, num_hiddens))
    for t in range(T - 1, -1, -1):
        dA[:, t] = (1.0 - H[:, t] * H[:, t]) * (dH[:, t] + carried)
        carried = np.einsum("nh,hk->nk", dA[:, t], W_hh)
    return (np.einsum("nth,hd->ntd", dA, W_ih), carried, np.einsum("nth,ntd->hd", dA, X),
            np.einsum("nth,ntk->hk", dA, H_prev), dA.sum(axis=(0, 1)))

# %% answer id=lstm_cell_backward
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, W_ih, W_hh, b):
    n = h_prev.shape[1]
    blocks = {name: slice(k * n, (k + 1) * n) for k, name in enumerate("ifgo")}
    pre = {name: x @ W_ih[s].T + h_prev @ W_hh[s].T + b[s] for name, s in blocks.items()}
    i, f, o = (1 / (1 + np.exp(-pre[name])) for name in "ifo")
    g = np.tanh(pre["g"])
    c = f * c_prev + i * g
    d_o = dh * np.tanh(c)
    d_c = dc + dh * o / np.cosh(c) ** 2
    d_pre = {"i": d_c * g * i * (1 - i), "f": d_c * c_prev * f * (1 - f), "g": d_c * i / np.cosh(pre["g"]) ** 2,
             "o": d_o * o * (1 - o)}
    dx = sum(d_pre[name] @ W_ih[s] for name, s in blocks.items())
    dh_prev = sum(d_pre[name] @ W_hh[s] for name, s in blocks.items())
    dW_ih = np.vstack([d_pre[name].T @ x for name in "ifgo"])
    dW_hh = np.vstack([d_pre[name].T @ h_prev for name in "ifgo"])
    db = np.concatenate([d_pre[name].sum(axis=0) for name in "ifgo"])
    return dx, dh_prev, d_c * f, dW_ih, dW_hh, db

# %% answer id=lstm_backward
def lstm_backward(dH, X, h0, c0, W_ih, W_hh, b):
    N, T, _ = X.shape
    Hs = np.empty((N, T + 1, h0.shape[1]))
    Cs = np.empty_like(Hs)
    Hs[:, 0], Cs[:, 0] = h0, c0
    for t in range(T):
        Hs[:, t + 1], Cs[:, t + 1] = lstm_cell_forward(X[:, t], Hs[:, t], Cs[:, t], W_ih, W_hh, b)
    grads = [np.zeros_like(X), np.zeros_like(h0), np.zeros_like(c0), 0 * W_ih, 0 * W_hh, 0 * b]
    for t in range(T - 1, -1, -1):
        step = lstm_cell_backward(dH[:, t] + grads[1], grads[2], X[:, t], Hs[:, t], Cs[:, t], W_ih, W_hh, b)
        grads[0][:, t] = step[0]
        grads[1], grads[2] = step[1], step[2]
        grads[3:] = [total + part for total, part in zip(grads[3:], step[3:], strict=True)]
    return tuple(grads)

# %% answer id=clip
def clip_unitwise(weights, grads, clipping, eps=1e-3):
    result = []
    for W, G in zip(weights, grads):
        W2 = W.reshape(len(W), -1) if W.ndim > 1 else W.reshape(-1, 1)
        G2 = np.array(G, dtype=np.float64).reshape(W2.shape)
        out = np.empty_like(G2)
        for i in range(len(W2)):
            limit = clipping * max(np.linalg.norm(W2[i]), eps)
            norm = np.linalg.norm(G2[i])
            out[i] = G2[i] * (limit / norm if norm > limit else 1.0)
        result.append(out.reshape(G.shape))
    return result
