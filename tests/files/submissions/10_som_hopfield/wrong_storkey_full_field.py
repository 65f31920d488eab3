# Storkey's local field without excluding unit j: h_ij = sum_k W_ik xi_k over all k (a common slip).
# expect: partial
# fails: test_storkey test_storkey_hidden
# %% answer id=storkey_weights
def storkey_weights(patterns):
    N = patterns.shape[1]
    W = np.zeros((N, N))
    for xi in patterns:
        field = W @ xi
        h = np.tile(field[:, None], (1, N))
        W = W + (np.outer(xi, xi) - xi[:, None] * h.T - h * xi[None, :]) / N
        np.fill_diagonal(W, 0.0)
    return W
