# Counts only y (w·x + b) < 0 as a mistake, so from zero weights the perceptron never moves.
# expect: partial
# fails: test_update_hidden test_train test_train_hidden
# %% answer id=update
def perceptron_update(w, b, x, y):
    if y * (x @ w + b) < 0:
        return w + y * x, b + y, True
    return w.copy(), b, False
