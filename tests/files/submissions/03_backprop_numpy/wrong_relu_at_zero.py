# ReLU backward with X >= 0: lets the gradient through at X = 0, where the assignment (and PyTorch)
# takes the derivative to be 0.
# expect: partial
# fails: test_relu_backward_hidden
# %% answer id=relu_backward
def relu_backward(dY, X):
    """Backward pass of ReLU (wrong: the mask includes 0)."""
    return dY * (X >= 0)
