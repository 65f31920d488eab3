# Applies the update to every example, also the correctly classified ones.
# expect: partial
# fails: test_update test_update_hidden test_train test_train_hidden
# %% answer id=update
def perceptron_update(w, b, x, y):
    mistake = y * (x @ w + b) <= 0
    return w + y * x, b + y, bool(mistake)
