# He initialisation scaled by the fan-out (output units times kernel taps) instead of the fan-in.
# expect: partial
# fails: test_he_init test_he_init_hidden
# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    fan_out = shape[0] * math.prod(shape[2:])
    return math.sqrt(2.0 / ((1 + negative_slope**2) * fan_out)) * torch.randn(*shape, generator=generator)
