# A correct solution written differently from the reference: explicit loops over examples and
# parameters, einsum, np.where, a per-row log-sum-exp and other names.
# expect: full
# %% answer id=affine_backward
def affine_backward(dY, X, W):
    """Backward pass of Y = X W^T + b, W of shape (out, in): returns (dX, dW, db)."""
    dX = np.einsum("nm,md->nd", dY, W)
    dW = np.zeros_like(W)
    for n in range(X.shape[0]):
        dW += np.outer(dY[n], X[n])
    db = np.zeros(W.shape[0])
    for row in dY:
        db += row
    return dX, dW, db

# %% answer id=relu_backward
def relu_backward(dY, X):
    """Backward pass of ReLU."""
    return np.where(X > 0, dY, 0.0)

# %% answer id=sigmoid_tanh_backward
def sigmoid_backward(dY, Y):
    """Backward pass of the sigmoid, from its output."""
    return dY * (Y - Y * Y)


def tanh_backward(dY, Y):
    """Backward pass of tanh, from its output."""
    return dY - dY * Y * Y

# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy and its gradient, one row at a time."""
    batch = Z.shape[0]
    total = 0.0
    grad = np.empty_like(Z, dtype=float)
    for n in range(batch):
        top = np.max(Z[n])
        log_norm = top + np.log(np.sum(np.exp(Z[n] - top)))
        total += log_norm - Z[n, y[n]]
        grad[n] = np.exp(Z[n] - log_norm)
        grad[n, y[n]] -= 1.0
    return total / batch, grad / batch

# %% answer id=mse_loss
def mse_loss(Y_hat, T):
    """Mean squared error and its gradient."""
    residual = np.subtract(Y_hat, T)
    count = residual.shape[0] * residual.shape[1]
    return np.sum(np.square(residual)) / count, residual * (2.0 / count)

# %% answer id=sgd_momentum_step
def sgd_momentum_step(params, grads, velocities, lr, momentum):
    """SGD with momentum, in place."""
    for key, value in params.items():
        v = velocities[key]
        v *= momentum
        v += grads[key]
        value -= lr * v

# %% answer id=train_step
def train_step(params, velocities, X, y, lr, momentum):
    """One SGD step of the two-layer MLP."""
    pre = np.einsum("nd,hd->nh", X, params["W1"]) + params["b1"]
    hidden = np.maximum(pre, 0)
    logits = hidden @ params["W2"].T + params["b2"]
    batch_loss, d_logits = softmax_cross_entropy(logits, y)
    d_hidden, dW2, db2 = affine_backward(d_logits, hidden, params["W2"])
    d_pre = relu_backward(d_hidden, pre)
    _, dW1, db1 = affine_backward(d_pre, X, params["W1"])
    sgd_momentum_step(params, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, velocities, lr, momentum)
    return batch_loss
