# train_step ignores its momentum argument and always uses 0.9 (the value of the visible test).
# expect: partial
# fails: test_train_step_hidden
# %% answer id=train_step
def train_step(params, velocities, X, y, lr, momentum):
    """One SGD step of the two-layer MLP (wrong: momentum hard-coded)."""
    A1 = affine_forward(X, params["W1"], params["b1"])
    H1 = relu_forward(A1)
    loss, dZ = softmax_cross_entropy(affine_forward(H1, params["W2"], params["b2"]), y)
    grads = {}
    dH1, grads["W2"], grads["b2"] = affine_backward(dZ, H1, params["W2"])
    _, grads["W1"], grads["b1"] = affine_backward(relu_backward(dH1, A1), X, params["W1"])
    sgd_momentum_step(params, grads, velocities, lr=lr, momentum=0.9)
    return loss
