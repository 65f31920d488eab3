# Gaussian noise scaled by the variance sigma**2 instead of the standard deviation sigma.
# expect: partial
# fails: test_gaussian test_gaussian_hidden
# %% answer id=corruption
def mask_noise(X, p, rng):
    keep = rng.random(X.shape) >= p
    return X * keep


def gaussian_noise(X, sigma, rng):
    return X + sigma**2 * rng.standard_normal(X.shape)
