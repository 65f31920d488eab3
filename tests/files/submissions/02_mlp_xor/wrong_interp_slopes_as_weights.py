# Uses each piece's slope as its unit's output weight instead of the change of slope: the slopes add up,
# so the network is right on the first piece only.
# expect: partial
# fails: test_interp test_interp_hidden test_units_hidden
# %% answer id=interp
def relu_interpolant(knots, values):
    knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
    slopes = np.diff(values) / np.diff(knots)
    return np.ones((len(slopes), 1)), -knots[:-1], slopes[None, :], values[:1].copy()
