# Positional encoding with the wrong frequency base: 1000 instead of 10000.
# expect: partial
# fails: test_pe test_pe_hidden
# %% answer id=positional_encoding
def positional_encoding(num_positions, d):
    angle = torch.arange(num_positions, dtype=torch.float64)[:, None] / 1000.0 ** (
        torch.arange(0, d, 2, dtype=torch.float64) / d)
    return torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1).reshape(num_positions, d)
