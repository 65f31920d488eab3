# PCA without centring: the SVD of the raw data, and no mean to subtract or add back.
# expect: partial
# fails: test_pca_fit test_pca_fit_hidden test_pca_digits
# %% answer id=pca_fit
def pca_fit(X, k):
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    return np.zeros(X.shape[1]), Vt[:k]
