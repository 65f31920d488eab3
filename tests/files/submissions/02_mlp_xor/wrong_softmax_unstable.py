# Exponentiates the raw logits: right for small logits, NaN once exp overflows near 1000.
# expect: partial
# fails: test_softmax_hidden
# %% answer id=softmax
def softmax(Z):
    exps = np.exp(Z)
    return exps / exps.sum(axis=1, keepdims=True)
