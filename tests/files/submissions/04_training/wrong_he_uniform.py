# He's variance from a uniform distribution on [-sqrt(6 / fan_in), sqrt(6 / fan_in)]: the right mean and
# std, but not the normal distribution the task asks for.
# expect: partial
# fails: test_he_init_hidden
# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    bound = math.sqrt(6.0 / ((1 + negative_slope**2) * math.prod(shape[1:])))
    return (2 * torch.rand(*shape, generator=generator) - 1) * bound
