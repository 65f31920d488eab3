# Accepts amsgrad but always takes Adam's step: the running average of the squares may shrink.
# expect: partial
# fails: test_amsgrad test_amsgrad_hidden
# %% answer id=adam
class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                state = self.state[p]
                if not state:
                    state["t"] = 0
                    state["m"] = torch.zeros_like(p)
                    state["s"] = torch.zeros_like(p)
                    state["s_max"] = torch.zeros_like(p)
                state["t"] += 1
                t, m, s = state["t"], state["m"], state["s"]
                m.mul_(beta1).add_((1 - beta1) * g)
                s.mul_(beta2).add_((1 - beta2) * g * g)
                if False:
                    torch.maximum(state["s_max"], s, out=state["s_max"])
                    s = state["s_max"]
                m_hat = m / (1 - beta1**t)
                s_hat = s / (1 - beta2**t)
                p.sub_(group["lr"] * m_hat / (s_hat.sqrt() + group["eps"]))
