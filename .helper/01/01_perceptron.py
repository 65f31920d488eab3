# %% [markdown] locked id=intro
# # Assignment 1 — The perceptron and logistic regression
#
# You will implement Rosenblatt's perceptron (prediction, the mistake-driven update rule and the training
# loop) and logistic regression (the binary cross-entropy loss and its gradient), then explain in words why
# the perceptron cannot learn XOR.
#
# * Write your code only where it says `YOUR CODE HERE`, replacing `raise NotImplementedError()`.
# * Each function's docstring is its specification: it gives the shape of every input and output.
# * Cells that start with a one-line description in quotes are **tests**. The visible ones run when you
#   press **Validate**; hidden tests with other inputs are added when your work is graded.
# * Restart the kernel and run all cells before you submit (*Kernel → Restart Kernel and Run All Cells*).
#
# Labels: the perceptron uses $y \in \{-1, +1\}$; logistic regression uses $y \in \{0, 1\}$.

# %% locked id=setup
import matplotlib.pyplot as plt
import numpy as np

import dlcourse
from autograder.checks import *
from dlcourse.data import linearly_separable, xor
from dlcourse.plotting import decision_boundary

rng = dlcourse.setup(0)

# %% [markdown] locked id=predict-text
# ## 1. Prediction (2 points)
#
# A perceptron with weights $\mathbf{w}$ and bias $b$ labels a point $\mathbf{x}$ by the side of the
# hyperplane $\mathbf{w}^\top\mathbf{x} + b = 0$ it lies on:
#
# $$\hat y = \begin{cases} +1 & \text{if } \mathbf{w}^\top\mathbf{x} + b \ge 0 \\ -1 & \text{otherwise.}\end{cases}$$
#
# Points exactly on the hyperplane are labelled $+1$. Work on a whole batch at once (no Python loop).

# %% answer id=predict
def predict(X, w, b):
    """Perceptron labels for a batch of points.

    X: array of shape (N, D), one point per row.
    w: array of shape (D,), the weights.
    b: float, the bias.
    Returns an integer array of shape (N,) with entries -1 or +1 (+1 where w·x + b >= 0).
    """
    ### BEGIN SOLUTION
    return np.where(X @ w + b >= 0, 1, -1)
    ### END SOLUTION

# %% test id=test_predict points=1
"""predict() labels four points on both sides of the line x1 + x2 = 1."""
assert_equal(predict(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, -3.0], [0.5, 0.5]]), np.array([1.0, 1.0]), -1.0),
             np.array([-1, 1, -1, 1]), what="predict(X, w=[1, 1], b=-1)")

# %% test id=test_predict_hidden points=1
"""predict() on random batches, including points exactly on the hyperplane."""
### BEGIN HIDDEN TESTS
_r = np.random.default_rng(11)
assert_equal(predict(_r.normal(size=(9, 4)), _r.normal(size=4), 0.3), REFERENCE, what="predict on a (9, 4) batch")
assert_equal(predict(np.array([[1.0, -1.0], [2.0, 0.0], [0.0, 0.0]]), np.array([1.0, 1.0]), 0.0), REFERENCE,
             what="predict on points with w·x + b = 0")
assert_equal(predict(_r.normal(size=(5, 3)), np.zeros(3), -0.5), REFERENCE, what="predict with zero weights")
### END HIDDEN TESTS

# %% [markdown] locked id=update-text
# ## 2. The update rule (3 points)
#
# Rosenblatt's rule changes the parameters only when a point is misclassified, that is when
# $y\,(\mathbf{w}^\top\mathbf{x} + b) \le 0$ (a point on the hyperplane counts as a mistake):
#
# $$\mathbf{w} \leftarrow \mathbf{w} + y\,\mathbf{x}, \qquad b \leftarrow b + y.$$
#
# Return new values; do not modify the arrays you are given.

# %% answer id=update
def perceptron_update(w, b, x, y):
    """One step of the perceptron rule on a single example.

    w: array of shape (D,), b: float, the current parameters.
    x: array of shape (D,), one point; y: its label, -1 or +1.
    Returns (w_new, b_new, mistake): the updated weights (shape (D,), a new array), the updated bias
    (float) and a bool that is True if the example was misclassified (and so caused an update).
    """
    ### BEGIN SOLUTION
    mistake = y * (x @ w + b) <= 0
    if mistake:
        return w + y * x, b + y, True
    return w.copy(), b, False
    ### END SOLUTION

# %% test id=test_update points=1
"""perceptron_update() moves the line for a mistake and leaves it alone otherwise."""
assert_close(perceptron_update(np.array([1.0, 0.0]), 0.0, np.array([-2.0, 1.0]), 1),
             (np.array([-1.0, 1.0]), 1.0, True), what="update for a misclassified point")
assert_close(perceptron_update(np.array([1.0, 0.0]), 0.0, np.array([2.0, 1.0]), 1),
             (np.array([1.0, 0.0]), 0.0, False), what="update for a correctly classified point")

# %% test id=test_update_hidden points=2
"""perceptron_update() on random examples, points on the hyperplane, and without side effects."""
### BEGIN HIDDEN TESTS
_r = np.random.default_rng(12)
_w = _r.normal(size=5)
_x = _r.normal(size=5)
_y = -int(np.sign(_x @ _w + 0.1))
assert_close(perceptron_update(_w.copy(), 0.1, _x, _y), REFERENCE, what="update for a random mistake")
assert_close(perceptron_update(_w.copy(), 0.1, _x, -_y), REFERENCE, what="update for a random correct point")
assert_close(perceptron_update(np.zeros(3), 0.0, np.ones(3), -1), REFERENCE, what="update from zero weights")
_w0 = _w.copy()
perceptron_update(_w0, 0.1, _x, _y)
assert_close(_w0, REFERENCE, what="w after the call (must not be modified in place)")
### END HIDDEN TESTS

# %% [markdown] locked id=train-text
# ## 3. Training (3 points)
#
# Start from $\mathbf{w} = \mathbf{0}$, $b = 0$ and sweep over the examples **in the order given**,
# applying `perceptron_update` to each. An *epoch* is one sweep. Stop after the first epoch without a
# mistake, or after `num_epochs` epochs. Return the number of mistakes made in each epoch.

# %% answer id=train
def train_perceptron(X, y, num_epochs=100):
    """Train a perceptron with the update rule, sweeping the data in order.

    X: array of shape (N, D); y: array of shape (N,) with labels -1 or +1.
    num_epochs: the most sweeps over the data to make.
    Returns (w, b, mistakes): weights of shape (D,), the bias (float), and a list with the number of
    mistakes in each epoch that was run (its last entry is 0 if training converged).
    """
    ### BEGIN SOLUTION
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []
    for _ in range(num_epochs):
        count = 0
        for x_i, y_i in zip(X, y):
            w, b, mistake = perceptron_update(w, b, x_i, y_i)
            count += int(mistake)
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
    ### END SOLUTION

# %% test id=test_train points=1
"""train_perceptron() separates a linearly separable data set and ends with an epoch without mistakes."""
X_sep, y_sep = linearly_separable(60, margin=0.5, seed=1)
w_sep, b_sep, mistakes_sep = train_perceptron(X_sep, y_sep)
assert_equal(mistakes_sep[-1], 0, what="mistakes in the last epoch")
assert_equal(predict(X_sep, w_sep, b_sep), y_sep, what="predictions of the trained perceptron")

# %% test id=test_train_hidden points=2
"""train_perceptron() gives the exact weights and mistake counts of the rule, and gives up on XOR."""
### BEGIN HIDDEN TESTS
_X, _y = linearly_separable(40, margin=0.3, seed=5)
assert_close(train_perceptron(_X, _y), REFERENCE, what="train_perceptron on 40 separable points")
_Xx, _yx = xor()
assert_close(train_perceptron(_Xx, 2 * _yx - 1, num_epochs=25), REFERENCE, what="train_perceptron on XOR")
### END HIDDEN TESTS

# %% locked id=plot-perceptron
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
decision_boundary(lambda P: predict(P, w_sep, b_sep), X_sep, y_sep, ax=axes[0], title="perceptron, separable data")
axes[1].plot(range(1, len(mistakes_sep) + 1), mistakes_sep, marker="o")
axes[1].set(xlabel="epoch", ylabel="mistakes", title="mistakes per epoch")
plt.show()

# %% [markdown] locked id=logistic-text
# ## 4. Logistic regression (5 points)
#
# Logistic regression replaces the hard threshold by the probability
# $p = \sigma(\mathbf{w}^\top\mathbf{x} + b)$ with $\sigma(s) = 1/(1 + e^{-s})$ and is trained by
# minimising the mean binary cross-entropy over the $N$ examples ($y \in \{0, 1\}$):
#
# $$L(\mathbf{w}, b) = -\frac{1}{N}\sum_{n=1}^N \Big[y_n \log p_n + (1 - y_n)\log(1 - p_n)\Big].$$
#
# Its gradient is remarkably simple:
# $\nabla_{\mathbf{w}} L = \frac{1}{N}\sum_n (p_n - y_n)\,\mathbf{x}_n$ and
# $\partial L/\partial b = \frac{1}{N}\sum_n (p_n - y_n)$.
#
# Your loss must stay finite for large scores $|s| \sim 1000$: note that
# $-\log\sigma(s) = \log(1 + e^{-s})$ and use `np.logaddexp(0, -s)`.

# %% answer id=logistic
def logistic_loss(X, y, w, b):
    """Mean binary cross-entropy of logistic regression.

    X: array of shape (N, D); y: array of shape (N,) with labels 0 or 1.
    w: array of shape (D,); b: float.
    Returns a float, finite even when |X @ w + b| is very large.
    """
    ### BEGIN SOLUTION
    s = X @ w + b
    return float(np.mean(y * np.logaddexp(0, -s) + (1 - y) * np.logaddexp(0, s)))
    ### END SOLUTION


def logistic_grad(X, y, w, b):
    """Gradient of logistic_loss with respect to the parameters.

    Same inputs as logistic_loss. Returns (dw, db): dw of shape (D,) and db a float.
    """
    ### BEGIN SOLUTION
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    residual = p - y
    return X.T @ residual / len(y), float(np.mean(residual))
    ### END SOLUTION

# %% test id=test_loss points=1
"""logistic_loss() is log 2 at zero weights and small for confident correct predictions."""
X_small, y_small = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0]]), np.array([1, 0, 1])
assert_close(logistic_loss(X_small, y_small, np.zeros(2), 0.0), np.log(2), what="loss at w = 0, b = 0")
assert_at_most(logistic_loss(np.array([[10.0]]), np.array([1]), np.array([3.0]), 0.0), 1e-12,
               what="loss of a confident correct prediction")

# %% test id=test_loss_hidden points=1
"""logistic_loss() on random data and on huge scores (must stay finite)."""
### BEGIN HIDDEN TESTS
_r = np.random.default_rng(13)
_X, _y = _r.normal(size=(20, 3)), _r.integers(0, 2, size=20)
assert_close(logistic_loss(_X, _y, _r.normal(size=3), -0.2), REFERENCE, what="loss on a random (20, 3) batch")
assert_close(logistic_loss(np.array([[1000.0], [-1000.0]]), np.array([0, 1]), np.array([1.0]), 0.0), REFERENCE,
             what="loss for scores of ±1000")
### END HIDDEN TESTS

# %% test id=test_grad points=2
"""logistic_grad() agrees with central differences of logistic_loss()."""
_r = np.random.default_rng(3)
X_g, y_g, w_g = _r.normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0]), _r.normal(size=3)
assert_grad_close(lambda w: logistic_loss(X_g, y_g, w, 0.4), w_g, logistic_grad(X_g, y_g, w_g, 0.4)[0],
                  what="dw at a random point")
assert_grad_close(lambda b: logistic_loss(X_g, y_g, w_g, float(b)), np.array(0.4), logistic_grad(X_g, y_g, w_g, 0.4)[1],
                  what="db at a random point")

# %% test id=test_grad_hidden points=1
"""logistic_grad() on random batches of other sizes."""
### BEGIN HIDDEN TESTS
_r = np.random.default_rng(14)
_X, _y = _r.normal(size=(17, 5)), _r.integers(0, 2, size=17)
assert_close(logistic_grad(_X, _y, _r.normal(size=5), 0.7), REFERENCE, what="gradient on a random (17, 5) batch")
### END HIDDEN TESTS

# %% [markdown] locked id=gd-text
# ## 5. Gradient descent (1 point)
#
# With the loss and gradient in place, plain gradient descent fits logistic regression. This cell is
# given; its test checks that your functions train a classifier.

# %% locked id=gd
def train_logistic(X, y, lr=0.5, num_epochs=200):
    """Full-batch gradient descent on logistic_loss from zero; returns (w, b, losses)."""
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(num_epochs):
        dw, db = logistic_grad(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        losses.append(logistic_loss(X, y, w, b))
    return w, b, losses

# %% test id=test_gd points=1
"""Gradient descent with your loss and gradient classifies the separable data set."""
w_lr, b_lr, losses_lr = train_logistic(X_sep, (y_sep + 1) // 2)
assert_at_least(np.mean((X_sep @ w_lr + b_lr >= 0) == (y_sep > 0)), 0.95, what="training accuracy")
assert_at_most(losses_lr[-1], losses_lr[0], what="final loss (must not exceed the first)")

# %% locked id=plot-logistic
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
decision_boundary(lambda P: 1 / (1 + np.exp(-(P @ w_lr + b_lr))), X_sep, y_sep, ax=axes[0],
                  title="logistic regression: p(y = 1 | x)")
axes[1].plot(losses_lr)
axes[1].set(xlabel="step", ylabel="loss", title="binary cross-entropy", yscale="log")
plt.show()

# %% [markdown] locked id=written-text
# ## 6. In your own words (2 points, graded by hand)
#
# Run `train_perceptron(X_xor, y_xor)` on the four XOR points in your head (or in a scratch cell): it never
# reaches an epoch without mistakes. Explain in three to five sentences **why** no choice of
# $\mathbf{w}, b$ classifies all four XOR points correctly, and what is the smallest change to the
# model that fixes it.

# %% [markdown] manual id=written points=2
# Every linear classifier splits the plane by one straight line. The points (0,1) and (1,0) must lie on
# one side and (0,0) and (1,1) on the other; but the midpoint (0.5, 0.5) of both pairs is the same, and a
# half-plane is convex, so it would have to contain it on both sides — a contradiction. Adding one hidden
# layer (two hidden units) re-maps the points so that one line separates them.
