# The reference network, but build_cnn() fixes the seed itself (a seed found to score well): every call
# returns the same initial weights, whatever seed the caller set.
# expect: partial
# fails: test_cnn_untrained
# %% answer id=build_cnn
def build_cnn():
    """Conv-BN-ReLU x3 (16/16/32), two max-pools, linear; reseeds PyTorch (wrong)."""
    torch.manual_seed(0)

    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

    return nn.Sequential(*block(1, 16), *block(16, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
