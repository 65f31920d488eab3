# The gradient of softmax cross-entropy with the wrong sign: onehot(y) - P.
# expect: partial
# fails: test_softmax_cross_entropy test_softmax_cross_entropy_hidden test_softmax_cross_entropy_large test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy loss and its gradient.

    Z: array of shape (N, K), the logits.
    y: integer array of shape (N,), the correct class of every row, in 0 .. K-1.
    Returns a tuple (loss, dZ): loss a float, dZ an array of shape (N, K), the gradient of loss with
    respect to Z.
    """
    N = len(y)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_P[np.arange(N), y].mean()
    dZ = np.exp(log_P)
    dZ[np.arange(N), y] -= 1
    return float(loss), -dZ / N
