# A kernel perceptron that adds to alpha_i on every example, right or wrong (Hebb's rule in dual form):
# on XOR with (x·z + 1)^2 the scores stay at 0 and it never converges.
# expect: partial
# fails: test_dual test_dual_hidden test_margin_hidden
# %% answer id=dual
def kernel_perceptron(K, y, num_epochs=100):
    alpha = np.zeros(len(y), dtype=int)
    mistakes = []
    for _ in range(num_epochs):
        count = 0
        for i in range(len(y)):
            if y[i] * np.sum(alpha * y * K[:, i]) <= 0:
                count += 1
            alpha[i] += 1
        mistakes.append(count)
        if count == 0:
            break
    return alpha, mistakes


def kernel_predict(alpha, y, K_new):
    return np.where(K_new @ (alpha * y) > 0, 1, -1)
