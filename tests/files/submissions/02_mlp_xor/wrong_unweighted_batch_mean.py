# Reports the plain mean of the batch losses, so the last, smaller batch weighs as much as a full one.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, micro_batch_size=16, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        batch_losses = []
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            for micro in batch.split(micro_batch_size):
                share = loss_fn(model(X[micro]), y[micro]) / len(batch)
                share.backward()
                total += share.item()
            optimizer.step()
            batch_losses.append(total)
            total = 0.0
        losses.append(sum(batch_losses) / len(batch_losses))
    return losses
