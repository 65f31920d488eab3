# Causal mask off by one below the diagonal: a position may read only the strict past, not itself.
# expect: partial
# fails: test_causal_mask test_causal_mask_hidden
# %% answer id=causal_mask
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril(diagonal=-1)
