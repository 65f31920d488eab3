# Softmax without subtracting the row maximum: e^Z overflows for logits near 1000.
# expect: partial
# fails: test_softmax_cross_entropy_large
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy loss and its gradient.

    Z: array of shape (N, K), the logits.
    y: integer array of shape (N,), the correct class of every row, in 0 .. K-1.
    Returns a tuple (loss, dZ): loss a float, dZ an array of shape (N, K), the gradient of loss with
    respect to Z.
    """
    N = len(y)
    shifted = Z
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_P[np.arange(N), y].mean()
    dZ = np.exp(log_P)
    dZ[np.arange(N), y] -= 1
    return float(loss), dZ / N
