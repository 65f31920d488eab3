# Finished the kernels and the kernel perceptron (parts 1-2) but not the averaged perceptron or the margin.
# expect: partial
# fails: test_averaged test_averaged_hidden test_margin test_margin_hidden
# %% answer id=averaged
def averaged_perceptron(X, y, num_epochs=10):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% answer id=margin
def feature_space_margin(K, y, alpha):
    # YOUR CODE HERE
    raise NotImplementedError()
