# A correct solution written differently: SGD in the "u = mu u - lr g; p += u" form (the same steps for a
# fixed lr), Adam with the bias corrections folded into the step size and eps (AMSGrad's peak kept
# from the first step's average), He init with normal_,
# the biases picked as the one-dimensional parameters, and early stopping that keeps a deep copy of the
# whole model and counts the epochs without a new best.
# expect: full
# %% answer id=sgd
class SGDMomentum(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, mu, wd = group["lr"], group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = torch.add(p.grad, p, alpha=wd)
                u = self.state[p].get("u")
                u = -lr * grad if u is None else mu * u - lr * grad
                self.state[p]["u"] = u
                p.add_(u)

# %% answer id=adam
class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.add(p, alpha=group["weight_decay"])
                st = self.state[p]
                st["step"] = st.get("step", 0) + 1
                st["avg"] = b1 * st.get("avg", 0.0) + (1 - b1) * grad
                st["sq"] = b2 * st.get("sq", 0.0) + (1 - b2) * grad**2
                second = st["sq"]
                if group["amsgrad"]:
                    st["peak"] = second if "peak" not in st else torch.max(st["peak"], second)
                    second = st["peak"]
                root = math.sqrt(1 - b2 ** st["step"])
                size = group["lr"] * root / (1 - b1 ** st["step"])
                p.addcdiv_(st["avg"], second.sqrt() + group["eps"] * root, value=-size)

# %% answer id=he_init
def he_init(shape, negative_slope=0.0, generator=None):
    fan_in = 1
    for size in shape[1:]:
        fan_in *= size
    W = torch.empty(shape)
    W.normal_(mean=0.0, std=(2.0 / (fan_in + negative_slope * negative_slope * fan_in)) ** 0.5, generator=generator)
    return W

# %% answer id=decay_groups
def decay_groups(model, weight_decay):
    params = list(model.parameters())
    return [{"params": [p for p in params if p.ndim > 1], "weight_decay": weight_decay},
            {"params": [p for p in params if p.ndim <= 1], "weight_decay": 0.0}]

# %% answer id=early_stopping
def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    train_losses, val_losses = [], []
    best, best_model, waited = None, None, 0
    epoch = 0
    while epoch < max_epochs and waited < patience:
        epoch += 1
        train_losses.append(train_epoch())
        val_losses.append(val_loss())
        if best is None or val_losses[-1] < val_losses[best - 1]:
            best, best_model, waited = epoch, copy.deepcopy(model), 0
        else:
            waited += 1
    model.load_state_dict(best_model.state_dict())
    return best, {"train loss": train_losses, "val loss": val_losses}
