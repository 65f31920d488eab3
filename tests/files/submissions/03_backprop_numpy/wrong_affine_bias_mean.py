# The bias gradient averaged over the batch instead of summed: a mean-versus-sum mismatch (the loss
# already carries the 1/N).
# expect: partial
# fails: test_affine_backward test_affine_backward_hidden test_train_step_hidden
# %% answer id=affine_backward
def affine_backward(dY, X, W):
    """Backward pass of Y = X W^T + b (wrong: db is the batch mean)."""
    return dY @ W, dY.T @ X, dY.mean(axis=0)
