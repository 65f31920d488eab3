# Creates a new Adam optimiser at every step, so Adam's running moments restart each time and every
# update is a step of length about lr in the sign direction of the gradient.
# expect: partial
# fails: test_train_hidden test_adding
# %% answer id=train
def train_adding(model, T, num_steps, batch_size=32, lr=0.01, max_norm=1.0, seed=0):
    """Train model on freshly generated adding-problem batches; the model is changed in place.

    model: an nn.Module mapping (batch_size, T, 2) inputs to (batch_size,) predictions.
    T: sequence length; num_steps: number of optimisation steps; batch_size: sequences per step;
    lr: Adam's learning rate; max_norm: threshold for clipping the gradients' global norm;
    seed: seed of the data generator.
    Create torch.optim.Adam(model.parameters(), lr=lr) and rng = np.random.default_rng(seed) once. Then, at
    every step: draw X, y = adding_problem(batch_size, T, rng) and convert them with torch.from_numpy;
    compute the mean squared error of model(X) against y; reset the gradients; backpropagate; clip with
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm); take an optimiser step.
    Returns a list of num_steps floats: the loss of every step (before that step's update).
    """
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
