# Forgets the output bias: the network starts at 0 instead of at the first value.
# expect: partial
# fails: test_interp_hidden
# %% answer id=interp
def relu_interpolant(knots, values):
    knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
    slopes = np.diff(values) / np.diff(knots)
    return np.ones((len(slopes), 1)), -knots[:-1], np.diff(slopes, prepend=0.0)[None, :], np.zeros(1)
