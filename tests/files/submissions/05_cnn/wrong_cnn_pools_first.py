# Pools the 8x8 digit down to 2x2 before any convolution: almost all of the image is thrown away before
# the network sees it, and accuracy stays far below the floor.
# expect: partial
# fails: test_cnn_accuracy test_cnn_heldout
# %% answer id=build_cnn
def build_cnn():
    """max-pool 4, conv(1->16)-ReLU, linear (wrong: pools before convolving)."""
    return nn.Sequential(nn.MaxPool2d(4), nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(16 * 2 * 2, 10))
