# %% [markdown]
# # 07 · Autoencoders
#
# Most data has no labels. An autoencoder learns from the data alone by solving a made-up task:
# **compress an input into a short code, then rebuild the input from the code**. If a network can do this
# well, the code must hold what matters about the input. This notebook covers:
#
# 1. **Compression as learning**: the encoder–decoder framework and the reconstruction loss.
# 2. **PCA**: the best *linear* encoder and decoder, computed in closed form with the SVD.
# 3. **A linear autoencoder trained by gradient descent** reaches PCA's error and finds PCA's subspace.
# 4. **Nonlinear autoencoders** beat PCA at the same code size. We plot their 2-D codes.
# 5. **When an autoencoder learns nothing**: a wide network can copy its input. Three things stop it
#    from copying: a bottleneck, a nonlinearity and noise. We measure each one.
# 6. **Denoising autoencoders** (Vincent et al., 2010) with blank-out and Gaussian corruption:
#    their reconstructions and their learned filters.
# 7. **Unsupervised pre-training**, then fine-tuning with a few labels, compared with training from
#    scratch.
#
# Data: scikit-learn's 8×8 digits, with pixels scaled to $[0, 1]$. Conventions: `X` has shape `(N, D)`
# with $D = 64$ pixels per row. A code `Z` has shape `(N, k)`. A reconstruction `X_hat` has the same
# shape as `X`. Every error below is the **mean squared error per pixel**, averaged over all $N \cdot D$
# entries.

# %%
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from torch import nn

import dlcourse
from dlcourse.data import digits
from dlcourse.metrics import report
from dlcourse.plotting import curves, image_grid
from dlcourse.training import batches, progress

rng = dlcourse.setup(0)
device = dlcourse.device()

X_train, X_test, y_train, y_test = digits()
N, D = X_train.shape
print(f"X_train {X_train.shape}, X_test {X_test.shape}, pixels in [{X_train.min()}, {X_train.max()}]")


def mse(A, B):
    """Mean squared error per entry between two arrays of the same shape."""
    return float(np.mean((np.asarray(A, dtype=np.float64) - np.asarray(B, dtype=np.float64)) ** 2))


def as_images(X):
    """Rows of shape (N, 64) -> images of shape (N, 8, 8)."""
    return np.asarray(X).reshape(-1, 8, 8)


image_grid(as_images(X_train[:16]), ncols=16, titles=y_train[:16], size=0.7);

# %% [markdown]
# ## 1. Compression as learning
#
# An **encoder** $f: \mathbb R^D \to \mathbb R^k$ maps an input to a code $\mathbf z = f(\mathbf x)$. A
# **decoder** $g: \mathbb R^k \to \mathbb R^D$ maps the code back to a reconstruction
# $\hat{\mathbf x} = g(\mathbf z)$. We train both together to minimise the reconstruction error
#
# $$\mathcal L(f, g) = \frac{1}{N D} \sum_{i=1}^{N} \big\| \mathbf x^{(i)} - g\big(f(\mathbf x^{(i)})\big)
# \big\|^2 .$$
#
# The labels appear nowhere in this loss. A string like `AAAABBBBB` can be stored as "4 A's, 5 B's"
# only because it has structure. In the same way, an 8×8 digit fits into a few numbers only if the
# encoder has found the structure of digits: strokes, typical shapes, which pixels go on together. The
# code size $k$ is the **bottleneck**. With $k < D$, the pair $(f, g)$ cannot simply copy the input.
# Section 5 shows what goes wrong without a bottleneck.

# %% [markdown]
# ## 2. PCA: the optimal linear encoder and decoder
#
# Take a linear encoder and decoder with an offset:
# $\mathbf z = W_e(\mathbf x - \bar{\mathbf x})$ and $\hat{\mathbf x} = \bar{\mathbf x} + W_d \mathbf z$. Stack
# the centred data into $\tilde X = X - \mathbf 1 \bar{\mathbf x}^\top$ of shape `(N, D)`. The
# reconstructions of all rows form the matrix $\tilde X W_e^\top W_d^\top$, whose rank is at most $k$. The
# **Eckart–Young theorem** says that the truncated SVD is the best rank-$k$ approximation in squared
# error. Write $\tilde X = U S V^\top$ with singular values $s_1 \ge s_2 \ge \dots$ and keep the first $k$:
#
# $$\tilde X_k = U_k S_k V_k^\top = \tilde X V_k V_k^\top .$$
#
# So the best linear code is $\mathbf z = V_k^\top(\mathbf x - \bar{\mathbf x})$: the coordinates along
# the first $k$ **principal directions**, which are the columns of $V_k$ and are orthonormal. The best
# decoder is $\hat{\mathbf x} = \bar{\mathbf x} + V_k \mathbf z$, so the decoder is the encoder
# transposed. The training error is what the discarded directions hold:
#
# $$\mathcal L_{\text{PCA}}(k) = \frac{1}{N D}\sum_{j > k} s_j^2 .$$
#
# Centring matters. Without it, the first direction is spent mostly on pointing at the mean image
# instead of on describing how digits differ from one another.

# %%
def pca_fit(X, k):
    """PCA of X (N, D) by SVD: returns the mean (D,) and the top-k principal directions as rows (k, D)."""
    mean = X.mean(axis=0)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt[:k], s


def pca_encode(X, mean, components):
    """Codes (N, k) of X (N, D): coordinates along the rows of components (k, D)."""
    return (X - mean) @ components.T


def pca_decode(Z, mean, components):
    """Reconstructions (N, D) from codes Z (N, k)."""
    return Z @ components + mean


mean, V, s = pca_fit(X_train, D)
ks = np.arange(0, D + 1)
pca_train = np.array([mse(pca_decode(pca_encode(X_train, mean, V[:k]), mean, V[:k]), X_train) for k in ks])
pca_test = np.array([mse(pca_decode(pca_encode(X_test, mean, V[:k]), mean, V[:k]), X_test) for k in ks])
tail = np.array([np.sum(s[k:] ** 2) / (N * D) for k in ks])
assert np.allclose(pca_train, tail, rtol=1e-3, atol=1e-7), "training error != discarded singular values"
_, _, Vt_raw = np.linalg.svd(X_train, full_matrices=False)  # the same SVD without centring
uncentred = np.array([mse((X_train @ Vt_raw[:k].T) @ Vt_raw[:k], X_train) for k in ks])
assert np.all(uncentred[1:17] > pca_train[1:17]) and uncentred[2] > 1.1 * pca_train[2], uncentred[:3]
for k in (2, 8, 16, 32):
    print(f"k = {k:2d}: train MSE {pca_train[k]:.4f}, test MSE {pca_test[k]:.4f}, "
          f"variance kept {1 - tail[k] / tail[0]:.1%}")
print(f"k = 2 without centring: train MSE {uncentred[2]:.4f} (centred: {pca_train[2]:.4f})")
report("PCA test MSE, k=8", pca_test[8])

# %% [markdown]
# The cell above checks three things. First, the computed training error equals the sum of the
# discarded $s_j^2$ for every $k$. Second, the test error follows the training error closely, because a
# linear projection hardly overfits. Third, the same number of directions taken from the uncentred data
# (the SVD of $X$ itself, decoded without adding the mean back) reconstructs worse at every $k$ up to
# 16, by about 15 % at $k = 2$. It is roughly one direction short. Below are
# the error curve, the first principal directions drawn as images, and reconstructions for growing $k$.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(ks, pca_train, label="train")
ax.plot(ks, pca_test, "--", label="test")
ax.set_xlabel("code size k")
ax.set_ylabel("MSE per pixel")
ax.set_title("PCA reconstruction error")
ax.legend()
image_grid(as_images(V[:16]), ncols=16, symmetric=True, cmap="RdBu", size=0.7,
           titles=[f"PC{i + 1}" for i in range(16)])
rows = [X_test[:10]] + [pca_decode(pca_encode(X_test[:10], mean, V[:k]), mean, V[:k]) for k in (2, 8, 16, 32)]
fig = image_grid(as_images(np.vstack(rows)).clip(0, 1), ncols=10, size=0.7)
fig.suptitle("rows: test digits, then PCA with k = 2, 8, 16, 32", y=1.02);

# %% [markdown]
# ## 3. A linear autoencoder finds the PCA subspace
#
# Now forget the SVD and train an unconstrained linear autoencoder,
# $\hat{\mathbf x} = W_d (W_e \mathbf x + \mathbf b_e) + \mathbf b_d$ with $W_e$ of shape `(k, D)`, by
# gradient descent on the reconstruction error. Baldi and Hornik (1989) showed that this loss has no bad
# local minima. Every critical point other than the global minimum is a saddle, and at the global
# minimum the decoder's columns span the **same subspace** as $V_k$. The weights themselves are not
# unique: for any invertible $A$ of shape `(k, k)`, the pair $(A W_e, W_d A^{-1})$ computes the same
# function. So we compare subspaces, not weights. Orthonormalise the decoder's columns into $Q$ (QR
# decomposition). The singular values of $Q^\top V_k$ are the cosines of the **principal angles** between
# the two subspaces. They are all 1 exactly when the subspaces coincide.
#
# We train with full-batch Adam on all 1437 training images, with $k = 8$.

# %%
def principal_cosines(A, B):
    """Cosines of the principal angles between the column spaces of A (D, k) and B (D, k)."""
    Qa, _ = np.linalg.qr(A)
    Qb, _ = np.linalg.qr(B)
    return np.linalg.svd(Qa.T @ Qb, compute_uv=False)


k = 8
X_train_t = torch.tensor(X_train, device=device)
X_test_t = torch.tensor(X_test, device=device)
torch.manual_seed(0)
linear_ae = nn.Sequential(nn.Linear(D, k), nn.Linear(k, D)).to(device)
optimizer = torch.optim.Adam(linear_ae.parameters(), lr=1e-2)
linear_losses = []
for step in progress(range(3000), desc="linear autoencoder"):
    optimizer.zero_grad()
    loss = ((linear_ae(X_train_t) - X_train_t) ** 2).mean()
    loss.backward()
    optimizer.step()
    linear_losses.append(loss.item())

with torch.no_grad():
    linear_train = mse(linear_ae(X_train_t).cpu(), X_train)
W_d = linear_ae[1].weight.detach().cpu().numpy()  # (D, k): decoder columns
cosines = principal_cosines(W_d, V[:k].T)
ratio = linear_train / pca_train[k]
print(f"linear AE train MSE {linear_train:.5f}, PCA {pca_train[k]:.5f}, ratio {ratio:.4f}")
print("principal-angle cosines:", np.round(cosines, 4))
gram = W_d.T @ W_d
print(f"decoder columns are not orthonormal: max |W_d^T W_d - I| = {np.abs(gram - np.eye(k)).max():.2f}")
assert ratio <= 1.01, f"linear AE error is {ratio:.4f} x PCA's"
assert cosines.min() >= 0.99, f"smallest principal-angle cosine {cosines.min():.4f}"
assert np.abs(gram - np.eye(k)).max() > 0.1
report("linear AE / PCA train MSE", ratio)
report("linear AE min principal cosine", cosines.min())

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(linear_losses, label="linear autoencoder (Adam)")
ax.axhline(pca_train[k], color="k", ls="--", label=f"PCA, k = {k} (SVD)")
ax.set_yscale("log")
ax.set_xlabel("full-batch step")
ax.set_ylabel("train MSE")
ax.legend()
fig = image_grid(as_images(np.vstack([V[:k], W_d.T])), ncols=k, symmetric=True, cmap="RdBu", size=0.9)
fig.suptitle("top: principal directions; bottom: decoder columns of the linear autoencoder", y=1.02);

# %% [markdown]
# The loss settles on PCA's error. The decoder columns look different from the principal directions:
# they are mixtures of them, neither orthogonal nor of unit length. Still, they span the same
# 8-dimensional subspace, since every principal-angle cosine is at least 0.99. Gradient descent
# rediscovered PCA, up to an invertible change of coordinates within the code.

# %% [markdown]
# ## 4. Nonlinear autoencoders beat PCA
#
# A linear autoencoder can never beat PCA. Any gain must come from nonlinearity. Our encoder is
# $64 \to 128 \to k$ with a ReLU after the hidden layer. The decoder is $k \to 128 \to 64$ with a ReLU,
# then a sigmoid, because pixels lie in $[0, 1]$. We train it with minibatch Adam for
# $k \in \{2, 4, 8, 16\}$ and compare test errors with PCA's at the same $k$. One helper trains every
# autoencoder in this notebook. Its optional `corrupt` argument is used from section 5 on.

# %%
def train_autoencoder(model, X, corrupt=None, num_epochs=60, batch_size=64, lr=3e-3, seed=0, desc="training"):
    """Minimise the mean squared error between model(corrupt(X_batch)) and the clean X_batch.

    X: tensor (N, D). corrupt: a function from a batch (B, D) to a corrupted copy, or None for a plain
    autoencoder; fresh noise is drawn for every batch. Returns the mean training loss of each epoch.
    """
    torch.manual_seed(seed)
    order = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in progress(range(num_epochs), desc=desc):
        total = 0.0
        for idx in batches(len(X), batch_size, order):
            X_batch = X[torch.as_tensor(idx)]
            X_in = X_batch if corrupt is None else corrupt(X_batch)
            optimizer.zero_grad()
            loss = ((model(X_in) - X_batch) ** 2).mean()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses


def reconstruct(model, X):
    """model applied to the array X (N, D) in eval mode, returned as an array (N, D)."""
    model.eval()
    with torch.no_grad():
        return model(torch.as_tensor(X, device=device)).cpu().numpy()


def deep_autoencoder(k, num_hiddens=128):
    """Encoder 64 -> num_hiddens -> k and decoder k -> num_hiddens -> 64 (ReLU; sigmoid output)."""
    encoder = nn.Sequential(nn.Linear(D, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, k))
    decoder = nn.Sequential(nn.Linear(k, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, D), nn.Sigmoid())
    return nn.Sequential(encoder, decoder).to(device)


code_sizes = [2, 4, 8, 16]
deep, deep_history, deep_test = {}, {}, {}
for k in code_sizes:
    torch.manual_seed(k)
    deep[k] = deep_autoencoder(k)
    deep_history[f"k = {k}"] = train_autoencoder(deep[k], X_train_t, desc=f"autoencoder k={k}")
    deep_test[k] = mse(reconstruct(deep[k], X_test), X_test)
    print(f"k = {k:2d}: autoencoder test MSE {deep_test[k]:.4f}, PCA {pca_test[k]:.4f}, "
          f"ratio {deep_test[k] / pca_test[k]:.2f}")
    assert deep_test[k] <= 0.85 * pca_test[k], (k, deep_test[k], pca_test[k])
report("nonlinear AE / PCA test MSE, k=2", deep_test[2] / pca_test[2])
report("nonlinear AE / PCA test MSE, k=8", deep_test[8] / pca_test[8])

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
curves(deep_history, ax=axes[0], logy=True, title="training loss of the nonlinear autoencoders")
axes[0].set_ylabel("train MSE")
axes[1].plot(code_sizes, [pca_test[k] for k in code_sizes], "o-", label="PCA")
axes[1].plot(code_sizes, [deep_test[k] for k in code_sizes], "o-", label="nonlinear autoencoder")
axes[1].set_xscale("log", base=2)
axes[1].set_xlabel("code size k")
axes[1].set_ylabel("test MSE")
axes[1].legend()
fig.tight_layout()
rows = [X_test[:10], pca_decode(pca_encode(X_test[:10], mean, V[:8]), mean, V[:8]), reconstruct(deep[8], X_test[:10])]
fig = image_grid(as_images(np.vstack(rows)).clip(0, 1), ncols=10, size=0.7)
fig.suptitle("test digits; PCA k = 8; nonlinear autoencoder k = 8", y=1.02);

# %% [markdown]
# With $k = 2$ we can look at the codes directly. Below, each test digit is drawn at its code and
# coloured by its class, which the autoencoder never saw. To put a number on how well the classes
# separate, we train a 5-nearest-neighbour classifier on the training codes and score it on the test
# codes.

# %%
def encode(model, X):
    """The code (N, k) that the encoder half of a deep autoencoder gives for X (N, D)."""
    model.eval()
    with torch.no_grad():
        return model[0](torch.as_tensor(X, device=device)).cpu().numpy()


codes = {"PCA": (pca_encode(X_train, mean, V[:2]), pca_encode(X_test, mean, V[:2])),
         "nonlinear autoencoder": (encode(deep[2], X_train), encode(deep[2], X_test))}
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
knn_accuracy = {}
for ax, (name, (Z_train, Z_test)) in zip(axes, codes.items(), strict=True):
    knn_accuracy[name] = KNeighborsClassifier(5).fit(Z_train, y_train).score(Z_test, y_test)
    points = ax.scatter(Z_test[:, 0], Z_test[:, 1], c=y_test, cmap="tab10", s=12)
    for c in range(10):
        ax.annotate(str(c), np.median(Z_test[y_test == c], axis=0), fontsize=14, weight="bold")
    ax.set_title(f"{name}: 2-D codes (5-NN accuracy {knn_accuracy[name]:.2f})")
fig.colorbar(points, ax=axes, ticks=range(10))
print(knn_accuracy)
assert knn_accuracy["nonlinear autoencoder"] >= knn_accuracy["PCA"] + 0.05, knn_accuracy
report("5-NN accuracy on 2-D PCA codes", knn_accuracy["PCA"])
report("5-NN accuracy on 2-D autoencoder codes", knn_accuracy["nonlinear autoencoder"])

# %% [markdown]
# In every run of this notebook the nonlinear autoencoder reconstructs with a clearly lower test error
# than PCA at each code size (asserted: at most 0.85× PCA's error). Its 2-D codes also separate the
# classes better than the first two principal components. A single linear projection must squeeze ten
# curved clusters onto one plane, while the network can bend them apart.

# %% [markdown]
# ## 5. When an autoencoder learns nothing
#
# Give the code more room than the input, say `num_hiddens = 128 > 64`, and a linear autoencoder can set
# $W_d W_e = I$. Its reconstruction error is then zero, yet it has learned nothing about digits: it
# would copy *any* input. Low reconstruction error alone does not show that anything was learned. We
# need a probe. We blank out 30 % of the pixels of each test digit and measure the **repair ratio**
#
# $$\rho = \frac{\operatorname{MSE}(g(f(\tilde{\mathbf x})), \mathbf x)}{\operatorname{MSE}(\tilde{\mathbf x},
# \mathbf x)} .$$
#
# A model that copies its input has $\rho = 1$: the damage comes back unchanged. A model that knows
# what digits look like pulls the damaged image back towards a digit, so $\rho < 1$. We compare models
# that each have one of the three things that can stop the copying:
#
# * **a bottleneck**: PCA and the deep autoencoder with $k = 8$ from above;
# * **a nonlinearity**: one wide hidden layer of 128 units, without noise. One version uses a
#   saturating sigmoid (outputs also through a sigmoid). The other uses a ReLU, which is linear on half
#   its domain;
# * **noise**: the same wide sigmoid network, trained to reconstruct clean digits from inputs with 30 %
#   of the pixels blanked out. This is a *denoising* autoencoder, and section 6 studies it.

# %%
def mask_noise(X, p):
    """Blank-out corruption: each entry of the tensor X (B, D) is set to 0 with probability p."""
    return X * (torch.rand_like(X) >= p)


def gaussian_noise(X, sigma):
    """Additive isotropic Gaussian corruption: X + sigma * standard normal noise, shape (B, D)."""
    return X + sigma * torch.randn_like(X)


def wide(activation, num_hiddens=128, sigmoid_output=True):
    """One hidden layer of num_hiddens > D units: 64 -> num_hiddens -> 64."""
    layers = [nn.Linear(D, num_hiddens)] + ([activation] if activation is not None else [])
    layers += [nn.Linear(num_hiddens, D)] + ([nn.Sigmoid()] if sigmoid_output else [])
    return nn.Sequential(*layers).to(device)


def repair_ratio(f, X_clean, X_damaged):
    """MSE(f(X_damaged), X_clean) / MSE(X_damaged, X_clean) for a reconstruction function f."""
    return mse(f(X_damaged), X_clean) / mse(X_damaged, X_clean)


damage = np.random.default_rng(1)
X_test_masked = X_test * (damage.random(X_test.shape) >= 0.3).astype(np.float32)
masked_error = mse(X_test_masked, X_test)

torch.manual_seed(0)
wide_models = {"linear, wide": wide(None, sigmoid_output=False),
               "ReLU, wide": wide(nn.ReLU(), sigmoid_output=False),
               "sigmoid, wide": wide(nn.Sigmoid()),
               "sigmoid, wide, 30 % masking noise": wide(nn.Sigmoid())}
for name, model in wide_models.items():
    corrupt = (lambda X: mask_noise(X, 0.3)) if "noise" in name else None
    train_autoencoder(model, X_train_t, corrupt=corrupt, desc=name)
dae_mask = wide_models["sigmoid, wide, 30 % masking noise"]

probes = {"PCA, k = 8": lambda X: pca_decode(pca_encode(X, mean, V[:8]), mean, V[:8]),
          "deep, k = 8": lambda X: reconstruct(deep[8], X)}
probes.update({name: (lambda X, m=model: reconstruct(m, X)) for name, model in wide_models.items()})
clean_error = {name: mse(f(X_test), X_test) for name, f in probes.items()}
repair = {name: repair_ratio(f, X_test, X_test_masked) for name, f in probes.items()}
print(f"damaged test digits: MSE {masked_error:.4f} against the clean ones")
for name in probes:
    print(f"{name:36s} clean test MSE {clean_error[name]:.4f}   repair ratio {repair[name]:.3f}")

# %%
assert clean_error["linear, wide"] <= 1e-3 and repair["linear, wide"] >= 0.95, "the wide linear AE copies"
assert repair["PCA, k = 8"] <= 0.8 and repair["deep, k = 8"] <= 0.8, "a bottleneck stops copying"
assert repair["ReLU, wide"] >= 0.8, "a ReLU network can still (almost) copy"
assert repair["sigmoid, wide"] <= repair["ReLU, wide"] - 0.1, "a saturating nonlinearity copies less well"
assert repair["sigmoid, wide, 30 % masking noise"] <= 0.5, "noise forces the network to repair"
assert repair["sigmoid, wide, 30 % masking noise"] < min(v for n, v in repair.items() if "noise" not in n)
report("repair ratio, wide linear AE", repair["linear, wide"])
report("repair ratio, wide denoising AE", repair["sigmoid, wide, 30 % masking noise"])

fig, ax = plt.subplots(figsize=(7, 3))
names = list(repair)
ax.barh(names, [repair[n] for n in names], color=["C0", "C0", "C3", "C1", "C1", "C2"])
ax.axvline(1.0, color="k", ls="--", lw=1)
ax.set_xlabel("repair ratio ρ (1 = returns the damage unchanged)")
ax.invert_yaxis()
ax.set_title("blue: bottleneck, red: none, orange: nonlinearity only, green: noise");

# %% [markdown]
# The measurements match the story, with one honest qualification:
#
# * The **wide linear** autoencoder reconstructs clean test digits almost perfectly, but $\rho \approx 1$:
#   it learned to copy.
# * A **bottleneck** forces a choice of what to keep, and both $k = 8$ models repair damaged digits.
# * **Nonlinearity alone is a weak guard.** The ReLU network can pass its input through nearly
#   linearly, and it copies almost as faithfully as the linear one. The sigmoid network copies less well,
#   because its units saturate. It is not *prevented* from copying, though: it only has not learned to
#   copy yet.
# * **Noise** is the strongest guard here. Copying the input now reproduces the damage and gives a large
#   loss, so the wide network must learn what digits look like. It has the lowest repair ratio of all,
#   with twice as many code units as pixels.

# %% [markdown]
# ## 6. Denoising autoencoders
#
# A denoising autoencoder (Vincent et al., 2010) draws a corrupted input
# $\tilde{\mathbf x} \sim q(\tilde{\mathbf x} \mid \mathbf x)$ and learns to rebuild the **clean** input:
#
# $$\min_{f, g} \; \mathbb E_{\mathbf x}\, \mathbb E_{\tilde{\mathbf x} \sim q(\cdot \mid \mathbf x)}
# \big\| \mathbf x - g(f(\tilde{\mathbf x})) \big\|^2 .$$
#
# Fresh noise is drawn every time an example is used, so the network never sees the same corrupted
# image twice. Two corruptions from the paper:
#
# * **blank-out (masking) noise**: each pixel is set to 0 with probability $p$, for example
#   $[1, 2, 3, 4] \to [0, 2, 3, 0]$. This is dropout applied to the input, without dropout's
#   $1/(1-p)$ rescaling;
# * **additive Gaussian noise**: $\tilde{\mathbf x} = \mathbf x + \sigma \boldsymbol\varepsilon$ with
#   $\boldsymbol\varepsilon \sim \mathcal N(\mathbf 0, I)$, so each pixel's noise has standard deviation
#   $\sigma$ (variance $\sigma^2$).
#
# A geometric view: digits lie near a low-dimensional manifold in $\mathbb R^{64}$, and corruption moves
# a point off it. To undo the corruption, the network must learn a map that sends points near the
# manifold back onto it. The network is the wide sigmoid network from section 5. We already trained it
# with 30 % masking, and now we train a copy with Gaussian noise of $\sigma = 0.3$. The baseline is the
# best that PCA can do: project the noisy input onto the first $k$ principal directions, with $k$
# chosen to minimise the error against the clean digits.

# %%
X_test_gauss = X_test + 0.3 * np.random.default_rng(2).standard_normal(X_test.shape).astype(np.float32)
torch.manual_seed(1)
dae_gauss = wide(nn.Sigmoid())
gauss_losses = train_autoencoder(dae_gauss, X_train_t, corrupt=lambda X: gaussian_noise(X, 0.3),
                                 desc="Gaussian DAE")

denoising = {}
for name, X_noisy, model in [("masking 30 %", X_test_masked, dae_mask), ("Gaussian σ = 0.3", X_test_gauss, dae_gauss)]:
    pca_errors = [mse(pca_decode(pca_encode(X_noisy, mean, V[:k]), mean, V[:k]), X_test) for k in range(1, D + 1)]
    best_k = int(np.argmin(pca_errors)) + 1
    denoising[name] = dict(noisy=mse(X_noisy, X_test), pca=min(pca_errors), best_k=best_k,
                           dae=mse(reconstruct(model, X_noisy), X_test), X_noisy=X_noisy, model=model)
    d = denoising[name]
    print(f"{name:17s}: noisy input {d['noisy']:.4f} -> best PCA (k = {best_k}) {d['pca']:.4f} "
          f"-> denoising AE {d['dae']:.4f}")
    assert d["dae"] < d["pca"], f"{name}: DAE {d['dae']:.4f} not below best PCA {d['pca']:.4f}"
    assert d["dae"] <= 0.5 * d["noisy"], f"{name}: DAE {d['dae']:.4f} vs noisy {d['noisy']:.4f}"
report("DAE test MSE, 30% masking", denoising["masking 30 %"]["dae"])
report("noisy input MSE, 30% masking", denoising["masking 30 %"]["noisy"])
report("DAE test MSE, Gaussian 0.3", denoising["Gaussian σ = 0.3"]["dae"])

# %%
for name, d in denoising.items():
    V_best = V[:d["best_k"]]
    rows = [X_test[:10], d["X_noisy"][:10], pca_decode(pca_encode(d["X_noisy"][:10], mean, V_best), mean, V_best),
            reconstruct(d["model"], d["X_noisy"][:10])]
    fig = image_grid(as_images(np.vstack(rows)).clip(0, 1), ncols=10, size=0.7)
    fig.suptitle(f"{name}: clean; corrupted; best PCA (k = {d['best_k']}); denoising autoencoder", y=1.02)

# %% [markdown]
# Both denoising autoencoders cut the error of the corrupted input by more than half, and both beat
# the best PCA projection. PCA can only drop directions of small variance. The denoising autoencoder
# has learned which pixels go on together, so it fills in the blanked strokes and removes the
# speckle.
#
# **Learned filters.** Each hidden unit computes $\sigma(\mathbf w_j^\top \mathbf x + b_j)$. Its weight
# vector $\mathbf w_j$ (a row of the first layer) drawn as an 8×8 image shows which input pattern the
# unit responds to. Vincent et al. found that without noise these filters look unstructured, while
# with noise they turn into stroke and blob detectors. On 8×8 digits the effect is smaller than on
# MNIST, but it is visible. We also measure it: as a rough index of structure, take the correlation
# between horizontally and vertically neighbouring weights within each filter, averaged over filters.
# White noise scores 0, smooth filters score close to 1.

# %%
def smoothness(W):
    """Mean correlation of neighbouring weights in the filters W (n, 64), viewed as 8x8 images."""
    F = W.reshape(-1, 8, 8)
    F = F - F.mean(axis=(1, 2), keepdims=True)
    pairs = [(F[:, :, 1:], F[:, :, :-1]), (F[:, 1:, :], F[:, :-1, :])]
    num = sum((a * b).sum(axis=(1, 2)) for a, b in pairs)
    den = sum(np.sqrt((a * a).sum(axis=(1, 2)) * (b * b).sum(axis=(1, 2))) for a, b in pairs)
    return float(np.mean(num / den))


filters = {"plain (no noise)": wide_models["sigmoid, wide"][0].weight.detach().cpu().numpy(),
           "masking 30 %": dae_mask[0].weight.detach().cpu().numpy(),
           "Gaussian σ = 0.3": dae_gauss[0].weight.detach().cpu().numpy()}
smooth = {name: smoothness(W) for name, W in filters.items()}
for name, W in filters.items():
    strongest = np.argsort(-np.linalg.norm(W, axis=1))[:24]  # the 24 filters with the largest norm
    fig = image_grid(as_images(W[strongest]), ncols=12, symmetric=True, cmap="RdBu", size=0.65)
    fig.suptitle(f"first-layer filters, {name} (neighbour correlation {smooth[name]:.2f})", y=1.02)
print({name: round(value, 3) for name, value in smooth.items()})
assert smooth["masking 30 %"] > smooth["plain (no noise)"] + 0.1, smooth
assert smooth["Gaussian σ = 0.3"] < smooth["masking 30 %"] - 0.05, smooth
curves({"Gaussian DAE train loss": gauss_losses}, logy=True, title="denoising autoencoder, Gaussian noise");

# %% [markdown]
# ## 7. Unsupervised pre-training, then fine-tuning with few labels
#
# Before 2010, deep networks were often trained in two stages. First, autoencoders were trained on
# unlabelled data, one layer at a time (Hinton & Salakhutdinov, 2006; Vincent et al., 2010). Second,
# their encoders initialised a classifier, which was then fine-tuned on the labels. Today's version of
# the idea is self-supervised pre-training such as BERT's. Does it help here? We keep only **5 labelled
# images per class** (50 in all) and train a classifier $64 \to 128 \to 10$ with a sigmoid hidden layer
# in two ways:
#
# * **from scratch**: random initial weights;
# * **pre-trained**: the hidden layer starts as the encoder of the masking DAE, which was trained on all
#   1437 training images *without* their labels.
#
# Both are fine-tuned the same way: full-batch Adam for 200 steps on the 50 labelled images. As a
# reference we add logistic regression on raw pixels. The result depends on which 50 images we draw,
# so we repeat with 10 different draws and compare each pair of models on the same draw.

# %%
def finetune(hidden, X_labelled, y_labelled, seed, steps=200, lr=1e-2):
    """Train hidden (a 64 -> 128 layer with its activation) plus a new 128 -> 10 output layer with
    cross-entropy on the labelled data; returns the test accuracy."""
    torch.manual_seed(seed)
    model = nn.Sequential(hidden, nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    X_l = torch.as_tensor(X_labelled, device=device)
    y_l = torch.as_tensor(y_labelled, device=device)
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X_l), y_l).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        predicted = model(X_test_t).argmax(dim=1).cpu().numpy()
    return float(np.mean(predicted == y_test))


per_class, draws = 5, 10
results = {"scratch": [], "pre-trained (DAE)": [], "logistic regression": []}
for draw in progress(range(draws), desc="label draws"):
    pick = np.random.default_rng(100 + draw)
    idx = np.concatenate([pick.choice(np.flatnonzero(y_train == c), per_class, replace=False) for c in range(10)])
    torch.manual_seed(draw)
    scratch_hidden = nn.Sequential(nn.Linear(D, 128), nn.Sigmoid())
    results["scratch"].append(finetune(scratch_hidden, X_train[idx], y_train[idx], draw))
    results["pre-trained (DAE)"].append(finetune(copy.deepcopy(dae_mask[:2]), X_train[idx], y_train[idx], draw))
    logistic = LogisticRegression(max_iter=2000).fit(X_train[idx], y_train[idx])
    results["logistic regression"].append(logistic.score(X_test, y_test))
results = {name: np.array(values) for name, values in results.items()}
gain = results["pre-trained (DAE)"] - results["scratch"]
for name, values in results.items():
    print(f"{name:20s} test accuracy {values.mean():.3f} ± {values.std():.3f} (min {values.min():.3f})")
print(f"pre-trained minus scratch, per draw: mean {gain.mean():+.3f}, wins {np.sum(gain > 0)}/{draws}, "
      f"range [{gain.min():+.3f}, {gain.max():+.3f}]")
report("few-label accuracy, scratch", results["scratch"].mean())
report("few-label accuracy, DAE pre-trained", results["pre-trained (DAE)"].mean())

# %%
assert min(values.mean() for values in results.values()) >= 0.75, "every model learns from 50 labels"
assert abs(gain.mean()) <= 0.05, f"the effect of pre-training is small here: {gain.mean():+.3f}"
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.scatter(results["scratch"], results["pre-trained (DAE)"])
lims = [min(ax.get_xlim()[0], ax.get_ylim()[0]), max(ax.get_xlim()[1], ax.get_ylim()[1])]
ax.plot(lims, lims, "k--", lw=1)
ax.set_xlabel("test accuracy, from scratch")
ax.set_ylabel("test accuracy, DAE pre-trained")
ax.set_title(f"{draws} draws of {per_class} labels per class");

# %% [markdown]
# What we measure, stated plainly: on these 8×8 digits, pre-training changes test accuracy by about a
# percentage point on average (printed above). The change is positive on most draws but is smaller
# than the spread between draws. Plain logistic regression on the pixels does about as well. The cell
# asserts only what holds robustly: every model learns something from 50 labels, and the average
# effect of pre-training is small (under 5 points either way). Digits are nearly linearly separable in
# pixel space and a 64 → 128 → 10 network is easy to optimise, so pre-training has little to add. It
# mattered historically for deep networks that were hard to optimise, and it matters today when the
# unlabelled data is much larger and richer than the labelled data.
#
# ## Summary
#
# * An autoencoder learns by compressing: encode to a code of size $k$, decode, minimise the
#   reconstruction error.
# * PCA (centre the data, take the SVD, keep $V_k$) is the optimal linear autoencoder. Gradient descent
#   on a linear autoencoder reaches its error and its subspace, but not its basis.
# * Nonlinear autoencoders reconstruct better than PCA at the same $k$ and give more useful 2-D codes.
# * Without a constraint, an autoencoder can copy its input and learn nothing. A bottleneck and noise
#   both prevent this. A nonlinearity alone prevents it only weakly.
# * Denoising autoencoders rebuild clean inputs from blanked-out or noisy ones, better than any PCA
#   projection, and learn smoother, stroke-like filters.
# * Pre-training on unlabelled data is the historical root of today's self-supervised learning. On
#   small, easy data its benefit is small, so measure it rather than assume it.
#
# **References.** P. Baldi and K. Hornik, *Neural networks and principal component analysis*, Neural
# Networks 2 (1989). G. Hinton and R. Salakhutdinov, *Reducing the dimensionality of data with neural
# networks*, Science 313 (2006). P. Vincent, H. Larochelle, I. Lajoie, Y. Bengio and P.-A. Manzagol,
# *Stacked denoising autoencoders*, JMLR 11 (2010).
