# Batch norm backward with dgamma = dY * X_hat not summed over the batch (shape (N, D) instead of (D,)).
# expect: partial
# fails: test_batchnorm_backward test_batchnorm_backward_hidden test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
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
    dgamma = dY * X_hat
    dX_hat = dY * gamma
    dX = inv_std / N * (N * dX_hat - dX_hat.sum(axis=0) - X_hat * (dX_hat * X_hat).sum(axis=0))
    return dX, dgamma, dbeta
