# Off-by-one patience: stops only after patience + 1 epochs in a row without a new best.
# expect: partial
# fails: test_early_stop test_early_hidden
# %% answer id=early_stopping
def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    history = {"train loss": [], "val loss": []}
    best_epoch, best_loss, best_state = 0, math.inf, None
    bad_epochs = 0
    for epoch in range(1, max_epochs + 1):
        history["train loss"].append(float(train_epoch()))
        loss = float(val_loss())
        history["val loss"].append(loss)
        if loss < best_loss:
            best_epoch, best_loss, bad_epochs = epoch, loss, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs > patience:
                break
    model.load_state_dict(best_state)
    return best_epoch, history
