# A correct solution written differently: an RNN that preallocates the output and uses einsum, an LSTM
# that splits the stacked weights into per-gate matrices first and keeps the states in an array, clipping
# that flattens all gradients into one vector, a model that reads the last state from h_n, and nn.MSELoss.
# expect: full
# %% answer id=rnn_forward
def rnn_forward(X, h0, W_ih, W_hh, b_ih, b_hh):
    N, T, _ = X.shape
    out = np.empty((N, T, W_hh.shape[0]))
    inputs = np.einsum("ntd,hd->nth", X, W_ih) + (b_ih + b_hh)
    h = h0
    for t in range(T):
        h = np.tanh(inputs[:, t] + np.einsum("nk,hk->nh", h, W_hh))
        out[:, t] = h
    return out

# %% answer id=lstm_forward
def lstm_forward(X, h0, c0, W_ih, W_hh, b_ih, b_hh):
    hidden = W_hh.shape[1]
    names = ["input", "forget", "cell", "output"]
    Wx = {name: W_ih[k * hidden:(k + 1) * hidden] for k, name in enumerate(names)}
    Wh = {name: W_hh[k * hidden:(k + 1) * hidden] for k, name in enumerate(names)}
    bias = {name: (b_ih + b_hh)[k * hidden:(k + 1) * hidden] for k, name in enumerate(names)}
    N, T, _ = X.shape
    out = np.zeros((N, T, hidden))
    h, c = h0.copy(), c0.copy()
    for t in range(T):
        pre = {name: X[:, t] @ Wx[name].T + h @ Wh[name].T + bias[name] for name in names}
        forget = 1 / (1 + np.exp(-pre["forget"]))
        write = 1 / (1 + np.exp(-pre["input"]))
        show = 1 / (1 + np.exp(-pre["output"]))
        c = forget * c + write * np.tanh(pre["cell"])
        h = show * np.tanh(c)
        out[:, t] = h
    return out, c

# %% answer id=clip
def clip_by_global_norm(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads])
    total_norm = float(np.linalg.norm(flat))
    if total_norm <= max_norm:
        return [np.array(g, copy=True) for g in grads], total_norm
    factor = max_norm / total_norm
    return [np.multiply(g, factor) for g in grads], total_norm

# %% answer id=model
class AddingLSTM(nn.Module):
    def __init__(self, num_hiddens=32):
        super().__init__()
        self.recurrent = nn.LSTM(input_size=2, hidden_size=num_hiddens, num_layers=1, batch_first=True)
        self.readout = nn.Linear(num_hiddens, 1)

    def forward(self, X):
        _, (h_n, _) = self.recurrent(X)
        return self.readout(h_n[-1])[:, 0]

# %% answer id=train
def train_adding(model, T, num_steps, batch_size=32, lr=0.01, max_norm=1.0, seed=0):
    generator = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    history = []
    step = 0
    while step < num_steps:
        X_np, y_np = adding_problem(batch_size, T, generator)
        X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
        optimizer.step()
        history.append(float(loss))
        step += 1
    return history
