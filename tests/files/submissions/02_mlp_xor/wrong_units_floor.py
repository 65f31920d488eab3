# Rounds the root down: one unit short whenever the root is not a whole number, so the bound is missed.
# expect: partial
# fails: test_units test_units_hidden
# %% answer id=units
def units_for_tolerance(eps, curvature, length=1.0):
    return max(1, int(np.floor(length * np.sqrt(curvature / (8 * eps)))))
