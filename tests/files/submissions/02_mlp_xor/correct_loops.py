# A correct solution written differently: other XOR weights (NOR/AND hidden units), explicit loops over
# examples and units and a Jacobian pulled back from the output side, a softmax via logsumexp, an
# nn.Sequential built in a loop inside the module, a training loop over torch.split batches and
# micro-batches that weights each micro-batch's mean loss and resets gradients by setting them to None,
# an interpolant whose units point left (ReLU(t - x)) and are summed from the right end, and a unit
# count found by search.
# expect: full
# %% answer id=xor_weights
def xor_weights():
    # h1 = NOR(x1, x2), h2 = AND(x1, x2); XOR = NOT h1 AND NOT h2 = step(-h1 - h2 + 0.5)
    W1 = np.array([[-2.0, -2.0], [2.0, 2.0]])
    b1 = np.array([1.0, -3.0])
    W2 = np.array([[-1.0, -1.0]])
    b2 = np.array([0.5])
    return W1, b1, W2, b2

# %% answer id=forward
def relu_local_affine(X, params):
    # per example: the forward pass with explicit loops, and the Jacobian built from the output side
    # (row vectors pulled back through each layer), c from the outputs
    outs, As = [], []
    for x in X:
        h, patterns = np.asarray(x, dtype=float), []
        for layer, (W, b) in enumerate(params):
            z = np.array([sum(W[j, k] * h[k] for k in range(W.shape[1])) + b[j] for j in range(W.shape[0])])
            if layer < len(params) - 1:
                patterns.append(np.array([1.0 if v > 0 else 0.0 for v in z]))
                h = z * patterns[-1]
            else:
                h = z
        J = params[-1][0].copy()
        for (W, _), d in zip(reversed(params[:-1]), reversed(patterns)):
            J = (J * d[None, :]) @ W
        outs.append(h)
        As.append(J)
    outputs, A = np.array(outs), np.array(As)
    return outputs, A, outputs - np.einsum("nij,nj->ni", A, np.asarray(X, dtype=float))

# %% answer id=softmax
def softmax(Z):
    top = np.max(Z, axis=-1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(Z - top), axis=-1, keepdims=True))
    return np.exp(Z - log_norm)

# %% answer id=model
class MLP(nn.Module):
    def __init__(self, num_inputs=64, hidden_sizes=(256,), num_outputs=10):
        super().__init__()
        parts, width = [], num_inputs
        for h in hidden_sizes:
            parts += [nn.Linear(width, h), nn.ReLU()]
            width = h
        parts.append(nn.Linear(width, num_outputs))
        self.net = nn.Sequential(*parts)

    def forward(self, X):
        return self.net(X)

# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, micro_batch_size=16, generator=None):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(num_epochs):
        perm = torch.randperm(X.shape[0], generator=generator)
        summed = 0.0
        for idx in torch.split(perm, batch_size):
            for p in model.parameters():
                p.grad = None
            for part in torch.split(idx, micro_batch_size):
                mean_loss = nn.functional.cross_entropy(model(X[part]), y[part])
                (mean_loss * (part.numel() / idx.numel())).backward()
                summed += float(mean_loss) * part.numel()
            opt.step()
        history.append(summed / X.shape[0])
    return history

# %% answer id=interp
def relu_interpolant(knots, values):
    # units ReLU(2 (t_j - x)) for the right ends t_1 .. t_m: the network is linear to the left of each,
    # so start from the last value and add the slope changes walking leftwards
    t = [float(k) for k in knots]
    v = [float(u) for u in values]
    m = len(t) - 1
    slopes = [(v[j + 1] - v[j]) / (t[j + 1] - t[j]) for j in range(m)]
    W1 = np.full((m, 1), -2.0)
    b1 = np.array([2.0 * t[j + 1] for j in range(m)])
    W2 = np.zeros((1, m))
    for j in range(m):
        right = slopes[j + 1] if j + 1 < m else 0.0
        W2[0, j] = (right - slopes[j]) / 2.0  # d/dx of a ReLU(2 (t - x)) is -2 to its left
    return W1, b1, W2, np.array([v[-1]])

# %% answer id=units
def units_for_tolerance(eps, curvature, length=1.0):
    m = 1
    while curvature * (length / m) ** 2 / 8 > eps:
        m += 1
    return m
