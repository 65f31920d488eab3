# Uses the error bound M h^2 / 2 (Taylor from one end of the piece) instead of M h^2 / 8: twice the units.
# expect: partial
# fails: test_units test_units_hidden
# %% answer id=units
def units_for_tolerance(eps, curvature, length=1.0):
    return max(1, int(np.ceil(length * np.sqrt(curvature / (2 * eps)))))
