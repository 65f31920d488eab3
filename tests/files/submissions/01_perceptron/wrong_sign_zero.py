# kernel_predict uses np.sign, which labels a point whose score is exactly 0 with 0 instead of -1.
# expect: partial
# fails: test_dual_hidden
# %% answer id=dual
def kernel_perceptron(K, y, num_epochs=100):
    alpha = np.zeros(len(y), dtype=int)
    mistakes = []
    for _ in range(num_epochs):
        count = 0
        for i in range(len(y)):
            if y[i] * np.sum(alpha * y * K[:, i]) <= 0:
                alpha[i] += 1
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return alpha, mistakes


def kernel_predict(alpha, y, K_new):
    return np.sign(K_new @ (alpha * y)).astype(int)
