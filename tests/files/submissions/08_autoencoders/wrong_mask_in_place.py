# Blank-out noise that zeroes the entries of X in place and returns X itself, so the clean target is
# corrupted too.
# expect: partial
# fails: test_mask test_mask_hidden test_train_dae test_dae_test_hidden
# %% answer id=corruption
def mask_noise(X, p, rng):
    X[rng.random(X.shape) < p] = 0
    return X


def gaussian_noise(X, sigma, rng):
    return X + sigma * rng.standard_normal(X.shape)
