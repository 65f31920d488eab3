# Counts stable units instead of stable patterns: the fraction of entries with sign(W p)_i == p_i.
# expect: partial
# fails: test_stable_fraction_hidden test_capacity
# %% answer id=stable_fraction
def stable_fraction(weights_fn, N, loads, num_sets, rng):
    fractions = []
    for load in loads:
        P = int(round(load * N))
        kept = []
        for _ in range(num_sets):
            patterns = rng.choice([-1.0, 1.0], size=(P, N))
            W = weights_fn(patterns)
            kept.append((sign(patterns @ W.T) == patterns).ravel())
        fractions.append(np.concatenate(kept).mean())
    return np.array(fractions)
