# Weights used in the old (in, out) layout, applied as X @ W instead of X @ W.T: with the (out, in)
# weights of the tests the products fail with a shape error where a weight is not square, and give the
# wrong projection (W instead of W.T) where it is.
# expect: partial
# fails: test_mha_shapes test_mha_torch test_mha_hidden
# %% answer id=mha
def multi_head_attention(X_q, X_kv, W_q, W_k, W_v, W_o, num_heads, mask=None):
    batch, T, d_model = X_q.shape

    def split(Z):
        return Z.reshape(batch, Z.shape[1], num_heads, -1).transpose(1, 2)

    if mask is not None:
        mask = mask.unsqueeze(-3)
    heads, weights = scaled_dot_product_attention(split(X_q @ W_q), split(X_kv @ W_k), split(X_kv @ W_v), mask)
    return heads.transpose(1, 2).reshape(batch, T, -1) @ W_o, weights
