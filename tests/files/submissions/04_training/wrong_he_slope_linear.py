# The leaky ReLU's gain with (1 + a) in place of (1 + a^2): right for the ReLU (a = 0) and for a = 1 only.
# expect: partial
# fails: test_he_init_hidden
# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    std = math.sqrt(2.0 / ((1 + negative_slope) * math.prod(shape[1:])))
    return std * torch.randn(*shape, generator=generator)
