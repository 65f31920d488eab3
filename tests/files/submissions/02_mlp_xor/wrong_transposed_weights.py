# Multiplies by W instead of W.T, as if the weights were stored (in_features, out_features).
# expect: partial
# fails: test_forward_shape test_forward test_forward_hidden
# %% answer id=forward
def mlp_forward(X, params, activation=relu):
    H = X
    for index, (W, b) in enumerate(params):
        H = H @ W + b
        if index < len(params) - 1:
            H = activation(H)
    return H
