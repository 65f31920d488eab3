# Stops its batch loop at N - 1: when the last batch would hold one example (N % batch_size == 1), it is skipped.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        total = 0.0
        for start in range(0, len(X) - 1, batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(X))
    return losses
