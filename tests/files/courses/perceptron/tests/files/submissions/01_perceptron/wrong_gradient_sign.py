# Sign error in the gradient: (y - p) instead of (p - y), so gradient descent climbs the loss.
# expect: partial
# fails: test_grad test_grad_hidden test_gd
# %% answer id=logistic
def logistic_loss(X, y, w, b):
    s = X @ w + b
    return float(np.mean(y * np.logaddexp(0, -s) + (1 - y) * np.logaddexp(0, s)))


def logistic_grad(X, y, w, b):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return X.T @ (y - p) / len(y), float(np.mean(y - p))
