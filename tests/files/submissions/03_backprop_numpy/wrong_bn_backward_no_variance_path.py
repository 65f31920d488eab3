# Batch norm backward that forgets the path through the variance: dX = gamma / std * (dY - mean(dY)).
# expect: partial
# fails: test_batchnorm_backward test_batchnorm_backward_hidden test_train_step test_train_step_hidden
# %% answer id=batchnorm_backward
def batchnorm_backward(dY, cache):
    """Backward pass of batchnorm_forward in training mode.

    dY:    array of shape (N, D), the gradient of the loss with respect to Y.
    cache: what batchnorm_forward returned with Y for this batch (training mode).
    Returns a tuple (dX, dgamma, dbeta) of arrays of shapes (N, D), (D,) and (D,).
    """
    X_hat, gamma, inv_std = cache
    N = dY.shape[0]
    dbeta = dY.sum(axis=0)
    dgamma = (dY * X_hat).sum(axis=0)
    dX_hat = dY * gamma
    dX = inv_std / N * (N * dX_hat - dX_hat.sum(axis=0))
    return dX, dgamma, dbeta
