# Never shuffles: every epoch visits the batches in the data's own order.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(num_epochs):
        total = 0.0
        for start in range(0, len(X), batch_size):
            index = torch.arange(start, min(start + batch_size, len(X)))
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(X))
    return losses
