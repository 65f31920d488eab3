# Creates a new Adam optimiser at every step, so Adam's running moments restart each time and every
# update is a step of length about lr in the sign direction of the gradient.
# expect: partial
# fails: test_train_hidden test_adding
# %% answer id=train
def train_adding(model, T, num_steps, batch_size=32, lr=0.01, max_norm=1.0, seed=0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    data_rng = np.random.default_rng(seed)
    losses = []
    for _ in progress(range(num_steps), desc=f"training, T = {T}"):
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        X, y = (torch.from_numpy(a) for a in adding_problem(batch_size, T, data_rng))
        loss = (model(X) - y).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
        optimizer.step()
        losses.append(loss.item())
    return losses
