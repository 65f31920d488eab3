# Leaves out the ReLU: stacked linear layers, which collapse into one affine map.
# expect: partial
# fails: test_model_hidden
# %% answer id=model
class MLP(nn.Module):
    def __init__(self, num_inputs=64, hidden_sizes=(256,), num_outputs=10):
        super().__init__()
        sizes = [num_inputs, *hidden_sizes, num_outputs]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X
