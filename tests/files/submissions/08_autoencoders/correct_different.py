# A correct solution written differently: rng.permuted for the positions, a boolean mask and np.where,
# nn.init and F.linear in the model, the penalty as an einsum, and a loop that sums squared errors and
# divides once; early stopping keeps cloned parameter tensors and counts epochs since the best.
# expect: full
# %% answer id=corruption
def _chosen_mask(shape, fraction, rng):
    n, d = shape
    m = int(round(fraction * d))
    base = np.zeros((n, d), dtype=bool)
    base[:, :m] = True
    return rng.permuted(base, axis=1)


def masking_noise(X, fraction, rng):
    return np.where(_chosen_mask(X.shape, fraction, rng), np.zeros((), dtype=X.dtype), X)


def salt_and_pepper_noise(X, fraction, rng, low=0.0, high=1.0):
    chosen = _chosen_mask(X.shape, fraction, rng)
    coins = rng.integers(0, 2, size=X.shape).astype(bool)  # drawn for every entry, used where chosen
    noise = np.where(coins, high, low)
    return np.where(chosen, noise, X).astype(X.dtype)

# %% answer id=dae
import torch.nn.functional as F


class DenoisingAutoencoder(nn.Module):
    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        bound = (6.0 / (num_inputs + num_hiddens)) ** 0.5
        self.W = nn.Parameter(nn.init.uniform_(torch.empty(num_hiddens, num_inputs), -bound, bound))
        self.b_hidden = nn.Parameter(torch.zeros(num_hiddens))
        self.b_visible = nn.Parameter(torch.zeros(num_inputs))

    def encode(self, X):
        return torch.sigmoid(F.linear(X, self.W, self.b_hidden))

    def decode(self, H):
        return torch.sigmoid(F.linear(H, self.W.t(), self.b_visible))

    def forward(self, X):
        return self.decode(self.encode(X))

# %% answer id=contractive
def contractive_penalty(model, X):
    H = model.encode(X)
    slope = H - H * H
    return torch.einsum("bj,ji,bj->b", slope ** 2, model.W ** 2, torch.ones_like(H)).sum() / X.shape[0]

# %% answer id=train
def train_autoencoder(model, X, num_epochs, corrupt=None, lam=0.0, batch_size=64, lr=1e-2, seed=0, val=None,
                      patience=5, emphasis=(1.0, 1.0)):
    shuffler = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history, checks = [], []
    n, d = X.shape
    kept, best_epoch = None, -1
    epoch = 0
    while epoch < num_epochs:
        rows = shuffler.permutation(n)
        running = 0.0
        for start in range(0, n, batch_size):
            clean = X[rows[start:start + batch_size]]
            seen = clean if corrupt is None else corrupt(clean)
            clean_t = torch.tensor(np.asarray(clean), dtype=torch.float32)
            seen_t = torch.tensor(np.asarray(seen), dtype=torch.float32)
            alpha, beta = emphasis
            damaged = torch.tensor(np.asarray(seen, dtype=np.float32) != np.asarray(clean, dtype=np.float32))
            optimizer.zero_grad()
            total = (((model(seen_t) - clean_t) ** 2) * (beta + (alpha - beta) * damaged.float())).sum() / d
            if lam:
                total = total + lam * len(clean) * contractive_penalty(model, seen_t)
            (total / len(clean)).backward()
            optimizer.step()
            running += total.item()
        history.append(running / n)
        if val is not None:
            inputs, targets = (torch.tensor(np.asarray(a), dtype=torch.float32) for a in val)
            with torch.no_grad():
                checks.append(torch.mean((model(inputs) - targets) ** 2).item())
            if best_epoch < 0 or checks[-1] < checks[best_epoch]:
                best_epoch = epoch
                kept = [p.detach().clone() for p in model.parameters()]
            elif epoch - best_epoch >= patience:
                break
        epoch += 1
    if kept is not None:
        with torch.no_grad():
            for p, saved in zip(model.parameters(), kept):
                p.copy_(saved)
    return history, checks
