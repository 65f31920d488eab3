# A correct solution written with explicit loops and other names instead of the reference's vector code.
# expect: full
# %% answer id=predict
def predict(X, w, b):
    labels = []
    for row in X:
        score = sum(wi * xi for wi, xi in zip(w, row)) + b
        labels.append(1 if score > 0 else -1)
    return np.array(labels, dtype=int)

# %% answer id=update
def perceptron_update(w, b, x, y):
    margin = y * (np.dot(w, x) + b)
    if margin > 0:
        return np.array(w, dtype=float), b, False
    new_w = np.array(w, dtype=float)
    for i in range(len(new_w)):
        new_w[i] += y * x[i]
    return new_w, b + y, True

# %% answer id=train
def train_perceptron(X, y, num_epochs=100):
    weights, bias, history = np.zeros(len(X[0])), 0.0, []
    epoch = 0
    while epoch < num_epochs:
        errors = 0
        for i in range(len(X)):
            weights, bias, wrong = perceptron_update(weights, bias, X[i], y[i])
            errors += wrong
        history.append(int(errors))
        epoch += 1
        if not errors:
            break
    return weights, bias, history

# %% answer id=logistic
def logistic_loss(X, y, w, b):
    total = 0.0
    for x_n, y_n in zip(X, y):
        s = float(x_n @ w + b)
        # log(1 + exp(-s)) for y = 1 and log(1 + exp(s)) for y = 0, computed stably
        z = -s if y_n == 1 else s
        total += max(z, 0.0) + np.log1p(np.exp(-abs(z)))
    return total / len(y)


def logistic_grad(X, y, w, b):
    s = X @ w + b
    p = np.where(s >= 0, 1 / (1 + np.exp(-np.abs(s))), np.exp(-np.abs(s)) / (1 + np.exp(-np.abs(s))))
    error = p - y
    return (error[:, None] * X).mean(axis=0), error.mean()
