# He's variance from a uniform distribution on [-sqrt(6 / fan_in), sqrt(6 / fan_in)]: the right mean and
# std, but not the normal distribution the task asks for.
# expect: partial
# fails: test_he_init_hidden
# %% answer id=he_init
def he_init(out_features, in_features, generator=None):
    bound = math.sqrt(6.0 / in_features)
    return (2 * torch.rand(out_features, in_features, generator=generator) - 1) * bound
