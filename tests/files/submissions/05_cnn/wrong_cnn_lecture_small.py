# The lecture's small CNN copied as it is: within the budget (1 898 parameters) but too narrow and
# without normalisation, so it stays below the 98 % validation floor and the 96 % held-out test floor.
# expect: partial
# fails: test_cnn_accuracy test_cnn_heldout
# %% answer id=build_cnn
def build_cnn():
    """conv(1->8)-ReLU-pool, conv(8->16)-ReLU-pool, linear (wrong: below the floor)."""
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 2 * 2, 10))
