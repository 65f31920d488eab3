# Blank-out noise that keeps a fraction p of the entries instead of dropping it (so the DAE trains on
# 70 % masking and misses the floor on 30 %-masked digits too).
# expect: partial
# fails: test_mask test_mask_hidden test_train_dae test_dae_test_hidden
# %% answer id=corruption
def mask_noise(X, p, rng):
    keep = rng.random(X.shape) < p
    return X * keep


def gaussian_noise(X, sigma, rng):
    return X + sigma * rng.standard_normal(X.shape)
