# Takes the principal directions from the columns of V^T instead of its rows.
# expect: partial
# fails: test_pca_fit test_pca_fit_hidden test_pca_digits
# %% answer id=pca_fit
def pca_fit(X, k):
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt[:, :k].T
