# Builds one hidden layer of hidden_sizes[0] units and ignores the others, as the lecture's MLP had one.
# expect: partial
# fails: test_model_shape test_model_hidden
# %% answer id=model
class MLP(nn.Module):
    def __init__(self, num_inputs=64, hidden_sizes=(256,), num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, hidden_sizes[0])
        self.output = nn.Linear(hidden_sizes[0], num_outputs)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X)))
