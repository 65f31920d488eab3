# Reports the plain mean of the batch losses, so the last, smaller batch weighs as much as a full one.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        batch_losses = []
        for start in range(0, len(X), batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        losses.append(float(np.mean(batch_losses)))
    return losses
