# Salt-and-pepper noise without the coin: every chosen pixel becomes high (salt only).
# expect: partial
# fails: test_salt_pepper test_salt_pepper_hidden
# %% answer id=corruption
def masking_noise(X, fraction, rng):
    N, D = X.shape
    m = int(round(fraction * D))
    chosen = rng.random((N, D)).argsort(axis=1)[:, :m]
    out = X.copy()
    np.put_along_axis(out, chosen, 0, axis=1)
    return out


def salt_and_pepper_noise(X, fraction, rng, low=0.0, high=1.0):
    N, D = X.shape
    m = int(round(fraction * D))
    chosen = rng.random((N, D)).argsort(axis=1)[:, :m]
    values = np.full((N, m), high)
    out = X.copy()
    np.put_along_axis(out, chosen, values.astype(X.dtype), axis=1)
    return out
