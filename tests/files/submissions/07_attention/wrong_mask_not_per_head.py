# The mask is passed on without a head axis: a (batch, 1, S) padding mask then lines up its batch axis
# with the heads axis of the (batch, num_heads, T, S) scores and no longer broadcasts.
# expect: partial
# fails: test_mha_hidden
# %% answer id=mha
def multi_head_attention(X_q, X_kv, W_q, W_k, W_v, W_o, num_heads, mask=None):
    batch, T, _ = X_q.shape

    def split(Z):
        return Z.reshape(batch, Z.shape[1], num_heads, -1).transpose(1, 2)

    heads, weights = scaled_dot_product_attention(split(X_q @ W_q.T), split(X_kv @ W_k.T), split(X_kv @ W_v.T), mask)
    return heads.transpose(1, 2).reshape(batch, T, -1) @ W_o.T, weights
