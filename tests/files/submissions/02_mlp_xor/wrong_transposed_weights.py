# Folds with W.T instead of W, as if the weights were stored (in_features, out_features).
# expect: partial
# fails: test_forward_shape test_forward test_forward_hidden
# %% answer id=forward
def relu_local_affine(X, params):
    N, D0 = X.shape
    A = np.broadcast_to(np.eye(D0), (N, D0, D0))
    c = np.zeros((N, D0))
    H = X
    for index, (W, b) in enumerate(params):
        Z = H @ W.T + b
        A = np.einsum("ji,njk->nik", W, A)
        c = c @ W.T + b
        if index < len(params) - 1:
            on = (Z > 0).astype(float)
            A = A * on[:, :, None]
            c = c * on
            H = Z * on
        else:
            H = Z
    return H, A, c
