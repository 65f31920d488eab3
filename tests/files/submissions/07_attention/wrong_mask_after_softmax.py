# The mask is applied after the softmax (masked weights zeroed), so the remaining weights no longer sum to 1.
# expect: partial
# fails: test_softmax_mask test_softmax_hidden test_sdpa_hidden test_mha_hidden
# %% answer id=masked_softmax
def masked_softmax(scores, mask=None):
    weights = scores.softmax(dim=-1)
    if mask is not None:
        weights = weights * mask
    return weights
