# Masks A with the units' pattern but not c: an off unit's bias still reaches the output through c.
# expect: partial
# fails: test_forward test_forward_hidden
# %% answer id=forward
def relu_local_affine(X, params):
    N, D0 = X.shape
    A = np.broadcast_to(np.eye(D0), (N, D0, D0))
    c = np.zeros((N, D0))
    H = X
    for index, (W, b) in enumerate(params):
        Z = H @ W.T + b
        A = np.einsum("ij,njk->nik", W, A)
        c = c @ W.T + b
        if index < len(params) - 1:
            on = (Z > 0).astype(float)
            A = A * on[:, :, None]
            H = Z * on
        else:
            H = Z
    return H, A, c
