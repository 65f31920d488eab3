# Places each unit at the right end of its piece, ReLU(x - t_{j+1}): the first piece gets no slope at all.
# expect: partial
# fails: test_interp test_interp_hidden test_units_hidden
# %% answer id=interp
def relu_interpolant(knots, values):
    knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
    slopes = np.diff(values) / np.diff(knots)
    return np.ones((len(slopes), 1)), -knots[1:], np.diff(slopes, prepend=0.0)[None, :], values[:1].copy()
