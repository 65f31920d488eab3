# The negative slope ignored: the ReLU's variance 2 / fan_in for every leaky ReLU.
# expect: partial
# fails: test_he_init_hidden
# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    return math.sqrt(2.0 / math.prod(shape[1:])) * torch.randn(*shape, generator=generator)
