# Causal mask off by one above the diagonal: a position may also read the next one, the token it predicts.
# expect: partial
# fails: test_causal_mask test_causal_mask_hidden
# %% answer id=causal_mask
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril(diagonal=1)
