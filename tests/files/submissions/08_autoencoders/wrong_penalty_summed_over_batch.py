# The penalty is summed over the batch instead of averaged: it grows with the batch size.
# expect: partial
# fails: test_contractive test_contractive_hidden test_train_contractive_hidden test_train_cae
# %% answer id=contractive
def contractive_penalty(model, X):
    H = model.encode(X)
    return ((H * (1 - H)) ** 2 @ (model.W ** 2).sum(dim=1)).sum()
