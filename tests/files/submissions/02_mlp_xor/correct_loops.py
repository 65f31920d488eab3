# A correct solution written differently: other XOR weights (NOR/AND hidden units), explicit loops over
# examples and units, a softmax via logsumexp, an nn.Sequential inside the module, and a training loop
# over torch.split batches.
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
def mlp_forward(X, params, activation=relu):
    rows = []
    for x in X:
        h = np.asarray(x, dtype=float)
        for layer, (W, b) in enumerate(params):
            z = np.array([sum(W[j, k] * h[k] for k in range(W.shape[1])) + b[j] for j in range(W.shape[0])])
            h = z if layer == len(params) - 1 else activation(z)
        rows.append(h)
    return np.array(rows)

# %% answer id=softmax
def softmax(Z):
    top = np.max(Z, axis=-1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(Z - top), axis=-1, keepdims=True))
    return np.exp(Z - log_norm)

# %% answer id=model
class MLP(nn.Module):
    def __init__(self, num_inputs=64, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(num_inputs, num_hiddens), nn.ReLU(),
                                 nn.Linear(num_hiddens, num_outputs))

    def forward(self, X):
        return self.net(X)

# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, generator=None):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(num_epochs):
        perm = torch.randperm(X.shape[0], generator=generator)
        summed, seen = 0.0, 0
        for idx in torch.split(perm, batch_size):
            logits = model(X[idx])
            loss = nn.functional.cross_entropy(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            summed += float(loss) * idx.numel()
            seen += idx.numel()
        history.append(summed / seen)
    return history
