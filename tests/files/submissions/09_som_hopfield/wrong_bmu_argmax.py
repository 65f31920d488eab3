# Picks the unit with the largest distance as the best-matching unit (argmax instead of argmin).
# expect: partial
# fails: test_bmu test_bmu_hidden test_step test_step_hidden test_train test_train_hidden test_digits
# %% answer id=best_matching_units
def best_matching_units(X, W):
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T
    return np.argmax(scores, axis=1)
