# He initialisation scaled by the fan-out (the number of rows) instead of the fan-in.
# expect: partial
# fails: test_he_init test_he_init_hidden
# %% answer id=he_init
def he_init(out_features, in_features, generator=None):
    return math.sqrt(2.0 / out_features) * torch.randn(out_features, in_features, generator=generator)
