# Uses the grid distance instead of its square in the Gaussian: exp(-d / (2 sigma^2)).
# expect: partial
# fails: test_neighbourhood test_neighbourhood_hidden test_step test_step_hidden test_train test_train_hidden test_digits
# %% answer id=neighbourhood
def neighbourhood(coords, bmus, sigma):
    d = np.sqrt(((coords[None, :, :] - coords[bmus][:, None, :]) ** 2).sum(axis=-1))
    return np.exp(-d / (2.0 * sigma ** 2))
