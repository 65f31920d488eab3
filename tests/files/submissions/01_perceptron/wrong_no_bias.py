# The polynomial kernel without its constant, (x·z)^d: no bias in the feature space, so the corner (0, 0)
# always scores 0 and the perceptron never separates XOR.
# expect: partial
# fails: test_kernels test_kernels_hidden test_dual test_margin_hidden
# %% answer id=kernels
def polynomial_kernel(X, Z, degree=2, c=1.0):
    return (X @ Z.T) ** degree


def rbf_kernel(X, Z, gamma=1.0):
    squared = (X**2).sum(axis=1)[:, None] + (Z**2).sum(axis=1)[None, :] - 2 * X @ Z.T
    return np.exp(-gamma * np.maximum(squared, 0.0))
