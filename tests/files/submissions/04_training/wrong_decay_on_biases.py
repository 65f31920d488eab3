# Weight decay on every parameter, the biases included.
# expect: partial
# fails: test_decay_groups test_decay_groups_hidden
# %% answer id=decay_groups
def decay_groups(model, weight_decay):
    return [{"params": list(model.parameters()), "weight_decay": weight_decay},
            {"params": [], "weight_decay": 0.0}]
