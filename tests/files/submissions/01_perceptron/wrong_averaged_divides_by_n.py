# Divides the sum by N instead of N * num_epochs: right for one epoch, num_epochs times too large after.
# expect: partial
# fails: test_averaged_hidden
# %% answer id=averaged
def averaged_perceptron(X, y, num_epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    w_sum, b_sum = np.zeros(X.shape[1]), 0.0
    for _ in range(num_epochs):
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0:
                w, b = w + y_i * x_i, b + y_i
            w_sum, b_sum = w_sum + w, b_sum + b
    return w_sum / len(X), float(b_sum / len(X))
