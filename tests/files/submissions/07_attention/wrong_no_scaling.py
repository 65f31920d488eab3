# The scores are not divided by sqrt(d): plain dot-product attention.
# expect: partial
# fails: test_sdpa test_sdpa_hidden test_mha_torch test_mha_hidden
# %% answer id=sdpa
def scaled_dot_product_attention(Q, K, V, mask=None):
    weights = masked_softmax(Q @ K.transpose(-2, -1), mask)
    return weights @ V, weights
