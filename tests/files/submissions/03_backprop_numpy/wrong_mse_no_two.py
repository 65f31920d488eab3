# The MSE gradient without the factor 2 from differentiating the square.
# expect: partial
# fails: test_mse_loss test_mse_loss_hidden
# %% answer id=mse_loss
def mse_loss(Y_hat, T):
    """Mean squared error and its gradient (wrong: factor 2 missing)."""
    diff = Y_hat - T
    return float(np.mean(diff**2)), diff / diff.size
