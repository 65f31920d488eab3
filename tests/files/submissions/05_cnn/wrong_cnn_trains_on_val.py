# build_cnn() trains the network itself on the notebook's validation digits (the global X_val, y_val)
# before returning it: the validation floor is then met on images the network has memorised.
# expect: partial
# fails: test_cnn_untrained test_cnn_heldout
# %% answer id=build_cnn
def build_cnn():
    """The reference design, fitted to the global validation digits before it is returned (wrong)."""
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

    model = nn.Sequential(*block(1, 16), *block(16, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(100):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X_val), y_val).backward()
        optimizer.step()
    return model
