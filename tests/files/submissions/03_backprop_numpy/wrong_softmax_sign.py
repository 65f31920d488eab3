# A sign error in the softmax cross-entropy gradient: onehot(y) - P instead of P - onehot(y).
# expect: partial
# fails: test_softmax_cross_entropy test_softmax_cross_entropy_hidden test_softmax_cross_entropy_large test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy and its gradient (wrong: gradient with the opposite sign)."""
    N = len(y)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.zeros_like(Z)
    onehot[np.arange(N), y] = 1.0
    return float(-log_P[np.arange(N), y].mean()), (onehot - np.exp(log_P)) / N
