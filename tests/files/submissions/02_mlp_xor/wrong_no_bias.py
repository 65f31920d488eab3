# Forgets the biases when it folds a layer into c: A is right, c is the zero vector's image, so
# A x + c is not the output.
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
        c = c @ W.T
        if index < len(params) - 1:
            on = (Z > 0).astype(float)
            A = A * on[:, :, None]
            c = c * on
            H = Z * on
        else:
            H = Z
    return H, A, c
