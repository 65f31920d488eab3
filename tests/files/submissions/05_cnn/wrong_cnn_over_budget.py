# Accurate, but 32 channels in every convolution: 20 202 parameters, twice the 10 000 budget.
# expect: partial
# fails: test_cnn_budget
# %% answer id=build_cnn
def build_cnn():
    """Three Conv-BN-ReLU layers of 32 channels, two max-pools, linear (wrong: over the budget)."""
    layers, c_in = [], 1
    for k in range(3):
        layers += [nn.Conv2d(c_in, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU()]
        if k > 0:
            layers.append(nn.MaxPool2d(2))
        c_in = 32
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
