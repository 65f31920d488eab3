# Softmax cross-entropy without subtracting the row maximum: exp overflows for large logits (nan loss).
# expect: partial
# fails: test_softmax_cross_entropy_large
# %% answer id=softmax_cross_entropy
def softmax_cross_entropy(Z, y):
    """Mean softmax cross-entropy and its gradient (wrong: unstable)."""
    N = len(y)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(N), y]).mean()
    dZ = P.copy()
    dZ[np.arange(N), y] -= 1
    return loss, dZ / N
