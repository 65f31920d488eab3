# The fixed-point check maps a field of exactly 0 to +1, against the course's rule sign(0) = -1.
# expect: partial
# fails: test_stable_fraction_hidden
# %% answer id=stable_fraction
def stable_fraction(weights_fn, N, loads, num_sets, rng):
    fractions = []
    for load in loads:
        P = int(round(load * N))
        kept = []
        for _ in range(num_sets):
            patterns = rng.choice([-1.0, 1.0], size=(P, N))
            W = weights_fn(patterns)
            kept.append((np.where(patterns @ W.T >= 0, 1.0, -1.0) == patterns).all(axis=1))
        fractions.append(np.concatenate(kept).mean())
    return np.array(fractions)
