# %% [markdown]
# # 02 · Multilayer perceptrons and XOR
#
# In `01_perceptron` we proved that **no single linear unit can classify XOR**: every line gets at
# least one of the four points wrong. This notebook shows how a *hidden layer* fixes that.
#
# 1. A 2-2-1 network with **hand-set weights** that computes XOR exactly, and the picture of why: the
#    hidden units *re-map* the plane so that the classes become linearly separable.
# 2. **Training** the same network by gradient descent. It does not always work with 2 hidden units,
#    and a few more units make it reliable.
# 3. **Activation functions** (sigmoid, tanh, ReLU) and their derivatives, and why we need one at all:
#    without it a deep network collapses into a single affine map.
# 4. An **MLP in PyTorch** (`nn.Module`) that classifies handwritten digits with ≥ 97 % test accuracy.
#
# Shape convention (PyTorch's): a batch `X` has shape `(batch, features)`. A layer with weight `W` of
# shape `(out_features, in_features)` and bias `b` of shape `(out_features,)` computes `X @ W.T + b`,
# that is $\mathbf h = \mathbf W \mathbf x + \mathbf b$ for each row.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import dlcourse
from dlcourse.data import digits, xor
from dlcourse.metrics import report
from dlcourse.plotting import curves, decision_boundary, image_grid
from dlcourse.training import accuracy, fit, progress

rng = dlcourse.setup(0)
X_xor, y_xor = xor()  # X_xor (4, 2), labels y_xor (4,) in {0, 1}
print(X_xor, y_xor)

# %% [markdown]
# ## 1. Solving XOR by hand: re-map the plane, then draw one line
#
# XOR is "OR but not AND". A hidden layer of two threshold units computes both, and one output unit
# combines them:
#
# $$h_1 = \phi(x_1 + x_2 - 0.5)\;\;(\text{OR}), \qquad h_2 = \phi(x_1 + x_2 - 1.5)\;\;(\text{AND}),
#   \qquad \hat y = \phi(h_1 - h_2 - 0.5),$$
#
# with the step $\phi(z) = [z > 0]$. In matrix form, $\mathbf h = \phi(\mathbf W_1 \mathbf x + \mathbf
# b_1)$ and $\hat y = \phi(\mathbf W_2 \mathbf h + b_2)$:

# %%
def step(z):
    """Heaviside step: 1.0 where z > 0, else 0.0 (same shape as z)."""
    return (np.asarray(z) > 0).astype(float)


W1 = np.array([[1.0, 1.0],    # h1: OR
               [1.0, 1.0]])   # h2: AND
b1 = np.array([-0.5, -1.5])
W2 = np.array([[1.0, -1.0]])  # "h1 and not h2"
b2 = np.array([-0.5])


def xor_net(X, phi=step, scale=1.0):
    """The hand-set 2-2-1 network on X (N, 2); returns the hidden layer (N, 2) and the outputs (N,)."""
    H = phi(scale * (X @ W1.T + b1))
    return H, phi(scale * (H @ W2.T + b2))[:, 0]


H_xor, out = xor_net(X_xor)
print("hidden codes:\n", H_xor, "\noutputs:", out)
assert np.array_equal(out, y_xor), "the hand-set network must compute XOR exactly"

# %% [markdown]
# In the hidden space the four inputs land on only **three** points. $(0,1)$ and $(1,0)$ both map to
# $(1, 0)$, $(0,0)$ maps to $(0,0)$ and $(1,1)$ maps to $(1,1)$. A single line,
# $h_1 - h_2 = 0.5$, now separates the classes. The left picture shows the two hidden units' lines in the
# input space and the network's output (shaded). The right picture shows the same points after the
# hidden layer.

# %%
assert np.array_equal(H_xor, [[0, 0], [1, 0], [1, 0], [1, 1]])
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
decision_boundary(lambda P: xor_net(P)[1], X_xor, y_xor, ax=axes[0], title="input space: output of the network")
line = np.linspace(-0.5, 1.5, 2)
axes[0].plot(line, 0.5 - line, "g--", label="$h_1$ (OR) boundary")
axes[0].plot(line, 1.5 - line, "m--", label="$h_2$ (AND) boundary")
axes[0].legend(fontsize=8, loc="upper right")
ax = axes[1]
jitter = np.array([[0, 0], [-0.04, 0.04], [0.04, -0.04], [0, 0]])  # (0,1) and (1,0) share a hidden point
ax.scatter(*(H_xor + jitter).T, c=y_xor, cmap="RdBu", edgecolors="k", s=80)
for (h1, h2), (x1, x2), dx in zip(H_xor, X_xor.astype(int), jitter, strict=True):
    ax.annotate(f"x=({x1},{x2})", (h1 + dx[0], h2 + dx[1]), textcoords="offset points", xytext=(8, -4))
ax.plot(line, line - 0.5, "k", label="output unit: $h_1 - h_2 = 0.5$")
ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$h_1$", ylabel="$h_2$", title="hidden space: now separable")
ax.legend(fontsize=8, loc="upper left")
fig.tight_layout()

# %% [markdown]
# The step function has zero gradient almost everywhere, so gradient descent cannot tune these weights.
# Replace it by a **sigmoid** $\sigma(z) = 1/(1+e^{-z})$ and scale all pre-activations up by a factor
# $k$: $\sigma(k z)$ approaches the step as $k$ grows. With $k = 20$ the smooth network is already
# within $10^{-3}$ of the XOR targets. The smooth network is differentiable, so it can be **learned**.

# %%
sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))
_, p_smooth = xor_net(X_xor, phi=sigmoid, scale=20.0)
print("sigmoid version, k = 20:", p_smooth)
assert np.max(np.abs(p_smooth - y_xor)) < 1e-3

# %% [markdown]
# ## 2. Learning XOR by gradient descent
#
# Now we let gradient descent find the weights of a 2-$H$-1 network with sigmoid hidden units
# ($H$ = `num_hiddens`). The output is $p = \sigma(\mathbf W_2 \mathbf h + b_2)$, trained with the binary
# cross-entropy of `01_perceptron` by full-batch gradient descent. PyTorch's autograd computes the
# gradients; `03_backprop_numpy` shows how it does that.
#
# Training one network this small is cheap, but Python's overhead per step is not. So we train **20
# networks at once**, one per random initialisation. The weights get a leading "network" axis, and one
# `torch.einsum` evaluates all 20 networks on the 4 points. The networks share nothing; this is only a
# faster way to run 20 experiments. The initialisation is PyTorch's default for `nn.Linear`:
# uniform in $\pm 1/\sqrt{\text{fan-in}}$.
#
# A run **succeeds** if, after 2000 steps, all four points are on the right side of $p = 1/2$.

# %%
def init_nets(num_nets, num_hiddens, seed):
    """Weights of num_nets independent 2-num_hiddens-1 networks, nn.Linear's default initialisation."""
    g = torch.Generator().manual_seed(seed)

    def uniform(shape, fan_in):
        return ((torch.rand(shape, generator=g) * 2 - 1) / fan_in**0.5).requires_grad_()

    return [uniform((num_nets, num_hiddens, 2), 2), uniform((num_nets, num_hiddens), 2),
            uniform((num_nets, 1, num_hiddens), num_hiddens), uniform((num_nets, 1), num_hiddens)]


def nets_logits(params, X):
    """Output pre-activations of every network: X (batch, 2) -> (num_nets, batch)."""
    W1, b1, W2, b2 = params
    H = torch.sigmoid(torch.einsum("nhd,bd->nbh", W1, X) + b1[:, None, :])  # (num_nets, batch, H)
    return torch.einsum("noh,nbh->nbo", W2, H)[..., 0] + b2                 # (num_nets, batch)


def train_xor_nets(num_hiddens, num_nets=20, num_steps=2000, lr=1.0, seed=0):
    """Full-batch gradient descent on the BCE of each network; returns the parameters and the final losses."""
    X, y = torch.tensor(X_xor, dtype=torch.float32), torch.tensor(y_xor, dtype=torch.float32)
    params = init_nets(num_nets, num_hiddens, seed)
    optimizer = torch.optim.SGD(params, lr=lr)
    for _ in range(num_steps):
        logits = nets_logits(params, X)
        losses = nn.functional.binary_cross_entropy_with_logits(logits, y.expand_as(logits),
                                                                reduction="none").mean(dim=1)
        optimizer.zero_grad()
        losses.sum().backward()  # the networks are independent: each gets the gradient of its own loss
        optimizer.step()
    return params, losses.detach()


X_xor_t = torch.tensor(X_xor, dtype=torch.float32)
widths, trained = [2, 3, 4], {}
for num_hiddens in progress(widths, desc="widths"):
    params, final_losses = train_xor_nets(num_hiddens)
    with torch.no_grad():
        correct = ((nets_logits(params, X_xor_t) > 0).numpy() == y_xor).all(axis=1)
    trained[num_hiddens] = (params, final_losses.numpy(), correct)
    print(f"{num_hiddens} hidden units: {correct.sum():2d}/20 runs solve XOR; "
          f"final losses of the failures: {np.round(final_losses.numpy()[~correct], 3)}")

# %% [markdown]
# With 2 hidden units (the minimum, and exactly what the hand-set solution uses) some initialisations
# get stuck. They end with one or two points misclassified, at a loss far above zero, on a plateau or
# in a local minimum that gradient descent cannot leave. With 3 or 4 units every run succeeded. This is
# a first example of a pattern that returns throughout deep learning: **over-provisioning** (more units
# than the task strictly needs) makes optimisation easier.

# %%
rates = {h: trained[h][2].mean() for h in widths}
assert rates[2] < 1.0, "expected some 2-unit runs to fail"
assert rates[2] <= rates[3] <= rates[4], f"success rate should not fall as width grows: {rates}"
assert rates[3] == rates[4] == 1.0
for h in widths:
    _ = report(f"XOR success rate, {h} sigmoid hidden units", rates[h])

fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), gridspec_kw={"width_ratios": [1.2, 1, 1, 1]})
axes[0].bar([str(h) for h in widths], [20 * rates[h] for h in widths], color="tab:blue")
axes[0].set(xlabel="hidden units", ylabel="runs solving XOR (of 20)", ylim=(0, 21), title="success rate")


def predict_net(num_hiddens, index):
    """P(y = 1 | x) of network `index` among the trained ones of this width, for (n, 2) numpy points."""
    params = trained[num_hiddens][0]
    def predict(P):
        with torch.no_grad():
            logits = nets_logits(params, torch.tensor(P, dtype=torch.float32))
        return torch.sigmoid(logits[index]).numpy()
    return predict


good2, bad2 = np.flatnonzero(trained[2][2])[0], np.flatnonzero(~trained[2][2])[0]
for ax, (h, i, what) in zip(axes[1:], [(2, good2, "solved"), (2, bad2, "stuck"), (3, 0, "solved")],
                            strict=True):
    decision_boundary(predict_net(h, i), X_xor, y_xor, ax=ax,
                      title=f"{h} hidden units, run {i}: {what} (loss {trained[h][1][i]:.2f})")
    ax.title.set_fontsize(9)
fig.tight_layout()

# %% [markdown]
# A stuck network draws a boundary that leaves one corner on the wrong side: it found a curve that
# handles three points and cannot move it without first making the loss worse.
#
# ## 3. Activation functions
#
# The nonlinearity $\phi$ applied after each affine map is called the **activation function**. The
# classic choices and their derivatives:
#
# | name | $\phi(z)$ | $\phi'(z)$ | range |
# | --- | --- | --- | --- |
# | sigmoid | $\sigma(z) = \dfrac{1}{1+e^{-z}}$ | $\sigma(z)\,(1-\sigma(z)) \le \tfrac14$ | $(0, 1)$ |
# | tanh | $\tanh(z) = 2\sigma(2z) - 1$ | $1 - \tanh^2(z) \le 1$ | $(-1, 1)$ |
# | ReLU | $\max(0, z)$ | $[z > 0]$ (0 or 1) | $[0, \infty)$ |
#
# Sigmoid and tanh **saturate**: for large $|z|$ their derivative is nearly 0, so little gradient flows
# back through them. The sigmoid's derivative is never above $1/4$, so each sigmoid layer at least
# quarters the gradient. ReLU passes the gradient unchanged wherever the unit is active. It is also
# cheap to compute, and it has been the default in hidden layers since about 2010. We check each
# derivative formula against autograd:

# %%
z = torch.linspace(-5, 5, 1001, dtype=torch.float64, requires_grad=True)
activations = {
    "sigmoid": (torch.sigmoid, lambda a: torch.sigmoid(a) * (1 - torch.sigmoid(a))),
    "tanh": (torch.tanh, lambda a: 1 - torch.tanh(a) ** 2),
    "ReLU": (torch.relu, lambda a: (a > 0).to(a.dtype)),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for name, (phi, dphi) in activations.items():
    (autograd_slope,) = torch.autograd.grad(phi(z).sum(), z)
    formula = dphi(z.detach())
    assert torch.allclose(autograd_slope, formula, atol=1e-12), name
    axes[0].plot(z.detach(), phi(z).detach(), label=name)
    axes[1].plot(z.detach(), formula, label=name + "'")
axes[0].set(title="activation $\\phi(z)$", xlabel="z", ylim=(-1.2, 2.5))
axes[1].set(title="derivative $\\phi'(z)$", xlabel="z")
axes[0].legend()
axes[1].legend()
fig.tight_layout()
d_sigmoid = activations["sigmoid"][1](z.detach())
d_tanh = activations["tanh"][1](z.detach())
assert abs(d_sigmoid.max().item() - 0.25) < 1e-12 and abs(d_tanh.max().item() - 1.0) < 1e-12
assert d_sigmoid[0].item() < 0.01 and d_tanh[0].item() < 0.001  # saturated at z = -5

# %% [markdown]
# ### Without a nonlinearity, depth buys nothing
#
# Drop the activation function and stack two layers:
#
# $$\mathbf W_2(\mathbf W_1 \mathbf x + \mathbf b_1) + \mathbf b_2 = \underbrace{\mathbf W_2 \mathbf
#   W_1}_{\mathbf W'}\,\mathbf x + \underbrace{\mathbf W_2 \mathbf b_1 + \mathbf b_2}_{\mathbf b'}.$$
#
# A composition of affine maps is affine. By induction, a linear network of **any** depth is one
# affine map, so it draws one line and fails on XOR like the perceptron. We check this numerically on a
# random 5-layer linear network (float64, so the two sides agree to rounding error):

# %%
sizes = [2, 16, 32, 16, 8, 1]
layers = [(rng.normal(size=(n_out, n_in)) / np.sqrt(n_in), rng.normal(size=n_out))
          for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
X_test_points = rng.normal(size=(100, 2))

deep = X_test_points
for W, b in layers:
    deep = deep @ W.T + b        # no activation between the layers

W_prime, b_prime = np.eye(2), np.zeros(2)
for W, b in layers:              # fold each layer into one affine map: W' <- W W', b' <- W b' + b
    W_prime, b_prime = W @ W_prime, W @ b_prime + b
collapsed = X_test_points @ W_prime.T + b_prime
gap = np.max(np.abs(deep - collapsed)) / np.max(np.abs(deep))
print(f"W' has shape {W_prime.shape}; largest relative gap between the two: {gap:.1e}")
assert gap < 1e-12
_ = report("linear collapse relative gap", gap)

# %% [markdown]
# ## 4. An MLP in PyTorch: handwritten digits
#
# In PyTorch a model is a subclass of `nn.Module`. Its layers are created in `__init__`, where they
# register their parameters, and `forward` says how data flows through them. Our MLP maps the $8\times8$
# images of scikit-learn's digits data, flattened to 64 features, through one ReLU hidden layer to 10
# **logits**, one score per class:
#
# $$\mathbf h = \operatorname{ReLU}(\mathbf W_1 \mathbf x + \mathbf b_1), \qquad
#   \mathbf o = \mathbf W_2 \mathbf h + \mathbf b_2, \qquad
#   P(y = k \mid \mathbf x) = \operatorname{softmax}(\mathbf o)_k = \frac{e^{o_k}}{\sum_j e^{o_j}}.$$
#
# There is no activation on the output layer. `nn.CrossEntropyLoss` applies the softmax and the
# negative log-likelihood together, which is more stable than applying them one after the other. It
# generalises the binary cross-entropy to $K$ classes.

# %%
class MLP(nn.Module):
    """64 -> num_hiddens (ReLU) -> 10 logits."""

    def __init__(self, num_inputs=64, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        """X (batch, num_inputs) -> logits (batch, num_outputs)."""
        return self.output(torch.relu(self.hidden(X)))


X_train, X_test, y_train, y_test = (torch.as_tensor(a).to(dlcourse.device()) for a in digits())
print(f"train {tuple(X_train.shape)}, test {tuple(X_test.shape)}")
image_grid(X_train[:16].cpu().reshape(-1, 8, 8).numpy(), ncols=16, titles=y_train[:16].tolist());

# %% [markdown]
# `dlcourse.training.fit` is the usual minibatch loop: for every batch, `optimizer.zero_grad()`, a
# forward pass, `loss.backward()` and `optimizer.step()`. We use the Adam optimiser (covered later in the
# course) with `lr` = 3e-3, batches of 64 and 30 epochs. We check accuracy on the held-out test images
# after every epoch.

# %%
torch.manual_seed(0)
model = MLP().to(dlcourse.device())
num_params = sum(p.numel() for p in model.parameters())
assert num_params == 64 * 256 + 256 + 256 * 10 + 10
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
history = fit(model, X_train, y_train, nn.CrossEntropyLoss(), optimizer, num_epochs=30, batch_size=64,
              X_val=X_test, y_val=y_test)
test_acc, train_acc = accuracy(model, X_test, y_test), accuracy(model, X_train, y_train)
print(f"{num_params} parameters; train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}")
assert test_acc >= 0.97, f"test accuracy {test_acc:.3f}"
_ = report("digits MLP test accuracy", test_acc)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
curves({"train loss": history["train loss"]}, ax=axes[0], logy=True, title="training loss")
curves({"test accuracy": history["val accuracy"]}, ax=axes[1], title="test accuracy")
axes[1].axhline(0.97, color="k", ls=":", lw=1)
fig.tight_layout()

# %% [markdown]
# The test digits the network gets wrong, each titled with its guess and the true label:

# %%
with torch.no_grad():
    predicted = model(X_test).argmax(dim=1)
wrong = torch.nonzero(predicted != y_test).flatten()[:16].cpu()
image_grid(X_test[wrong].cpu().reshape(-1, 8, 8).numpy(), ncols=8,
           titles=[f"{p}, not {t}" for p, t in zip(predicted[wrong].tolist(), y_test[wrong].tolist(), strict=True)]);

# %% [markdown]
# ## Summary
#
# - One hidden layer **re-maps** the input so that one linear unit on top can separate the classes. Two
#   threshold units suffice for XOR, with weights you can write down.
# - Gradient descent finds such weights once the units are smooth. With 2 units it sometimes gets stuck,
#   and with a few spare units it reliably succeeds.
# - The nonlinearity is essential: without it any stack of layers is a single affine map.
# - In PyTorch an MLP is a small `nn.Module`. Trained with cross-entropy and Adam, it classifies the
#   digits with ≥ 97 % test accuracy.
