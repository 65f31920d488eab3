# Never resets the gradients, so every step uses the sum of all gradients computed so far.
# expect: partial
# fails: test_train test_train_hidden test_train_minibatch_hidden test_train_loss test_accuracy test_accuracy_hidden
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
            for micro in batch.split(micro_batch_size):
                share = loss_fn(model(X[micro]), y[micro]) / len(batch)
                share.backward()
                total += share.item() * len(batch)
            optimizer.step()
        losses.append(total / len(X))
    return losses
