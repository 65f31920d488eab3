# Drops the last, smaller batch of every epoch (only full batches), so some examples are never trained on.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        total, seen = 0.0, 0
        for start in range(0, len(X) - batch_size + 1, batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
            seen += len(index)
        losses.append(total / seen)
    return losses
