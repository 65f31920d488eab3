# sigmoid_backward applies the sigmoid again to its output: sigma(Y) (1 - sigma(Y)) instead of Y (1 - Y).
# expect: partial
# fails: test_sigmoid_tanh_backward test_sigmoid_tanh_backward_hidden
# %% answer id=sigmoid_tanh_backward
def sigmoid_backward(dY, Y):
    """Backward pass of the sigmoid (wrong: sigmoid applied twice)."""
    s = 1 / (1 + np.exp(-Y))
    return dY * s * (1 - s)


def tanh_backward(dY, Y):
    """Backward pass of tanh, from its output."""
    return dY * (1 - Y**2)
