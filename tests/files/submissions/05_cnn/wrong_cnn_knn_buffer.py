# A nearest-neighbour memory of the training digits kept in a registered buffer beside a tiny network:
# 73 536 buffer entries escape a count of parameters only, and the memory classifies the digits before
# any training.
# expect: partial
# fails: test_cnn_budget test_cnn_accuracy test_cnn_untrained
# %% answer id=build_cnn
def build_cnn():
    """A tiny CNN plus a 1-nearest-neighbour vote over the training digits kept in a buffer (wrong)."""
    class MemoryCNN(nn.Module):
        def __init__(self):
            super().__init__()
            split = data.digits_split()
            self.register_buffer("memory", torch.from_numpy(split.X_train))
            self.register_buffer("labels", torch.from_numpy(split.y_train))
            self.net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(256, 10))

        def forward(self, X):
            nearest = torch.cdist(X.reshape(len(X), -1), self.memory).argmin(dim=1)
            return self.net(X) + 100 * nn.functional.one_hot(self.labels[nearest], 10)

    return MemoryCNN()
