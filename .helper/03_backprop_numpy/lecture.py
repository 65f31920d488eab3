# %% [markdown]
# # 03 · Backpropagation in numpy
#
# A network is a composition of simple functions, and its loss is one more function at the end.
# Training needs the gradient of that loss with respect to every weight. **Backpropagation** computes all
# of these gradients with the chain rule, in one backward sweep that costs about as much as the forward
# pass (Rumelhart, Hinton and Williams, 1986; earlier Linnainmaa, 1970, and Werbos, 1974).
#
# This notebook builds backpropagation from scratch in numpy:
#
# 1. **Computational graphs and the chain rule**: gradients of a single neuron, by hand.
# 2. **Layers as modules**: forward and backward passes for affine, ReLU, sigmoid and tanh layers, and
#    for three losses: softmax with cross-entropy, mean squared error and binary cross-entropy.
# 3. **Gradient checking**: compare each backward pass with central differences.
# 4. **A modular MLP** trained on the digits with minibatch SGD and momentum.
# 5. **The same network in PyTorch**, started from identical weights: the gradients agree to $10^{-7}$,
#    the training curves coincide, and we compare how long each takes to train.
# 6. **Memorising random labels** (Zhang et al., 2017): the same kind of MLP fits labels that carry no
#    information at all.
#
# Conventions: a batch is `X` of shape `(N, D)` (one example per row), integer labels `y` of shape
# `(N,)`. For a layer with output `Y`, `dY` is the gradient of the scalar loss with respect to `Y`. It
# always has the shape of `Y`.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

import dlcourse
from dlcourse.data import digits
from dlcourse.gradcheck import numerical_gradient, rel_error
from dlcourse.metrics import report
from dlcourse.plotting import curves
from dlcourse.training import batches, progress

rng = dlcourse.setup(0)

# %% [markdown]
# ## 1. Computational graphs and the chain rule
#
# Write a computation as a graph: every node is an elementary operation whose local derivatives we know.
# Take a sigmoid neuron with two inputs,
#
# $$f(w, x) = \sigma(w_0 x_0 + w_1 x_1 + w_2), \qquad \sigma(z) = \frac{1}{1 + e^{-z}}.$$
#
# The **forward pass** evaluates the nodes from the inputs to the output and keeps every intermediate
# value. The **backward pass** visits the nodes in reverse order. Each node receives the gradient of the
# output with respect to its own value (the *upstream* gradient) and multiplies it by its *local*
# derivatives. This is the chain rule: if $f$ depends on $a$ only through $z$, then
#
# $$\frac{\partial f}{\partial a} = \frac{\partial f}{\partial z}\,\frac{\partial z}{\partial a}.$$
#
# When a value feeds several nodes, the gradients arriving from all of them are **added**.
#
# Three local rules cover most of this graph:
#
# * an **add** node passes the upstream gradient unchanged to each of its inputs;
# * a **multiply** node $z = a b$ sends $b \cdot$upstream to $a$ and $a \cdot$upstream to $b$;
# * the **sigmoid** node multiplies the upstream gradient by $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$,
#   which it computes from its own output.

# %%
w = np.array([2.0, -3.0, -3.0])
x = np.array([-1.0, -2.0])

# forward: one line per node of the graph, keeping every value
p0 = w[0] * x[0]
p1 = w[1] * x[1]
s = p0 + p1
z = s + w[2]
f = 1 / (1 + np.exp(-z))

# backward: the same nodes in reverse, each multiplying the upstream gradient by a local derivative
df = 1.0
dz = df * f * (1 - f)  # sigmoid
ds, dw2 = dz, dz  # add: pass through
dp0, dp1 = ds, ds  # add: pass through
dw0, dx0 = dp0 * x[0], dp0 * w[0]  # multiply: swap the inputs
dw1, dx1 = dp1 * x[1], dp1 * w[1]
grad_w, grad_x = np.array([dw0, dw1, dw2]), np.array([dx0, dx1])
print(f"f = {f:.4f}; df/dw = {np.round(grad_w, 4)}; df/dx = {np.round(grad_x, 4)}")


def neuron(w, x):
    """The sigmoid neuron f(w, x) of the graph above."""
    return 1 / (1 + np.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


err_w = rel_error(grad_w, numerical_gradient(lambda v: neuron(v, x), w.copy()))
err_x = rel_error(grad_x, numerical_gradient(lambda v: neuron(w, v), x.copy()))
print(f"relative error against central differences: w {err_w:.1e}, x {err_x:.1e}")
assert err_w < 1e-8 and err_x < 1e-8

# %% [markdown]
# The graph with the forward values (green, above each edge) and the gradients of $f$ (red, below):

# %%
def draw_graph(ax):
    """Draw the neuron's computational graph with forward values and backward gradients."""
    nodes = {"w0": (0, 4), "x0": (0, 3), "w1": (0, 2), "x1": (0, 1), "w2": (0, 0),
             "*a": (1.5, 3.5), "*b": (1.5, 1.5), "+a": (3, 2.5), "+b": (4.5, 1.5), "σ": (6, 1.5)}
    edges = [("w0", "*a", w[0], dw0), ("x0", "*a", x[0], dx0), ("w1", "*b", w[1], dw1),
             ("x1", "*b", x[1], dx1), ("*a", "+a", p0, dp0), ("*b", "+a", p1, dp1),
             ("+a", "+b", s, ds), ("w2", "+b", w[2], dw2), ("+b", "σ", z, dz)]
    for a, b, value, grad in edges:
        (x_a, y_a), (x_b, y_b) = nodes[a], nodes[b]
        ax.annotate("", (x_b - 0.25, y_b), (x_a + 0.25, y_a), arrowprops=dict(arrowstyle="->", color="0.4"))
        xm, ym = (x_a + x_b) / 2, (y_a + y_b) / 2
        ax.text(xm, ym + 0.15, f"{value:.2f}", color="green", ha="center", fontsize=9)
        ax.text(xm, ym - 0.3, f"{grad:.2f}", color="crimson", ha="center", fontsize=9)
    for name, (x_n, y_n) in nodes.items():
        label = name.rstrip("ab") if name[0] in "*+" else name
        ax.text(x_n, y_n, label, ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="circle" if name[0] in "*+σ" else "round", fc="white", ec="0.3"))
    ax.annotate("", (7.2, 1.5), (6.3, 1.5), arrowprops=dict(arrowstyle="->", color="0.4"))
    ax.text(6.75, 1.65, f"{f:.2f}", color="green", ha="center", fontsize=9)
    ax.text(6.75, 1.2, f"{df:.2f}", color="crimson", ha="center", fontsize=9)
    ax.set_xlim(-0.5, 7.5)
    ax.set_ylim(-0.6, 4.6)
    ax.axis("off")


fig, ax = plt.subplots(figsize=(8, 3.6))
draw_graph(ax)
ax.set_title("forward values (green) and gradients of f (red)");

# %% [markdown]
# ## 2. Layers as modules
#
# A network is a stack of layers, so we write backpropagation once per *kind* of layer. Every layer has
#
# * `forward(X)`: compute the output `Y` and **cache** whatever the backward pass will need;
# * `backward(dY)`: given the upstream gradient `dY` (shape of `Y`), store the gradients of the layer's
#   parameters in `grads` and **return** `dX` (shape of `X`), the upstream gradient for the layer below.
#
# **Affine layer** $Y = XW + b$ with $X \in \mathbb{R}^{N\times D}$, $W \in \mathbb{R}^{D\times M}$,
# $b \in \mathbb{R}^{M}$. Each $Y_{nm} = \sum_d X_{nd} W_{dm} + b_m$ touches $W_{dm}$ through $X_{nd}$
# and touches $b_m$ once for every example. Summing over every place a variable is used gives
#
# $$\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^\top, \qquad
#   \frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial Y}, \qquad
#   \frac{\partial L}{\partial b} = \sum_{n=1}^{N} \Big(\frac{\partial L}{\partial Y}\Big)_{n,:}.$$
#
# The shapes tell you the formulas: `dW` must be `(D, M)` like `W`, and the only product of `X (N, D)`
# and `dY (N, M)` with that shape is `X.T @ dY`. The sum over $n$ in `db` comes from the bias being
# broadcast over the batch in the forward pass.
#
# **Elementwise activations** $Y = \phi(X)$ have a diagonal Jacobian, so the backward pass is an
# elementwise product $\partial L/\partial X = \partial L/\partial Y \odot \phi'(X)$:
#
# | layer | $\phi(x)$ | $\phi'(x)$, written with what the forward pass cached |
# | --- | --- | --- |
# | ReLU | $\max(0, x)$ | $\mathbb{1}[x > 0]$ |
# | sigmoid | $\sigma(x) = 1/(1 + e^{-x})$ | $y\,(1 - y)$ with $y = \sigma(x)$ |
# | tanh | $\tanh x$ | $1 - y^2$ with $y = \tanh x$ |

# %%
class Affine:
    """Y = X W + b for X of shape (N, D), W of shape (D, M), b of shape (M,)."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, X):
        self.X = X
        return X @ self.params["W"] + self.params["b"]

    def backward(self, dY):
        self.grads["W"][...] = self.X.T @ dY
        self.grads["b"][...] = dY.sum(axis=0)
        return dY @ self.params["W"].T


class ReLU:
    """Y = max(0, X), elementwise."""

    params = grads = {}

    def forward(self, X):
        self.mask = X > 0
        return X * self.mask

    def backward(self, dY):
        return dY * self.mask


class Sigmoid:
    """Y = 1 / (1 + exp(-X)), elementwise."""

    params = grads = {}

    def forward(self, X):
        self.Y = 1 / (1 + np.exp(-X))
        return self.Y

    def backward(self, dY):
        return dY * self.Y * (1 - self.Y)


class Tanh:
    """Y = tanh(X), elementwise."""

    params = grads = {}

    def forward(self, X):
        self.Y = np.tanh(X)
        return self.Y

    def backward(self, dY):
        return dY * (1 - self.Y**2)


# %% [markdown]
# ### Losses
#
# A loss layer ends the graph: `forward(scores, targets)` returns a number, and `backward()` returns the
# gradient with respect to the scores. The backward pass of the whole network starts there, from
# $\partial L/\partial L = 1$. All three losses below **average over the batch**, so their gradients
# carry a factor $1/N$.
#
# **Softmax with cross-entropy** for $K$ classes. The scores (logits) $Z \in \mathbb{R}^{N\times K}$
# become probabilities $P_{nk} = e^{Z_{nk}} / \sum_j e^{Z_{nj}}$, and the loss is the mean negative log
# probability of the correct class:
#
# $$L = -\frac{1}{N}\sum_{n} \log P_{n, y_n}, \qquad
#   \frac{\partial L}{\partial Z} = \frac{1}{N}\,\big(P - \text{onehot}(y)\big).$$
#
# The gradient is that simple because we differentiate softmax and logarithm together. Computing $e^{Z}$
# directly overflows for logits above about 709 in float64. Softmax does not change when the same
# constant is subtracted from every logit of a row, so we subtract the row's maximum first. We also
# compute $\log P$ as $Z - \max - \log\sum e^{Z - \max}$, which never takes the log of an underflowed 0.
#
# **Mean squared error** for predictions $\hat Y$ and targets $T$, both $N\times K$, averaged over all
# $NK$ entries (as `torch.nn.MSELoss` does):
#
# $$L = \frac{1}{NK}\sum_{n,k}(\hat Y_{nk} - T_{nk})^2, \qquad
#   \frac{\partial L}{\partial \hat Y} = \frac{2}{NK}(\hat Y - T).$$
#
# **Binary cross-entropy** for one logit $z_n$ per example and a target $t_n \in \{0, 1\}$, with
# $p_n = \sigma(z_n)$. Written on the logit, $-t\log p - (1-t)\log(1-p) = \operatorname{softplus}(z) - tz$
# with $\operatorname{softplus}(z) = \log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$. The right-hand
# side is stable for any $z$. The gradient is again "prediction minus target":
#
# $$L = \frac{1}{N}\sum_n \big(\operatorname{softplus}(z_n) - t_n z_n\big), \qquad
#   \frac{\partial L}{\partial z_n} = \frac{1}{N}\big(\sigma(z_n) - t_n\big).$$

# %%
class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(Z) for logits Z of shape (N, K) and labels y of shape (N,)."""

    def forward(self, Z, y):
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.P, self.y = np.exp(log_P), y
        return -log_P[np.arange(len(y)), y].mean()

    def backward(self):
        dZ = self.P.copy()
        dZ[np.arange(len(self.y)), self.y] -= 1
        return dZ / len(self.y)


class MSE:
    """Mean over all entries of (Y_hat - T)**2, both of shape (N, K)."""

    def forward(self, Y_hat, T):
        self.diff = Y_hat - T
        return np.mean(self.diff**2)

    def backward(self):
        return 2 * self.diff / self.diff.size


class BinaryCrossEntropy:
    """Mean binary cross-entropy of sigmoid(z) for logits z of shape (N,) and targets t in {0, 1}."""

    def forward(self, z, t):
        self.z, self.t = z, t
        softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
        return np.mean(softplus - t * z)

    def backward(self):
        return (1 / (1 + np.exp(-self.z)) - self.t) / len(self.z)


# %% [markdown]
# The losses agree with PyTorch's implementations on a random batch:

# %%
Z, y_small = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
T_small, t_small = rng.normal(size=(6, 4)), rng.integers(0, 2, size=6).astype(float)
ours = [SoftmaxCrossEntropy().forward(Z, y_small), MSE().forward(Z, T_small),
        BinaryCrossEntropy().forward(Z[:, 0], t_small)]
theirs = [F.cross_entropy(torch.tensor(Z), torch.tensor(y_small)).item(),
          F.mse_loss(torch.tensor(Z), torch.tensor(T_small)).item(),
          F.binary_cross_entropy_with_logits(torch.tensor(Z[:, 0]), torch.tensor(t_small)).item()]
print("numpy:  ", np.round(ours, 6), "\nPyTorch:", np.round(theirs, 6))
assert np.allclose(ours, theirs, rtol=1e-12, atol=0)

# %% [markdown]
# Why the max-subtraction matters: with a logit of 1000 the naive formula computes $e^{1000} = \infty$
# and the loss becomes `nan`. The shifted version gives the right answer (here $\log 2$: two classes tie).

# %%
big = np.array([[1000.0, 1000.0, -5.0]])
with np.errstate(over="ignore", invalid="ignore"):
    naive = -np.log(np.exp(big[0, 0]) / np.exp(big).sum())
stable = SoftmaxCrossEntropy().forward(big, np.array([0]))
print(f"naive: {naive}, stable: {stable:.6f}, log 2 = {np.log(2):.6f}")
assert np.isnan(naive) and np.isclose(stable, np.log(2), rtol=1e-12)

# %% [markdown]
# ## 3. Gradient checking
#
# A backward pass can be wrong and still train a little, so we test each one against the definition of
# the derivative. The **central difference**
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}$$
#
# has error $O(h^2)$ (the one-sided difference has error $O(h)$). With $h = 10^{-5}$ in float64 it is
# accurate to about $10^{-10}$ relative to the gradient. We compare with the **relative error**
# $\max_i |a_i - n_i| / (|a_i| + |n_i|)$, which does not depend on the scale of the gradient. In float64
# a correct backward pass gives $\lesssim 10^{-7}$ wherever the function is smooth near the test point.
# A bug typically gives $10^{-2}$ to $1$.
#
# `dlcourse.gradcheck.numerical_gradient(f, x)` implements the central difference. To check a layer
# whose output is an array, we reduce it to a scalar with a random upstream gradient $G$:
# $f(X) = \sum Y \odot G$ has $\partial f/\partial Y = G$, so `backward(G)` must return
# $\partial f/\partial X$. ReLU has a kink at 0, so we keep its test inputs at least 0.1 away from it.

# %%
N, D, M = 5, 4, 3
X_check = rng.normal(size=(N, D))
X_away = np.sign(X_check) * (0.1 + np.abs(X_check))  # no entry within 0.1 of ReLU's kink
W0, b0 = rng.normal(size=(D, M)), rng.normal(size=M)


def layer_errors(make_layer, X, G):
    """Relative errors of a layer's backward pass (input and every parameter) against central
    differences of f = sum(forward(X) * G)."""
    layer = make_layer()
    layer.forward(X)
    dX = layer.backward(G)
    errors = {"X": rel_error(dX, numerical_gradient(lambda X_: np.sum(make_layer().forward(X_) * G), X.copy()))}
    for name, value in layer.params.items():
        def f(p, name=name):
            fresh = make_layer()
            fresh.params[name] = p
            return np.sum(fresh.forward(X) * G)
        errors[name] = rel_error(layer.grads[name], numerical_gradient(f, value.copy()))
    return errors


def loss_error(loss, scores, targets):
    """Relative error of a loss's backward pass against central differences."""
    loss.forward(scores, targets)
    analytic = loss.backward()
    return rel_error(analytic, numerical_gradient(lambda s: loss.forward(s, targets), scores.copy()))


errors = {}
for name, value in layer_errors(lambda: Affine(W0.copy(), b0.copy()), X_check, rng.normal(size=(N, M))).items():
    errors[f"affine d{name}"] = value
for name, make in [("ReLU", ReLU), ("sigmoid", Sigmoid), ("tanh", Tanh)]:
    errors[f"{name} dX"] = layer_errors(make, X_away, rng.normal(size=(N, D)))["X"]
errors["softmax-CE dZ"] = loss_error(SoftmaxCrossEntropy(), X_check, rng.integers(0, D, size=N))
errors["MSE dŶ"] = loss_error(MSE(), X_check, rng.normal(size=(N, D)))
errors["BCE dz"] = loss_error(BinaryCrossEntropy(), X_check[:, 0], rng.integers(0, 2, size=N).astype(float))
for name, value in errors.items():
    print(f"{name:15s} {value:.1e}")
assert max(errors.values()) <= 1e-7, errors

# %% [markdown]
# A typical bug for comparison: a ReLU whose backward pass forgets the mask and passes the gradient
# through for negative inputs as well. The gradient check catches it at once.

# %%
class LeakyBugReLU(ReLU):
    """A wrong ReLU: the backward pass ignores the mask."""

    def backward(self, dY):
        return dY


bug_error = layer_errors(LeakyBugReLU, X_away, rng.normal(size=(N, D)))["X"]
print(f"buggy ReLU: relative error {bug_error:.2f}")
assert bug_error > 0.1

fig, ax = plt.subplots(figsize=(7, 3.4))
names = list(errors) + ["buggy ReLU dX"]
values = list(errors.values()) + [bug_error]
ax.barh(names, np.maximum(values, 1e-17), color=["tab:blue"] * len(errors) + ["tab:red"])
ax.axvline(1e-7, color="k", ls="--", label="1e-7")
ax.set_xscale("log")
ax.set_xlabel("relative error against central differences")
ax.invert_yaxis()
ax.legend();

# %% [markdown]
# ## 4. A modular MLP with minibatch SGD and momentum
#
# With layers as modules, a network is a list of layers. The forward pass calls `forward` from the
# first layer to the last, and the backward pass calls `backward` from the last to the first, handing
# each layer's `dX` to the layer below.
#
# **Minibatch SGD** estimates the gradient on a random batch of `batch_size` examples instead of the
# whole training set. **Momentum** keeps a running velocity $v$ for every parameter $\theta$, which
# smooths the noisy minibatch gradients $g$ and speeds up progress along directions where successive
# gradients agree. We use PyTorch's convention, with learning rate $\eta$ and momentum $\mu$:
#
# $$v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta\, v.$$

# %%
class Sequential:
    """Layers applied in order; backward runs them in reverse."""

    def __init__(self, *layers):
        self.layers = layers

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dY):
        for layer in reversed(self.layers):
            dY = layer.backward(dY)
        return dY

    def parameters(self):
        """(parameter, gradient) pairs of all layers; both are arrays updated in place."""
        return [(layer.params[k], layer.grads[k]) for layer in self.layers for k in layer.params]


class SGDMomentum:
    """v <- momentum * v + g;  p <- p - lr * v, for every (p, g) pair of a model."""

    def __init__(self, model, lr, momentum=0.9):
        self.model, self.lr, self.momentum = model, lr, momentum
        self.velocities = [np.zeros_like(p) for p, _ in model.parameters()]

    def step(self):
        for (p, g), v in zip(self.model.parameters(), self.velocities, strict=True):
            v *= self.momentum
            v += g
            p -= self.lr * v


def init_mlp(sizes, seed, dtype=np.float64):
    """He-initialised weights [(W, b), ...] for layer sizes [D, H1, ..., K]."""
    gen = np.random.default_rng(seed)
    return [(gen.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)).astype(dtype), np.zeros(n_out, dtype))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def numpy_mlp(weights):
    """Affine-ReLU-...-Affine network with copies of the given weights."""
    layers = []
    for i, (W, b) in enumerate(weights):
        layers.append(Affine(W.copy(), b.copy()))
        if i < len(weights) - 1:
            layers.append(ReLU())
    return Sequential(*layers)


def train_numpy(model, X, y, num_epochs, lr, momentum=0.9, batch_size=32, seed=0, X_test=None, y_test=None):
    """Minibatch SGD with momentum; returns the mean training loss of every epoch (and, when test data
    is given, the training and test accuracy after every epoch)."""
    loss_fn, optimizer = SoftmaxCrossEntropy(), SGDMomentum(model, lr, momentum)
    order = np.random.default_rng(seed)
    history = {"train loss": [], "train accuracy": [], "test accuracy": []}
    for _ in range(num_epochs):
        total = 0.0
        for idx in batches(len(X), batch_size, order):
            loss = loss_fn.forward(model.forward(X[idx]), y[idx])
            model.backward(loss_fn.backward())
            optimizer.step()
            total += loss * len(idx)
        history["train loss"].append(total / len(X))
        if X_test is not None:
            history["train accuracy"].append(np.mean(model.forward(X).argmax(axis=1) == y))
            history["test accuracy"].append(np.mean(model.forward(X_test).argmax(axis=1) == y_test))
    return history


# %% [markdown]
# The digits are 8×8 images with pixels in $[0, 1]$: 1437 for training and 360 for testing. The network
# is 64 → 128 → 10 with a ReLU in between.

# %%
X_train, X_test, y_train, y_test = digits(dtype=np.float64)
sizes, num_epochs, lr, batch_size = [64, 128, 10], 30, 0.1, 32
weights0 = init_mlp(sizes, seed=1)

mlp = numpy_mlp(weights0)
history = train_numpy(mlp, X_train, y_train, num_epochs, lr, batch_size=batch_size,
                      X_test=X_test, y_test=y_test)
test_acc = history["test accuracy"][-1]
report("numpy MLP test accuracy", test_acc)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
curves({"train loss": history["train loss"]}, ax=axes[0], logy=True, title="numpy MLP on digits")
curves({k: history[k] for k in ("train accuracy", "test accuracy")}, ax=axes[1], title="accuracy")
fig.tight_layout()
assert test_acc >= 0.96, f"test accuracy {test_acc:.3f}"
assert history["train loss"][-1] < 0.05 * history["train loss"][0]

# %% [markdown]
# ## 5. The same network in PyTorch
#
# PyTorch's autograd records the same computational graph during the forward pass and runs the same
# backward pass. If our code is right, a PyTorch model with **identical initial weights** gives the same
# gradients. In float64 these agree up to rounding, far below $10^{-7}$ relative error. Note that
# `nn.Linear` stores its weight as `(M, D)`, the transpose of our `W`.

# %%
def torch_mlp(weights, dtype=torch.float64):
    """nn.Sequential of Linear/ReLU layers with the given numpy weights (W transposed for nn.Linear)."""
    layers = []
    for i, (W, b) in enumerate(weights):
        linear = torch.nn.Linear(*W.shape, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if i < len(weights) - 1:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


X_batch, y_batch = X_train[:64], y_train[:64]
ours = numpy_mlp(weights0)
loss_fn = SoftmaxCrossEntropy()
loss_np = loss_fn.forward(ours.forward(X_batch), y_batch)
ours.backward(loss_fn.backward())

theirs = torch_mlp(weights0)
loss_t = F.cross_entropy(theirs(torch.from_numpy(X_batch)), torch.from_numpy(y_batch))
loss_t.backward()

torch_grads = []
for module in theirs:
    if isinstance(module, torch.nn.Linear):
        torch_grads += [module.weight.grad.numpy().T, module.bias.grad.numpy()]
grad_errors = [rel_error(g, tg) for (_, g), tg in zip(ours.parameters(), torch_grads, strict=True)]
print(f"loss: numpy {loss_np:.12f}, PyTorch {loss_t.item():.12f}")
print("relative errors of dW1, db1, dW2, db2:", [f"{e:.1e}" for e in grad_errors])
report("max gradient relative error numpy vs PyTorch", max(grad_errors))
assert max(grad_errors) <= 1e-7 and abs(loss_np - loss_t.item()) <= 1e-12

# %% [markdown]
# Now train the PyTorch model with the same minibatches in the same order (`torch.optim.SGD` uses the
# momentum rule above). The two runs are the same computation, so their loss curves lie on top of each
# other.

# %%
def train_torch(model, X, y, num_epochs, lr, momentum=0.9, batch_size=32, seed=0):
    """The training loop of train_numpy, in PyTorch; returns the mean training loss of every epoch."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    order = np.random.default_rng(seed)
    losses = []
    for _ in range(num_epochs):
        total = 0.0
        for idx in batches(len(X), batch_size, order):
            index = torch.from_numpy(idx)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses


torch_losses = train_torch(torch_mlp(weights0), X_train, y_train, num_epochs, lr, batch_size=batch_size)
curve_gap = rel_error(history["train loss"], torch_losses)
print(f"largest relative difference between the two loss curves: {curve_gap:.1e}")

fig, ax = plt.subplots()
ax.plot(range(1, num_epochs + 1), history["train loss"], lw=4, alpha=0.5, label="numpy")
ax.plot(range(1, num_epochs + 1), torch_losses, "k--", label="PyTorch")
ax.set(yscale="log", xlabel="epoch", ylabel="mean training loss", title="identical initial weights, float64")
ax.legend()
report("max relative gap numpy vs PyTorch loss curves", curve_gap)
assert curve_gap <= 1e-7

# %% [markdown]
# ### Which one is faster?
#
# For a network this small, numpy trains *faster* than PyTorch. Each minibatch step does only a few
# small matrix products. PyTorch adds a fixed cost to every operation: building the autograd graph,
# dispatching each operator and running the optimiser's bookkeeping. At this size that overhead is larger
# than the arithmetic. We time both for 30 epochs in float32 (the usual training precision). Each
# timing is the best of three runs, which filters out interruptions by other processes. We check that
# numpy takes at most 1.5 times as long as PyTorch.

# %%
def best_time(fn, repeats=3):
    """Smallest wall-clock time of fn() over a few runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


weights32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in weights0]
X32 = X_train.astype(np.float32)
train_torch(torch_mlp(weights32, torch.float32), X32, y_train, 1, lr)  # warm-up: first calls are slow
numpy_seconds = best_time(lambda: train_numpy(numpy_mlp(weights32), X32, y_train, num_epochs, lr))
torch_seconds = best_time(lambda: train_torch(torch_mlp(weights32, torch.float32), X32, y_train, num_epochs, lr))
ratio = numpy_seconds / torch_seconds
report("numpy MLP training time (30 epochs)", numpy_seconds, "s")
report("PyTorch MLP training time (30 epochs)", torch_seconds, "s")
report("numpy / PyTorch training time", ratio)

fig, ax = plt.subplots(figsize=(5, 2.2))
ax.barh(["numpy", "PyTorch"], [numpy_seconds, torch_seconds], color=["tab:blue", "tab:orange"])
ax.set_xlabel("seconds for 30 epochs (float32, one thread)")
ax.invert_yaxis()
assert ratio <= 1.5, f"numpy took {ratio:.2f} times as long as PyTorch"

# %% [markdown]
# ## 6. Memorising random labels
#
# Zhang et al. (2017, *Understanding deep learning requires rethinking generalization*) trained standard
# networks on data whose labels had been **shuffled at random**, so that the labels had nothing to do
# with the images. The networks still reached 100 % training accuracy. Test accuracy stayed at chance,
# because there was nothing to generalise. A network large enough to fit the real data can also
# memorise noise, so the capacity of a model alone cannot explain why it generalises.
#
# We repeat the experiment on the digits with a larger MLP, 64 → 512 → 512 → 10 (about 300k
# parameters for 1437 training images). We train it once on the true labels and once on a random
# permutation of them, with the same weights, schedule and number of epochs, and record the accuracy
# after every epoch. The runs use float32 to save time.

# %%
def memorise(labels, num_epochs=65, lr=0.05, batch_size=64):
    """Train the 512x2 MLP on X_train with the given labels; returns its accuracy history."""
    model = numpy_mlp(init_mlp([64, 512, 512, 10], seed=2, dtype=np.float32))
    loss_fn, optimizer = SoftmaxCrossEntropy(), SGDMomentum(model, lr)
    order = np.random.default_rng(0)
    history = {"train accuracy": [], "test accuracy": []}
    for _ in progress(range(num_epochs), desc="memorising"):
        for idx in batches(len(X32), batch_size, order):
            loss_fn.forward(model.forward(X32[idx]), labels[idx])
            model.backward(loss_fn.backward())
            optimizer.step()
        history["train accuracy"].append(np.mean(model.forward(X32).argmax(axis=1) == labels))
        history["test accuracy"].append(np.mean(model.forward(X_test.astype(np.float32)).argmax(axis=1) == y_test))
    return history


y_random = np.random.default_rng(3).permutation(y_train)
print(f"labels that survive the shuffle: {np.mean(y_random == y_train):.3f} (chance: 0.1)")
start = time.perf_counter()
true_run, random_run = memorise(y_train), memorise(y_random)
memorise_seconds = (time.perf_counter() - start) / 2

fig, ax = plt.subplots(figsize=(7, 4))
epochs = np.arange(1, len(true_run["train accuracy"]) + 1)
ax.plot(epochs, true_run["train accuracy"], "tab:blue", label="true labels: train")
ax.plot(epochs, true_run["test accuracy"], "tab:blue", ls="--", label="true labels: test")
ax.plot(epochs, random_run["train accuracy"], "tab:red", label="random labels: train")
ax.plot(epochs, random_run["test accuracy"], "tab:red", ls="--", label="random labels: test")
ax.axhline(0.1, color="0.5", lw=1, ls=":", label="chance")
ax.set(xlabel="epoch", ylabel="accuracy", title="64-512-512-10 MLP on digits")
ax.legend(loc="center right")

report("random-label train accuracy", random_run["train accuracy"][-1])
report("random-label test accuracy", random_run["test accuracy"][-1])
report("true-label test accuracy (512x2 MLP)", true_run["test accuracy"][-1])
report("512x2 MLP training time per run", memorise_seconds, "s")
assert random_run["train accuracy"][-1] == 1.0
assert random_run["test accuracy"][-1] <= 0.2
assert true_run["train accuracy"][-1] == 1.0 and true_run["test accuracy"][-1] >= 0.96

# %% [markdown]
# Both networks fit their training labels perfectly. The true labels are fitted within a few epochs,
# while the random labels take many more, and the one trained on random labels has learned nothing that
# transfers to new images. The plot shows the difference in speed:

# %%
first_true = int(np.argmax(np.array(true_run["train accuracy"]) >= 0.99)) + 1
first_random = int(np.argmax(np.array(random_run["train accuracy"]) >= 0.99)) + 1
print(f"epochs to 99 % training accuracy: true labels {first_true}, random labels {first_random}")
assert 3 * first_true <= first_random

# %% [markdown]
# ## Summary
#
# * Backpropagation is the chain rule applied node by node, in reverse order of the forward pass. Each
#   layer needs only its local derivative and the upstream gradient.
# * Affine layer: `dX = dY @ W.T`, `dW = X.T @ dY`, `db = dY.sum(axis=0)`. The shapes tell you the
#   formulas. Activations multiply elementwise by their derivative.
# * Softmax with cross-entropy, MSE and binary cross-entropy all have a "prediction minus target"
#   gradient. With the batch mean in the loss, they carry a factor $1/N$. Subtract the row maximum
#   before exponentiating.
# * Gradient checks with central differences in float64 separate correct backward passes
#   (relative error about $10^{-10}$) from wrong ones ($10^{-1}$).
# * Our numpy MLP and PyTorch compute the same gradients and the same training curve. At this size
#   numpy is even faster.
# * An MLP that generalises on true labels can also memorise random ones. Generalisation depends on the
#   data as well as on the model.
