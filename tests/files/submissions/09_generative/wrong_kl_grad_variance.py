# The gradient with respect to the log-variance taken as if the input were the variance itself:
# 1/2 (1/sigma_p^2 - 1/sigma_q^2) in place of 1/2 (sigma_q^2/sigma_p^2 - 1).
# expect: partial
# fails: test_kl_grad test_kl_grad_hidden
# %% answer id=kl
def kl_diag_gaussians(mu_q, logvar_q, mu_p, logvar_p):
    return 0.5 * (logvar_p - logvar_q + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp() - 1).sum(-1)


def kl_diag_gaussians_grad(mu_q, logvar_q, mu_p, logvar_p):
    grad_mu = (mu_q - mu_p) / logvar_p.exp()
    grad_logvar = 0.5 * (1 / logvar_p.exp() - 1 / logvar_q.exp())
    return grad_mu * torch.ones_like(mu_q), grad_logvar * torch.ones_like(logvar_q)
