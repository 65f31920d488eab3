# The RBF kernel with the distance instead of the squared distance, exp(-gamma ||x - z||).
# expect: partial
# fails: test_kernels test_kernels_hidden test_dual_hidden
# %% answer id=kernels
def polynomial_kernel(X, Z, degree=2, c=1.0):
    return (X @ Z.T + c) ** degree


def rbf_kernel(X, Z, gamma=1.0):
    return np.exp(-gamma * np.sqrt(((X[:, None, :] - Z[None, :, :]) ** 2).sum(axis=-1)))
