# Stops its batch loop at N - 1: when the last batch would hold one example (N % batch_size == 1), it is skipped.
# expect: partial
# fails: test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, micro_batch_size=16, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        total, seen = 0.0, 0
        for start in range(0, len(X) - 1, batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            for micro in batch.split(micro_batch_size):
                share = loss_fn(model(X[micro]), y[micro]) / len(batch)
                share.backward()
                total += share.item() * len(batch)
                seen += len(micro)
            optimizer.step()
        losses.append(total / seen)
    return losses
