# Divides each micro-batch's mean loss by the number of micro-batches: right when they are all the same
# size, wrong when the last one is smaller.
# expect: partial
# fails: test_train_hidden test_train_minibatch_hidden
# %% answer id=train
def train(model, X, y, num_epochs, lr=3e-3, batch_size=64, micro_batch_size=16, generator=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(len(X), generator=generator)
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            micros = batch.split(micro_batch_size)
            for micro in micros:
                share = loss_fn(model(X[micro]), y[micro]) / len(micro) / len(micros)
                share.backward()
                total += share.item() * len(batch)
            optimizer.step()
        losses.append(total / len(X))
    return losses
