# The radius decays by e / E instead of e / (E - 1): the last epoch never reaches sigma_1.
# expect: partial
# fails: test_train_batch test_train_batch_hidden
# %% answer id=train_batch_som
def train_batch_som(X, W0, coords, num_epochs, sigma=(4.0, 0.5)):
    W = W0.copy()
    for epoch in range(num_epochs):
        W = batch_som_step(X, W, coords, sigma[0] * (sigma[1] / sigma[0]) ** (epoch / num_epochs))
    return W
