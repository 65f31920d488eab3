# Computes log(sigmoid(s)) naively: correct for moderate scores, inf/nan for |s| ~ 1000.
# expect: partial
# fails: test_loss_hidden
# %% answer id=logistic
def logistic_loss(X, y, w, b):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def logistic_grad(X, y, w, b):
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    return X.T @ (p - y) / len(y), float(np.mean(p - y))
