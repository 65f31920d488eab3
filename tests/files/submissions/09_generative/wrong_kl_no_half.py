# The KL and its gradient without the factor 1/2: the VAE trained on it pays twice for its code (its ELBO, the
# one the tests measure, falls short of the floor) and its ELBO no longer matches L_1.
# expect: partial
# fails: test_kl test_kl_hidden test_kl_grad test_kl_grad_hidden test_elbo test_elbo_hidden test_train_vae test_bound_tightens
# %% answer id=kl
def kl_diag_gaussians(mu_q, logvar_q, mu_p, logvar_p):
    return (logvar_p - logvar_q + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp() - 1).sum(-1)


def kl_diag_gaussians_grad(mu_q, logvar_q, mu_p, logvar_p):
    grad_mu = 2 * (mu_q - mu_p) / logvar_p.exp()
    grad_logvar = (logvar_q - logvar_p).exp() - 1
    return grad_mu * torch.ones_like(mu_q), grad_logvar * torch.ones_like(logvar_q)
