# Batch norm normalising with the unbiased variance (divided by N - 1) in training mode:
# the bias correction belongs to the running variance only.
# expect: partial
# fails: test_batchnorm_forward test_batchnorm_forward_hidden test_batchnorm_backward test_batchnorm_backward_hidden test_train_step test_train_step_hidden
# %% answer id=batchnorm_forward
def batchnorm_forward(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch normalisation of every feature (column) of X.

    X:            array of shape (N, D), the batch (N >= 2 in training mode).
    gamma, beta:  arrays of shape (D,), the scale and the shift.
    running_mean: array of shape (D,), the running mean; updated in place in training mode.
    running_var:  array of shape (D,), the running variance; updated in place in training mode.
    training:     bool. True: normalise with the batch mean and the biased batch variance (divided by N),
                  then update running_mean and running_var in place with the batch mean and the
                  unbiased batch variance (divided by N - 1). False: normalise with running_mean and
                  running_var, and leave them unchanged.
    momentum:     float, the weight m of the new batch in the running averages.
    eps:          float, added to the variance before the square root.
    Returns a tuple (Y, cache): Y an array of shape (N, D); cache whatever batchnorm_backward needs
    (any object you like; in inference mode it may be None).
    """
    if not training:
        return gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta, None
    N = X.shape[0]
    mean = X.mean(axis=0)
    var = X.var(axis=0, ddof=1)
    inv_std = 1 / np.sqrt(var + eps)
    X_hat = (X - mean) * inv_std
    running_mean[...] = (1 - momentum) * running_mean + momentum * mean
    running_var[...] = (1 - momentum) * running_var + momentum * var * N / (N - 1)
    return gamma * X_hat + beta, (X_hat, gamma, inv_std)
