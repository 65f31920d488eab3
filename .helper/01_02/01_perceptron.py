# %% [markdown]
# # 01 · The perceptron
#
# Deep networks are built from one simple part: a unit that takes a weighted sum of its inputs, adds a
# bias and passes the result through a nonlinearity. This notebook studies that unit on its own.
#
# 1. **McCulloch–Pitts unit** (1943): a threshold unit whose weights a person sets by hand.
# 2. **Rosenblatt's perceptron** (1958): the same unit, but it *learns* its weights from examples. On
#    linearly separable data it always converges, and **Novikoff's theorem** bounds the number of
#    mistakes it makes before converging.
# 3. **XOR**: four points that no single linear unit can classify. This is why we need several layers
#    (the topic of `02_mlp_xor`).
# 4. **Logistic regression**: replace the hard threshold by a sigmoid so that the loss is
#    differentiable, derive its gradient, check that gradient numerically, and train by gradient
#    descent.
#
# Conventions: a data set is `X` of shape `(N, D)` (one example per row) with labels `y` of shape `(N,)`.
# The perceptron uses labels in $\{-1, +1\}$. Logistic regression uses labels in $\{0, 1\}$.

# %%
import matplotlib.pyplot as plt
import numpy as np

import dlcourse
from dlcourse.data import linearly_separable, xor
from dlcourse.gradcheck import numerical_gradient, rel_error
from dlcourse.metrics import report
from dlcourse.plotting import curves, decision_boundary

rng = dlcourse.setup(0)

# %% [markdown]
# ## 1. The McCulloch–Pitts unit
#
# McCulloch and Pitts modelled a neuron as a *threshold unit* on binary inputs $x_j \in \{0, 1\}$:
#
# $$\hat y = \phi\Big(\sum_{j=1}^{D} w_j x_j + b\Big), \qquad
#   \phi(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
#
# Nothing is learned here: a person picks $w$ and $b$. With suitable weights and biases one unit
# computes AND, OR or NOT, and networks of such units can compute any Boolean function. Each unit
# draws one straight line through the input plane: inputs on one side fire and inputs on the other side
# do not.

# %%
def step(z):
    """Heaviside step: 1 where z > 0, else 0 (same shape as z)."""
    return (np.asarray(z) > 0).astype(int)


def mp_unit(X, w, b):
    """McCulloch–Pitts unit on X of shape (N, D): returns N outputs in {0, 1}."""
    return step(X @ w + b)


X_bool = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
gates = {  # name: (w, b, truth table)
    "AND": (np.array([1, 1]), -1.5, np.array([0, 0, 0, 1])),
    "OR": (np.array([1, 1]), -0.5, np.array([0, 1, 1, 1])),
    "NAND": (np.array([-1, -1]), 1.5, np.array([1, 1, 1, 0])),
}
for name, (w, b, table) in gates.items():
    out = mp_unit(X_bool, w, b)
    assert np.array_equal(out, table), (name, out)
    print(f"{name:5s} w={w}, b={b:+.1f} -> {out}")
not_out = mp_unit(np.array([[0], [1]]), np.array([-1]), 0.5)
assert np.array_equal(not_out, [1, 0])
print("NOT   w=[-1], b=+0.5 ->", not_out)

# %% [markdown]
# Each gate is a line $w_1 x_1 + w_2 x_2 + b = 0$ that separates the corners where the unit fires
# (blue) from the corners where it stays silent (red):

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
for ax, (name, (w, b, table)) in zip(axes, gates.items(), strict=True):
    decision_boundary(lambda P, w=w, b=b: mp_unit(P, w, b), X_bool.astype(float), table, ax=ax, title=name)
fig.tight_layout()

# %% [markdown]
# ## 2. Rosenblatt's perceptron
#
# The perceptron uses labels $y \in \{-1, +1\}$ and predicts $\hat y(\mathbf x) = \operatorname{sign}(\mathbf w^\top
# \mathbf x + b)$. In this notebook **the bias $b$ is a separate parameter**. Rosenblatt's rule visits
# the examples one at a time and changes the weights only when it makes a mistake,
# $y^{(i)}(\mathbf w^\top \mathbf x^{(i)} + b) \le 0$:
#
# $$\mathbf w \leftarrow \mathbf w + y^{(i)} \mathbf x^{(i)}, \qquad b \leftarrow b + y^{(i)}.$$
#
# This rule is the same as folding the bias into the weights: append a constant 1 to every input,
# $\tilde{\mathbf x} = (\mathbf x, 1)$ and $\tilde{\mathbf w} = (\mathbf w, b)$, and apply
# $\tilde{\mathbf w} \leftarrow \tilde{\mathbf w} + y\,\tilde{\mathbf x}$. We use the folded form
# below for the convergence proof. Why does the update help? After it,
# $y\,\tilde{\mathbf w}_{\text{new}}^\top \tilde{\mathbf x} = y\,\tilde{\mathbf w}^\top \tilde{\mathbf x} +
# \|\tilde{\mathbf x}\|^2$, so the score of the misclassified example moves towards the correct sign.
#
# Training stops after an *epoch* (one pass over the data in a random order) that makes no mistake. The
# sign function has zero derivative almost everywhere, so the perceptron cannot be trained by gradient
# descent. This rule is its replacement.

# %%
def perceptron_train(X, y, max_epochs=1000, rng=None):
    """Rosenblatt's perceptron on X (N, D), labels y (N,) in {-1, +1}, starting from w = 0, b = 0.

    Returns w (D,), b and the list of mistakes made in each epoch; it stops after the first epoch
    without a mistake or after max_epochs.
    """
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        mistakes = 0
        order = rng.permutation(len(X)) if rng is not None else range(len(X))
        for i in order:
            if y[i] * (X[i] @ w + b) <= 0:  # wrong side of the line, or on it
                w += y[i] * X[i]
                b += y[i]
                mistakes += 1
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0:
            break
    return w, b, mistakes_per_epoch


def perceptron_predict(X, w, b):
    """Labels in {-1, +1} for X of shape (N, D)."""
    return np.where(X @ w + b > 0, 1, -1)


X, y = linearly_separable(n=100, margin=0.5, seed=0)
w, b, history = perceptron_train(X, y, rng=rng)
train_error = np.mean(perceptron_predict(X, w, b) != y)
print(f"w = {w}, b = {b:+.0f}; mistakes per epoch: {history}")
assert history[-1] == 0 and train_error == 0.0
_ = report("perceptron epochs to converge (margin 0.5)", len(history))

# %%
ax = decision_boundary(lambda P: perceptron_predict(P, w, b), X, y,
                       title=f"perceptron after {len(history)} epochs")

# %% [markdown]
# ### Convergence: Novikoff's theorem
#
# Suppose some unit vector $\mathbf u$ (in the folded space, $\|\mathbf u\| = 1$) separates the data
# with **margin** $\gamma > 0$, that is $y^{(i)}\, \mathbf u^\top \tilde{\mathbf x}^{(i)} \ge \gamma$
# for all $i$. Let $R = \max_i \|\tilde{\mathbf x}^{(i)}\|$. Then the perceptron, started at
# $\tilde{\mathbf w} = 0$, makes at most
#
# $$k \le \left(\frac{R}{\gamma}\right)^2$$
#
# mistakes, whatever order it visits the examples in. The proof has two steps. After $k$ mistakes,
# (i) every update adds at least $\gamma$ to $\mathbf u^\top \tilde{\mathbf w}$, so
# $\mathbf u^\top \tilde{\mathbf w} \ge k\gamma$; (ii) every update adds at most $R^2$ to
# $\|\tilde{\mathbf w}\|^2$, because the cross term $2y\,\tilde{\mathbf w}^\top \tilde{\mathbf x}$ is
# $\le 0$ on a mistake, so $\|\tilde{\mathbf w}\| \le \sqrt{k} R$. By Cauchy–Schwarz,
# $k\gamma \le \mathbf u^\top \tilde{\mathbf w} \le \|\tilde{\mathbf w}\| \le \sqrt k R$, hence
# $k \le (R/\gamma)^2$.
#
# To check the bound we need a $\gamma$. Any separating $\mathbf u$ gives a valid one, and a larger
# $\gamma$ gives a tighter bound. We search 3600 directions of the line. For each direction we put the
# offset midway between the two classes and keep the largest folded margin we find.

# %%
def folded_margin(X, y, num_angles=3600):
    """Largest margin gamma, in the folded space (x, 1), found over num_angles line directions."""
    angles = np.linspace(0, 2 * np.pi, num_angles, endpoint=False)
    normals = np.column_stack([np.cos(angles), np.sin(angles)])  # (A, 2)
    scores = X @ normals.T  # (N, A)
    lowest_pos = np.where(y[:, None] > 0, scores, np.inf).min(axis=0)
    highest_neg = np.where(y[:, None] < 0, scores, -np.inf).max(axis=0)
    gap = lowest_pos - highest_neg
    b = -(lowest_pos + highest_neg) / 2
    # u = (n, b) / ||(n, b)|| with ||n|| = 1; its smallest y * u.x~ is (gap / 2) / sqrt(1 + b^2)
    gamma = np.where(gap > 0, gap / 2 / np.sqrt(1 + b**2), -np.inf)
    return gamma.max()


margins, seeds = [1.0, 0.3, 0.1, 0.03], range(20)
results = {margin: [] for margin in margins}  # margin -> list of (mistakes, epochs, bound)
for margin in margins:
    for seed in seeds:
        Xs, ys = linearly_separable(n=200, margin=margin, seed=seed)
        _, _, hist = perceptron_train(Xs, ys, rng=np.random.default_rng(seed))
        R = np.sqrt((Xs**2).sum(axis=1) + 1).max()
        gamma = folded_margin(Xs, ys)
        assert hist[-1] == 0, f"did not converge: margin {margin}, seed {seed}"
        results[margin].append((sum(hist), len(hist), (R / gamma) ** 2))

print("margin  mean mistakes  max epochs  median (R/gamma)^2  largest mistakes/bound")
for margin in margins:
    r = np.array(results[margin])
    print(f"{margin:6.2f}  {r[:, 0].mean():13.1f}  {r[:, 1].max():10.0f}  {np.median(r[:, 2]):18.0f}"
          f"  {(r[:, 0] / r[:, 2]).max():22.3f}")

# %% [markdown]
# All 80 runs converged. Each one made no more mistakes than Novikoff's bound allows, and usually far
# fewer: the bound is a worst case over every possible order of the examples. A smaller gap between the
# classes means more mistakes on average.

# %%
all_runs = np.array([run for margin in margins for run in results[margin]])
assert np.all(all_runs[:, 0] <= all_runs[:, 2]), "Novikoff's bound violated"
mean_mistakes = [np.mean([run[0] for run in results[margin]]) for margin in margins]
assert all(a < b for a, b in zip(mean_mistakes[:-1], mean_mistakes[1:], strict=True)), mean_mistakes
_ = report("perceptron largest mistakes / (R/gamma)^2", (all_runs[:, 0] / all_runs[:, 2]).max())

fig, ax = plt.subplots(figsize=(5.5, 4))
for margin in margins:
    r = np.array(results[margin])
    ax.scatter(r[:, 2], r[:, 0], label=f"margin {margin}", s=18)
limits = np.array([1, all_runs[:, 2].max() * 1.5])
ax.plot(limits, limits, "k--", label="bound: mistakes = $(R/\\gamma)^2$")
ax.set(xscale="log", yscale="log", xlabel="$(R/\\gamma)^2$", ylabel="mistakes until convergence",
       title="The perceptron stays below Novikoff's bound")
ax.legend(fontsize=8)

# %% [markdown]
# ## 3. XOR: where a single unit fails
#
# XOR labels $(0,1)$ and $(1,0)$ positive and $(0,0)$ and $(1,1)$ negative. Suppose a line
# $w_1 x_1 + w_2 x_2 + b$ classified all four correctly, with positive scores on the positive points and
# non-positive scores on the negative ones. Then
#
# $$\underbrace{(w_2 + b)}_{(0,1):\;>0} + \underbrace{(w_1 + b)}_{(1,0):\;>0} \;>\; 0
#   \;\ge\; \underbrace{b}_{(0,0):\;\le 0} + \underbrace{(w_1 + w_2 + b)}_{(1,1):\;\le 0},$$
#
# but both sides equal $w_1 + w_2 + 2b$. This is a contradiction, so **every linear classifier gets at
# least one of the four points wrong: its error is at least 1/4**. The bound is tight, because OR gets
# exactly one point, $(1,1)$, wrong. Geometrically, the two diagonals of the square cross, so no line can
# put them on different sides.
#
# A numerical check of the same fact: a dense search over line directions and offsets (and the two
# constant classifiers) finds no classifier with error below 1/4.

# %%
X_xor, y01 = xor()
y_xor = 2 * y01 - 1  # labels in {-1, +1}

angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
offsets = np.linspace(-2, 2, 801)
normals = np.column_stack([np.cos(angles), np.sin(angles)])  # (720, 2)
scores = (X_xor @ normals.T)[:, :, None] + offsets  # (4 points, 720 directions, 801 offsets)
predictions = np.where(scores > 0, 1, -1)
errors = (predictions != y_xor[:, None, None]).mean(axis=0)
constant_errors = [np.mean(y_xor != 1), np.mean(y_xor != -1)]
best_error = min(errors.min(), *constant_errors)
print(f"searched {errors.size:,} lines: smallest XOR error = {best_error}")
assert best_error == 0.25
_ = report("best linear error on XOR (dense search)", best_error)

# %% [markdown]
# What does the perceptron do on XOR? Its convergence proof needs a margin $\gamma > 0$, and on XOR
# there is none. The perceptron never stops. If it visits the points in the fixed order
# $(0,0), (0,1), (1,0), (1,1)$, all four are mistakes and the four updates cancel: every epoch ends back
# at $\mathbf w = 0, b = 0$, a cycle. In a random order the weights keep changing and there is still
# at least one mistake in **every** epoch.

# %%
w_fixed, b_fixed, fixed_history = perceptron_train(X_xor, y_xor, max_epochs=1000)
assert fixed_history == [4] * 1000 and np.all(w_fixed == 0) and b_fixed == 0
w_x, b_x, xor_history = perceptron_train(X_xor, y_xor, max_epochs=1000, rng=np.random.default_rng(1))
assert len(xor_history) == 1000 and min(xor_history) >= 1, "perceptron should never converge on XOR"
print(f"random order, after 1000 epochs: w = {w_x}, b = {b_x:+.0f}; "
      f"fewest mistakes in an epoch = {min(xor_history)}, mean = {np.mean(xor_history):.2f}")

fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(np.arange(1, 1001), xor_history, lw=0.6)
ax.set(xlabel="epoch", ylabel="mistakes in the epoch", ylim=(0, 4.2),
       title="perceptron on XOR (random order): never a clean epoch")
fig.tight_layout()

# %% [markdown]
# ## 4. Logistic regression: a differentiable perceptron
#
# Replace the step by the **sigmoid** $\sigma(z) = 1/(1 + e^{-z})$ and read the output as a probability,
# $f(\mathbf x) = P(y = 1 \mid \mathbf x) = \sigma(\mathbf w^\top \mathbf x + b)$, with labels
# $y \in \{0, 1\}$. The maximum-likelihood loss is the **binary cross-entropy**, averaged over the data:
#
# $$\mathcal L(\mathbf w, b) = -\frac1N \sum_{i=1}^N \Big[y^{(i)} \log f(\mathbf x^{(i)})
#    + (1 - y^{(i)}) \log\big(1 - f(\mathbf x^{(i)})\big)\Big].$$
#
# **Gradient.** Write $z_i = \mathbf w^\top \mathbf x^{(i)} + b$ and $p_i = \sigma(z_i)$. Using
# $\log \sigma(z) = -\log(1 + e^{-z})$ and $\log(1 - \sigma(z)) = -z - \log(1 + e^{-z})$, each term of
# the loss is $\ell_i = \log(1 + e^{z_i}) - y_i z_i$. (This form is also the numerically stable way to
# compute it: `np.logaddexp(0, z) - y * z`.) Differentiating,
# $\partial \ell_i / \partial z_i = \sigma(z_i) - y_i = p_i - y_i$, and by the chain rule
#
# $$\frac{\partial \mathcal L}{\partial \mathbf w} = \frac1N \sum_i (p_i - y_i)\, \mathbf x^{(i)}
#   = \frac1N X^\top (\mathbf p - \mathbf y), \qquad
#   \frac{\partial \mathcal L}{\partial b} = \frac1N \sum_i (p_i - y_i).$$
#
# This looks like the perceptron rule: each example pushes $\mathbf w$ along $\pm\mathbf x^{(i)}$. But
# every example contributes, weighted by how wrong its *probability* is, instead of only the
# misclassified ones with weight 1.

# %%
def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def bce_loss(w, b, X, y):
    """Mean binary cross-entropy of sigmoid(X @ w + b) against y in {0, 1}; X (N, D), w (D,)."""
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def bce_grad(w, b, X, y):
    """Gradient of bce_loss: (dL/dw of shape (D,), dL/db scalar)."""
    residual = sigmoid(X @ w + b) - y  # (N,)
    return X.T @ residual / len(X), residual.mean()


# %% [markdown]
# Before using a hand-derived gradient, **check it**. Central differences,
# $(\mathcal L(\theta + h e_j) - \mathcal L(\theta - h e_j)) / 2h$, have an error of order $h^2$. In
# float64 with $h = 10^{-5}$ the relative error against a correct analytic gradient is about $10^{-9}$
# or smaller, and a wrong formula gives an error of order 1.

# %%
X_check = rng.normal(size=(30, 3))
y_check = (rng.random(30) < 0.5).astype(float)
w_check, b_check = rng.normal(size=3), 0.3
gw, gb = bce_grad(w_check, b_check, X_check, y_check)
num_gw = numerical_gradient(lambda v: bce_loss(v, b_check, X_check, y_check), w_check)
num_gb = numerical_gradient(lambda v: bce_loss(w_check, v[0], X_check, y_check), np.array([b_check]))
grad_error = max(rel_error(gw, num_gw), rel_error(gb, num_gb[0]))
print(f"relative error, analytic vs central differences: {grad_error:.1e}")
assert grad_error < 1e-7
_ = report("logistic regression gradcheck relative error", grad_error)

# %% [markdown]
# Now **gradient descent**: $\mathbf w \leftarrow \mathbf w - \eta\, \partial \mathcal L/\partial
# \mathbf w$ and $b \leftarrow b - \eta\, \partial \mathcal L / \partial b$ with learning rate $\eta$
# (`lr`), on the separable data from section 2 (labels mapped to $\{0, 1\}$).

# %%
def logistic_regression_gd(X, y, lr=0.5, num_steps=500):
    """Full-batch gradient descent from w = 0, b = 0; returns w, b and the loss after every step."""
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(num_steps):
        gw, gb = bce_grad(w, b, X, y)
        w, b = w - lr * gw, b - lr * gb
        losses.append(bce_loss(w, b, X, y))
    return w, b, losses


y01_sep = (y + 1) // 2
w_lr, b_lr, lr_losses = logistic_regression_gd(X, y01_sep)
lr_accuracy = np.mean((sigmoid(X @ w_lr + b_lr) > 0.5) == y01_sep)
print(f"final loss {lr_losses[-1]:.4f}, training accuracy {lr_accuracy:.3f}")
assert lr_accuracy >= 0.98 and lr_losses[-1] < lr_losses[0] / 3
_ = report("logistic regression training accuracy (margin 0.5)", lr_accuracy)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
curves({"train loss": lr_losses}, ax=axes[0], logy=True, xlabel="step", title="binary cross-entropy")
decision_boundary(lambda P: sigmoid(P @ w_lr + b_lr), X, y01_sep, ax=axes[1], title="P(y = 1 | x)")
fig.tight_layout()

# %% [markdown]
# Unlike the perceptron's hard line, logistic regression gives a *soft* boundary: the probability
# changes smoothly across the line, and the width of the transition shrinks as $\|\mathbf w\|$ grows.
#
# **Logistic regression on XOR.** The loss is convex, so gradient descent finds its global minimum. On
# XOR that minimum is useless. At $\mathbf w = 0, b = 0$ the gradient is
# $\frac14 \sum_i (\tfrac12 - y_i)\,\tilde{\mathbf x}^{(i)} = 0$ (the points and labels are symmetric),
# so the best this model can do is to answer $p = 1/2$ for every input, with loss $\log 2$.

# %%
w_init, b_init = rng.normal(size=2), rng.normal()
w_xr, b_xr = w_init.copy(), b_init
xor_losses = []
for _ in range(3000):
    gw, gb = bce_grad(w_xr, b_xr, X_xor, y01)
    w_xr, b_xr = w_xr - 1.0 * gw, b_xr - 1.0 * gb
    xor_losses.append(bce_loss(w_xr, b_xr, X_xor, y01))
p_xor = sigmoid(X_xor @ w_xr + b_xr)
print(f"start w = {w_init}, b = {b_init:.2f} -> end w = {w_xr}, b = {b_xr:.2e}; p = {p_xor}")
assert abs(xor_losses[-1] - np.log(2)) < 1e-4 and np.all(np.abs(p_xor - 0.5) < 0.01)
_ = report("logistic regression final loss on XOR / log 2", xor_losses[-1] / np.log(2))

# %% [markdown]
# ## Summary
#
# | model | learns from data | boundary | XOR |
# | --- | --- | --- | --- |
# | McCulloch–Pitts unit | no (weights set by hand) | one line | impossible |
# | perceptron | mistake-driven rule, converges iff separable, $\le (R/\gamma)^2$ mistakes | one line | cycles forever |
# | logistic regression | gradient descent on cross-entropy | one line, soft | best is $p = 1/2$ everywhere |
#
# All three models draw **one line**. To solve XOR we need to *re-map* the input with a few units first,
# and then draw a line in the new space. That is the multilayer perceptron of `02_mlp_xor`.
