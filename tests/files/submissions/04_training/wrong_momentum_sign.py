# Momentum with the sign flipped: v = mu v - g, then p -= lr v, so every step climbs the loss.
# expect: partial
# fails: test_sgd test_sgd_hidden test_sgd_decay_hidden
# %% answer id=sgd
class SGDMomentum(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                v = self.state[p].setdefault("velocity", torch.zeros_like(p))
                v.mul_(group["momentum"]).sub_(g)
                p.sub_(group["lr"] * v)
