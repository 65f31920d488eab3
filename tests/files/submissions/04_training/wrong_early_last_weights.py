# Early stopping that "saves" model.state_dict() without copying it: the saved tensors are the live
# ones, so the model keeps the weights of the last epoch, not those of the best.
# expect: partial
# fails: test_early_restore test_early_hidden
# %% answer id=early_stopping
def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    history = {"train loss": [], "val loss": []}
    best_epoch, best_loss, best_state = 0, math.inf, None
    for epoch in range(1, max_epochs + 1):
        history["train loss"].append(float(train_epoch()))
        loss = float(val_loss())
        history["val loss"].append(loss)
        if loss < best_loss:
            best_epoch, best_loss = epoch, loss
            best_state = model.state_dict()
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch, history
