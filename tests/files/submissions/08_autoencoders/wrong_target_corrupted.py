# The training loop compares the output with the corrupted batch instead of the clean one.
# expect: partial
# fails: test_train_minibatch_hidden test_train_dae test_dae_test_hidden test_train_dae_hidden
# %% answer id=train
def train_dae(model, X, corrupt, num_epochs, batch_size=64, lr=1e-2, seed=0):
    order = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        total = 0.0
        permutation = order.permutation(len(X))
        for start in range(0, len(X), batch_size):
            X_batch = X[permutation[start:start + batch_size]]
            X_noisy = torch.as_tensor(corrupt(X_batch), dtype=torch.float32)
            optimizer.zero_grad()
            loss = ((model(X_noisy) - X_noisy) ** 2).mean()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(X_batch)
        losses.append(total / len(X))
    return losses
