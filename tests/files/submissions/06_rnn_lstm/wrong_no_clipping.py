# Leaves out gradient clipping in the training loop (and zeroes the gradients after the step instead of
# before the backward pass, which is equivalent). The losses differ from the specified loop's.
# expect: partial
# fails: test_train_hidden
# %% answer id=train
def train_adding(model, T, num_steps, batch_size=32, lr=0.01, max_norm=1.0, seed=0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(num_steps):
        X, y = (torch.from_numpy(a) for a in adding_problem(batch_size, T, rng))
        loss = (model(X) - y).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses
