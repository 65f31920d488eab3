# The weight gradient computed as X.T @ dY: the transpose of the right answer, shape (D, M), the (in, out) layout.
# expect: partial
# fails: test_affine_backward test_affine_backward_hidden test_train_step test_train_step_hidden test_accuracy test_accuracy_hidden
# %% answer id=affine_backward
def affine_backward(dY, X, W):
    """Backward pass of Y = X W^T + b (wrong: dW transposed)."""
    return dY @ W, X.T @ dY, dY.sum(axis=0)
