# A correct solution written differently: PCA from the eigenvectors of the covariance matrix, einsum
# for encoding and decoding, Bernoulli keep-masks and rng.normal for the noise, F.linear and
# nn.init in the model, and a training loop that sums squared errors and divides once.
# expect: full
# %% answer id=pca_fit
def pca_fit(X, k):
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0)
    centred = X - mean
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / len(X))
    order = np.argsort(eigenvalues)[::-1][:k]
    return mean, eigenvectors[:, order].T

# %% answer id=pca_codec
def pca_encode(X, mean, components):
    return np.einsum("nd,kd->nk", X - mean[None, :], components)


def pca_decode(Z, mean, components):
    return mean[None, :] + np.einsum("nk,kd->nd", Z, components)

# %% answer id=corruption
def mask_noise(X, p, rng):
    keep = rng.binomial(1, 1.0 - p, size=X.shape)
    return np.where(keep == 1, X, 0.0)


def gaussian_noise(X, sigma, rng):
    return X + rng.normal(0.0, sigma, size=X.shape)

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

# %% answer id=train
def train_dae(model, X, corrupt, num_epochs, batch_size=64, lr=1e-2, seed=0):
    shuffler = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    n, d = X.shape
    for epoch in range(num_epochs):
        rows = shuffler.permutation(n)
        squared = 0.0
        batch_starts = list(range(0, n, batch_size))
        for start in batch_starts:
            clean = X[rows[start:start + batch_size]]
            noisy = corrupt(clean)
            clean_t = torch.tensor(clean, dtype=torch.float32)
            noisy_t = torch.tensor(noisy, dtype=torch.float32)
            optimizer.zero_grad()
            total = ((model(noisy_t) - clean_t) ** 2).sum()
            (total / clean_t.numel()).backward()
            optimizer.step()
            squared += total.item() / d
        history.append(squared / n)
    return history
