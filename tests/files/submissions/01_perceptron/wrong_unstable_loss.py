# A numerically unstable RBF kernel: exp(-gamma ||x||^2) exp(-gamma ||z||^2) exp(2 gamma x·z) is the same
# formula on paper, but far from the origin the first factors underflow to 0 and the last overflows to
# inf, giving NaN. (The file keeps the name of the old assignment's unstable-loss sample.)
# expect: partial
# fails: test_kernels_hidden
# %% answer id=kernels
def polynomial_kernel(X, Z, degree=2, c=1.0):
    return (X @ Z.T + c) ** degree


def rbf_kernel(X, Z, gamma=1.0):
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return (np.exp(-gamma * (X**2).sum(axis=1))[:, None] * np.exp(-gamma * (Z**2).sum(axis=1))[None, :]
                * np.exp(2 * gamma * X @ Z.T))
