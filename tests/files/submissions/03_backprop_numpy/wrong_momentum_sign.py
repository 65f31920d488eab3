# A sign error in the momentum update: v <- g - momentum * v instead of v <- momentum * v + g.
# expect: partial
# fails: test_sgd_momentum_step test_sgd_momentum_step_hidden test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=sgd_momentum_step
def sgd_momentum_step(params, grads, velocities, lr, momentum):
    """SGD with momentum (wrong: the old velocity is subtracted)."""
    for name in params:
        velocities[name] = grads[name] - momentum * velocities[name]
        params[name] -= lr * velocities[name]
