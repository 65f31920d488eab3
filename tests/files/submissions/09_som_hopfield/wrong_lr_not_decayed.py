# Decays the radius but keeps the learning rate at its start value, so the map never settles.
# expect: partial
# fails: test_train test_train_hidden test_digits
# %% answer id=train_som
def train_som(X, W0, coords, num_epochs, lr=(0.5, 0.01), sigma=(2.0, 0.5)):
    W = W0.copy()
    T = num_epochs * len(X)
    for t in range(T):
        radius = sigma[0] * (sigma[1] / sigma[0]) ** (t / T)
        W = som_step(W, X[t % len(X)], coords, lr[0], radius)
    return W
