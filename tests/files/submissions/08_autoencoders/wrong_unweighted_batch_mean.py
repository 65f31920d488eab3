# Each epoch's loss is the plain mean of the batch losses, so the last, smaller batch weighs as much as a
# full one.
# expect: partial
# fails: test_train_minibatch_hidden test_train_contractive_hidden test_train_emphasis_hidden
# %% answer id=train
def train_autoencoder(model, X, num_epochs, corrupt=None, lam=0.0, batch_size=64, lr=1e-2, seed=0, val=None,
                      patience=5, emphasis=(1.0, 1.0)):
    order = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    if val is not None:
        X_val_in, X_val_target = (torch.as_tensor(A, dtype=torch.float32) for A in val)
    losses, val_errors = [], []
    best_error, best_state, waited = float("inf"), None, 0
    for _ in range(num_epochs):
        total = 0.0
        permutation = order.permutation(len(X))
        for start in range(0, len(X), batch_size):
            X_batch = X[permutation[start:start + batch_size]]
            X_in = torch.as_tensor(X_batch if corrupt is None else corrupt(X_batch), dtype=torch.float32)
            target = torch.as_tensor(X_batch, dtype=torch.float32)
            weights = torch.where(X_in != target, emphasis[0], emphasis[1])
            optimizer.zero_grad()
            loss = (weights * (model(X_in) - target) ** 2).mean()
            if lam > 0:
                loss = loss + lam * contractive_penalty(model, X_in)
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / len(range(0, len(X), batch_size)))
        if val is None:
            continue
        with torch.no_grad():
            error = ((model(X_val_in) - X_val_target) ** 2).mean().item()
        val_errors.append(error)
        if error < best_error:
            best_error, best_state, waited = error, copy.deepcopy(model.state_dict()), 0
        else:
            waited += 1
            if waited >= patience:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return losses, val_errors
