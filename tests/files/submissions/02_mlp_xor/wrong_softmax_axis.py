# Normalises each column instead of each row (softmax over the batch axis).
# expect: partial
# fails: test_softmax test_softmax_hidden
# %% answer id=softmax
def softmax(Z):
    exps = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)
