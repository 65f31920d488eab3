# Early stopping that watches the training loss instead of the validation loss.
# expect: partial
# fails: test_early_best test_early_stop test_early_restore test_early_hidden
# %% answer id=early_stopping
def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    history = {"train loss": [], "val loss": []}
    best_epoch, best_loss, best_state = 0, math.inf, None
    for epoch in range(1, max_epochs + 1):
        loss = float(train_epoch())
        history["train loss"].append(loss)
        history["val loss"].append(float(val_loss()))
        if loss < best_loss:
            best_epoch, best_loss = epoch, loss
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch, history
