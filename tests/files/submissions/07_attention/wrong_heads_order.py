# Heads split in the wrong order: (batch, time, d_head, num_heads) instead of (batch, time, num_heads,
# d_head), so head i takes every num_heads-th column instead of a block of d_head columns.
# expect: partial
# fails: test_mha_torch test_mha_hidden
# %% answer id=mha
def multi_head_attention(X_q, X_kv, W_q, W_k, W_v, W_o, num_heads, mask=None):
    batch, T, _ = X_q.shape

    def split(Z):
        return Z.reshape(batch, Z.shape[1], -1, num_heads).permute(0, 3, 1, 2)

    if mask is not None:
        mask = mask.unsqueeze(-3)
    heads, weights = scaled_dot_product_attention(split(X_q @ W_q.T), split(X_kv @ W_k.T), split(X_kv @ W_v.T), mask)
    return heads.permute(0, 2, 3, 1).reshape(batch, T, -1) @ W_o.T, weights
