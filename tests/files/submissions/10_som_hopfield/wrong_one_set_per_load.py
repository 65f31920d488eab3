# Draws one pattern set per load and ignores num_sets.
# expect: partial
# fails: test_stable_fraction_hidden
# %% answer id=stable_fraction
def stable_fraction(weights_fn, N, loads, num_sets, rng):
    fractions = []
    for load in loads:
        patterns = rng.choice([-1.0, 1.0], size=(int(round(load * N)), N))
        W = weights_fn(patterns)
        fractions.append((sign(patterns @ W.T) == patterns).all(axis=1).mean())
    return np.array(fractions)
