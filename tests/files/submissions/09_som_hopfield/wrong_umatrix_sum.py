# Sums the distances to the adjacent units instead of averaging them, so border units look smoother.
# expect: partial
# fails: test_u_matrix test_u_matrix_hidden
# %% answer id=u_matrix
def u_matrix(W, coords):
    grid_d2 = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=-1)
    near = (grid_d2 <= ADJACENT ** 2) & (grid_d2 > 0)
    dist = np.sqrt(((W[:, None, :] - W[None, :, :]) ** 2).sum(axis=-1))
    return (dist * near).sum(axis=1)
