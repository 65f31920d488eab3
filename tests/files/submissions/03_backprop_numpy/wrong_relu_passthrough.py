# ReLU backward that forgets the mask and passes the gradient through for negative inputs too.
# expect: partial
# fails: test_relu_backward test_relu_backward_hidden test_train_step_hidden
# %% answer id=relu_backward
def relu_backward(dY, X):
    """Backward pass of ReLU (wrong: no mask)."""
    return dY.copy()
