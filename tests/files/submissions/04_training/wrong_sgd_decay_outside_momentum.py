# Weight decay added to the step but not to the velocity: p -= lr (v + wd p) with v = mu v + grad, which
# is not the L2 penalty torch.optim.SGD applies (there the decay term accumulates in v too).
# expect: partial
# fails: test_sgd_decay_hidden
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
                v = self.state[p].setdefault("velocity", torch.zeros_like(p))
                v.mul_(group["momentum"]).add_(p.grad)
                p.sub_(group["lr"] * (v + group["weight_decay"] * p))
