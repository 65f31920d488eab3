# Positional encoding with sine and cosine swapped: cosines in the even features, sines in the odd ones.
# expect: partial
# fails: test_pe test_pe_hidden
# %% answer id=positional_encoding
def positional_encoding(num_positions, d):
    angle = torch.arange(num_positions, dtype=torch.float64)[:, None] / 10000.0 ** (
        torch.arange(0, d, 2, dtype=torch.float64) / d)
    return torch.stack([torch.cos(angle), torch.sin(angle)], dim=-1).reshape(num_positions, d)
