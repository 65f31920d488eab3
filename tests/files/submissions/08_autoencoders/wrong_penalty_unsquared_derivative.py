# The sigmoid's derivative h (1 - h) enters the penalty unsquared: sum_j h_j (1 - h_j) sum_i W_ji^2.
# expect: partial
# fails: test_contractive test_contractive_hidden test_train_contractive_hidden test_train_cae
# %% answer id=contractive
def contractive_penalty(model, X):
    H = model.encode(X)
    return ((H * (1 - H)) @ (model.W ** 2).sum(dim=1)).mean()
