# A "CNN" without nonlinearities or pooling: two stacked convolutions and a dense layer compose to one
# linear map, i.e. a linear classifier on the pixels. Within the budget (2 758 parameters), but it stays
# below the 98 % validation floor.
# expect: partial
# fails: test_cnn_accuracy test_cnn_heldout
# %% answer id=build_cnn
def build_cnn():
    """Conv, conv, linear with nothing in between (wrong: the whole network is linear)."""
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1),
                         nn.Flatten(), nn.Linear(4 * 8 * 8, 10))
