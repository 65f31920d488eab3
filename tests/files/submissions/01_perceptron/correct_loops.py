# A correct solution written differently: kernels with explicit loops over pairs, a dual perceptron that
# keeps the scores of all points up to date after each update, an averaged perceptron that weights each
# weight vector by how long it survived, and a margin computed through the feature-space norm by loops.
# expect: full
# %% answer id=kernels
def polynomial_kernel(X, Z, degree=2, c=1.0):
    out = np.empty((len(X), len(Z)))
    for n in range(len(X)):
        for m in range(len(Z)):
            out[n, m] = (float(np.dot(X[n], Z[m])) + c) ** degree
    return out


def rbf_kernel(X, Z, gamma=1.0):
    out = np.empty((len(X), len(Z)))
    for n in range(len(X)):
        for m in range(len(Z)):
            diff = X[n] - Z[m]
            out[n, m] = np.exp(-gamma * float(diff @ diff))
    return out

# %% answer id=dual
def kernel_perceptron(K, y, num_epochs=100):
    N = len(y)
    alpha = np.zeros(N, dtype=np.int64)
    scores = np.zeros(N)  # scores[i] = sum_j alpha_j y_j K[j, i], kept up to date
    history = []
    for epoch in range(num_epochs):
        made = 0
        for i in range(N):
            if not y[i] * scores[i] > 0:
                alpha[i] = alpha[i] + 1
                scores = scores + y[i] * K[i, :]
                made += 1
        history.append(made)
        if made == 0:
            break
    return alpha, history


def kernel_predict(alpha, y, K_new):
    scores = np.array([sum(a * t * k for a, t, k in zip(alpha, y, row)) for row in K_new])
    labels = -np.ones(len(K_new), dtype=int)
    labels[scores > 0] = 1
    return labels

# %% answer id=averaged
def averaged_perceptron(X, y, num_epochs=10):
    N, D = X.shape
    w, b = np.zeros(D), 0.0
    total_w, total_b = np.zeros(D), 0.0
    survived = 0  # steps the current (w, b) has been kept, added at each change and at the end
    for _ in range(num_epochs):
        for i in range(N):
            if y[i] * (np.dot(w, X[i]) + b) <= 0:
                total_w += survived * w
                total_b += survived * b
                w = w + y[i] * X[i]
                b = b + y[i]
                survived = 0
            survived += 1
    total_w += survived * w
    total_b += survived * b
    return total_w / (N * num_epochs), total_b / (N * num_epochs)

# %% answer id=margin
def feature_space_margin(K, y, alpha):
    N = len(y)
    norm_sq = sum(alpha[i] * y[i] * alpha[j] * y[j] * K[i, j] for i in range(N) for j in range(N))
    margins = [y[i] * sum(alpha[j] * y[j] * K[j, i] for j in range(N)) for i in range(N)]
    return max(np.sqrt(K[i, i]) for i in range(N)), min(margins) / np.sqrt(norm_sq)
