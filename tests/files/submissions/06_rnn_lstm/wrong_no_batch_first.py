# Creates the LSTM without batch_first=True, so the (N, T, 2) batch is read as N time steps of T
# sequences: the model mixes different sequences and cannot solve the task.
# expect: partial
# fails: test_train_hidden test_adding
# %% answer id=model
class AddingLSTM(nn.Module):
    def __init__(self, num_hiddens=32):
        super().__init__()
        self.lstm = nn.LSTM(2, num_hiddens)
        self.head = nn.Linear(num_hiddens, 1)

    def forward(self, X):
        states, _ = self.lstm(X)
        return self.head(states[:, -1]).squeeze(-1)
