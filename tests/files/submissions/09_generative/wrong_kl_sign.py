# The log-variance term of the KL with the wrong sign (log sigma_q^2 - log sigma_p^2): zero when q = p, so the
# KL(q || q) check passes, but wrong otherwise (so the ELBO no longer matches L_1); the gradient function is
# right.
# expect: partial
# fails: test_kl test_kl_hidden test_elbo_hidden test_bound_tightens
# %% answer id=kl
def kl_diag_gaussians(mu_q, logvar_q, mu_p, logvar_p):
    return 0.5 * (logvar_q - logvar_p + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp() - 1).sum(-1)


def kl_diag_gaussians_grad(mu_q, logvar_q, mu_p, logvar_p):
    grad_mu = (mu_q - mu_p) / logvar_p.exp()
    grad_logvar = 0.5 * ((logvar_q - logvar_p).exp() - 1)
    return grad_mu * torch.ones_like(mu_q), grad_logvar * torch.ones_like(logvar_q)
