# Early stopping that counts a tie with the best validation loss as a new best (<= instead of <), so it
# picks the latest of equal epochs and waits longer.
# expect: partial
# fails: test_early_hidden
# %% answer id=early_stopping
def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    history = {"train loss": [], "val loss": []}
    best_epoch, best_loss, best_state = 0, math.inf, None
    for epoch in range(1, max_epochs + 1):
        history["train loss"].append(float(train_epoch()))
        loss = float(val_loss())
        history["val loss"].append(loss)
        if loss <= best_loss:
            best_epoch, best_loss = epoch, loss
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch, history
