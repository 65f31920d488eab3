# Masking noise that zeroes the entries of X in place and returns X itself: the clean targets of training
# and the validation digits it is shown on (the plot cell passes a view of X_val) are damaged too.
# expect: partial
# fails: test_masking test_masking_hidden test_train_dae test_train_cae test_dae_test_hidden
# %% answer id=corruption
def masking_noise(X, fraction, rng):
    N, D = X.shape
    m = int(round(fraction * D))
    chosen = rng.random((N, D)).argsort(axis=1)[:, :m]
    np.put_along_axis(X, chosen, 0, axis=1)
    return X


def salt_and_pepper_noise(X, fraction, rng, low=0.0, high=1.0):
    N, D = X.shape
    m = int(round(fraction * D))
    chosen = rng.random((N, D)).argsort(axis=1)[:, :m]
    values = np.where(rng.random((N, m)) < 0.5, low, high)
    out = X.copy()
    np.put_along_axis(out, chosen, values.astype(X.dtype), axis=1)
    return out
