# Computes the neighbourhood from distances between weight vectors (input space) instead of grid positions,
# so nothing ties the map to the grid.
# expect: partial
# fails: test_step test_step_hidden test_train test_train_hidden test_digits
# %% answer id=som_step
def som_step(W, x, coords, lr, sigma):
    c = best_matching_units(x[None, :], W)[0]
    d2 = ((W - W[c]) ** 2).sum(axis=1)
    h = np.exp(-d2 / (2.0 * sigma ** 2))
    return W + lr * h[:, None] * (x - W)
