# Keys and queries swapped: the scores are K Q^T, of shape (..., S, T), instead of Q K^T.
# expect: partial
# fails: test_sdpa test_sdpa_shapes test_sdpa_hidden test_mha_shapes test_mha_torch test_mha_hidden test_seq2seq_shapes test_seq2seq_causal test_seq2seq_floor test_seq2seq_floor_hidden
# %% answer id=sdpa
def scaled_dot_product_attention(Q, K, V, mask=None):
    weights = masked_softmax(K @ Q.transpose(-2, -1) / math.sqrt(Q.shape[-1]), mask)
    return weights @ V, weights
