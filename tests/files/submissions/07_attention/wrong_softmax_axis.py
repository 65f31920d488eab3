# The softmax normalises over the queries (axis -2) instead of over the keys (axis -1).
# expect: partial
# fails: test_softmax test_softmax_mask test_softmax_hidden test_sdpa test_sdpa_hidden test_mha_torch test_mha_hidden test_seq2seq_shapes test_seq2seq_causal test_seq2seq_floor test_seq2seq_floor_hidden
# %% answer id=masked_softmax
def masked_softmax(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(dim=-2)
