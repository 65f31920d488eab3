# Returns the last weights instead of their average: the plain perceptron, poor on noisy data.
# expect: partial
# fails: test_averaged test_averaged_hidden
# %% answer id=averaged
def averaged_perceptron(X, y, num_epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_epochs):
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0:
                w, b = w + y_i * x_i, b + y_i
    return w, float(b)
