# The weight gradient computed as dY.T @ X: the transpose of the right answer, shape (M, D).
# expect: partial
# fails: test_affine_backward test_affine_backward_hidden test_train_step test_train_step_hidden test_accuracy
# %% answer id=affine_backward
def affine_backward(dY, X, W):
    """Backward pass of Y = X W + b (wrong: dW transposed)."""
    return dY @ W.T, dY.T @ X, dY.sum(axis=0)
