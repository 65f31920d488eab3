# A convolution's fan-in taken as its input channels alone (shape[1]), forgetting the kernel's taps: right
# for a dense layer only.
# expect: partial
# fails: test_he_init_hidden
# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    std = math.sqrt(2.0 / ((1 + negative_slope**2) * shape[1]))
    return std * torch.randn(*shape, generator=generator)
