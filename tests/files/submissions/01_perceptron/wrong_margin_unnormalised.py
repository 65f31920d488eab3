# The margin without dividing by ||f||: it grows with every update, so it bounds nothing.
# expect: partial
# fails: test_margin test_margin_hidden
# %% answer id=margin
def feature_space_margin(K, y, alpha):
    scores = K @ (alpha * y)
    return float(np.sqrt(np.max(np.diag(K)))), float(np.min(y * scores))
