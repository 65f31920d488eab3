# Finished the perceptron (parts 1-3) but not logistic regression.
# expect: partial
# fails: test_loss test_loss_hidden test_grad test_grad_hidden test_gd
# %% answer id=logistic
def logistic_loss(X, y, w, b):
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_grad(X, y, w, b):
    # YOUR CODE HERE
    raise NotImplementedError()
