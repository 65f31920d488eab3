# The lecture's Bernoulli masking: each pixel blanked independently with probability fraction, so the
# number of blanked pixels varies from row to row.
# expect: partial
# fails: test_masking test_masking_hidden
# %% answer id=corruption
def masking_noise(X, fraction, rng):
    return X * (rng.random(X.shape) >= fraction)


def salt_and_pepper_noise(X, fraction, rng, low=0.0, high=1.0):
    N, D = X.shape
    m = int(round(fraction * D))
    chosen = rng.random((N, D)).argsort(axis=1)[:, :m]
    values = np.where(rng.random((N, m)) < 0.5, low, high)
    out = X.copy()
    np.put_along_axis(out, chosen, values.astype(X.dtype), axis=1)
    return out
