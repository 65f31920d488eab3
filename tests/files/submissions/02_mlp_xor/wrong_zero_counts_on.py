# Counts a pre-activation of exactly 0 as on (z >= 0): the outputs are right (ReLU(0) = 0), but A and c
# take the unit's path where the specification and PyTorch's derivative switch it off.
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
            on = (Z >= 0).astype(float)
            A = A * on[:, :, None]
            c = c * on
            H = Z * on
        else:
            H = Z
    return H, A, c
