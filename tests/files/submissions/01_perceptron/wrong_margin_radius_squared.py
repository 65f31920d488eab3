# Takes the radius as max K[i, i], the squared norm, instead of its square root.
# expect: partial
# fails: test_margin test_margin_hidden
# %% answer id=margin
def feature_space_margin(K, y, alpha):
    coefficients = alpha * y
    norm = np.sqrt(coefficients @ K @ coefficients)
    return float(np.max(np.diag(K))), float(np.min(y * (K @ coefficients)) / norm)
