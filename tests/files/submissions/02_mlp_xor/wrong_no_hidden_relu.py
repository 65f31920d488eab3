# Leaves out the ReLU: two stacked linear layers, which collapse into one affine map.
# expect: partial
# fails: test_model_hidden
# %% answer id=model
class MLP(nn.Module):
    def __init__(self, num_inputs=64, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.output(self.hidden(X))
