# Averages squared distances (the k-means objective) instead of distances.
# expect: partial
# fails: test_quantization_error test_quantization_error_hidden test_digits
# %% answer id=quantization_error
def quantization_error(X, W):
    d2 = (X * X).sum(axis=1)[:, None] - 2.0 * X @ W.T + (W * W).sum(axis=1)[None, :]
    return float(np.maximum(d2.min(axis=1), 0.0).mean())
