# Adds (w, b) to the sum only after an update and divides by the number of updates: weight vectors that
# survive many steps count no more than ones replaced at once.
# expect: partial
# fails: test_averaged_hidden
# %% answer id=averaged
def averaged_perceptron(X, y, num_epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    w_sum, b_sum, updates = np.zeros(X.shape[1]), 0.0, 0
    for _ in range(num_epochs):
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0:
                w, b = w + y_i * x_i, b + y_i
                w_sum, b_sum, updates = w_sum + w, b_sum + b, updates + 1
    return w_sum / max(updates, 1), float(b_sum / max(updates, 1))
