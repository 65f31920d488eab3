# Applies the activation after the last layer too, so the logits can never be negative.
# expect: partial
# fails: test_forward test_forward_hidden
# %% answer id=forward
def mlp_forward(X, params, activation=relu):
    H = X
    for W, b in params:
        H = activation(H @ W.T + b)
    return H
