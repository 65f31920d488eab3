# Forgets the biases in the forward pass.
# expect: partial
# fails: test_forward test_forward_hidden
# %% answer id=forward
def mlp_forward(X, params, activation=relu):
    H = X
    for index, (W, b) in enumerate(params):
        H = H @ W.T
        if index < len(params) - 1:
            H = activation(H)
    return H
