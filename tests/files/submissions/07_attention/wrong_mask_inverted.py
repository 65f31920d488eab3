# Mask polarity inverted: the entries marked True (allowed) are the ones removed, as in nn.MultiheadAttention.
# expect: partial
# fails: test_softmax_mask test_softmax_hidden test_sdpa_hidden test_mha_hidden
# %% answer id=masked_softmax
def masked_softmax(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    return scores.softmax(dim=-1)
