# Reads the prediction out of the hidden state after the first step (states[:, 0]) instead of the last,
# before the model has seen the marked values.
# expect: partial
# fails: test_train_hidden test_adding
# %% answer id=model
class AddingLSTM(nn.Module):
    def __init__(self, num_hiddens=32):
        super().__init__()
        self.lstm = nn.LSTM(2, num_hiddens, batch_first=True)
        self.head = nn.Linear(num_hiddens, 1)

    def forward(self, X):
        states, _ = self.lstm(X)
        return self.head(states[:, 0]).squeeze(-1)
