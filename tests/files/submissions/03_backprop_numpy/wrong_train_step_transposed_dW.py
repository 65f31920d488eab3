# train_step computing the first layer's weight gradient as X.T @ dA, the transpose (D, H) of W1's (H, D).
# expect: partial
# fails: test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=train_step
def train_step(params, state, X, y, lr):
    """One step of gradient descent on a minibatch; returns the loss before the update.

    params: dict with "W1" (H, D), "gamma" (H,), "beta" (H,), "W2" (K, H), "b2" (K,), weights (out, in);
            every array updated in place.
    state:  dict with "running_mean" (H,) and "running_var" (H,), batch norm's running statistics
            (momentum 0.1); updated in place.
    X:      array of shape (N, D), the minibatch (N >= 2).
    y:      integer array of shape (N,), its labels in 0 .. K-1.
    lr:     float, the learning rate.
    Returns the loss (a float) of the minibatch under the parameters before the step.
    """
    A = affine_forward(X, params["W1"], 0)
    statistics = (state["running_mean"], state["running_var"])
    H, bn_cache = batchnorm_forward(A, params["gamma"], params["beta"], *statistics, training=True)
    R = relu_forward(H)
    Z = affine_forward(R, params["W2"], params["b2"])
    loss, dZ = softmax_cross_entropy(Z, y)
    grads = {}
    dR, grads["W2"], grads["b2"] = affine_backward(dZ, R, params["W2"])
    dA, grads["gamma"], grads["beta"] = batchnorm_backward(relu_backward(dR, H), bn_cache)
    grads["W1"] = X.T @ dA
    for name, grad in grads.items():
        params[name] -= lr * grad
    return loss
