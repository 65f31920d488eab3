# The batch step divides by the total neighbourhood weight without a guard: with a tiny radius, units that
# win nothing (and have no winning neighbour within reach) become nan.
# expect: partial
# fails: test_batch_step_kmeans_hidden test_kmeans
# %% answer id=batch_som_step
def batch_som_step(X, W, coords, sigma):
    K = len(W)
    winners = best_matching_units(X, W)
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, winners, X)
    counts = np.bincount(winners, minlength=K).astype(float)
    H = np.exp(-grid_sq_distances(coords) / (2.0 * sigma ** 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (H @ sums) / (H @ counts)[:, None]
