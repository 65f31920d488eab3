# The bias gradient summed over the features (axis=1) instead of over the batch (axis=0).
# expect: partial
# fails: test_affine_backward test_affine_backward_hidden test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=affine_backward
def affine_backward(dY, X, W):
    """Backward pass of Y = X W^T + b (wrong: db summed over axis 1)."""
    return dY @ W, dY.T @ X, dY.sum(axis=1)
