# The loss is averaged over the batch but its gradient is not divided by the batch size.
# expect: partial
# fails: test_softmax_cross_entropy test_softmax_cross_entropy_hidden test_softmax_cross_entropy_large test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy and its gradient (wrong: gradient of the sum)."""
    N = len(y)
    shifted = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(N), y]).mean()
    dZ = P.copy()
    dZ[np.arange(N), y] -= 1
    return loss, dZ
