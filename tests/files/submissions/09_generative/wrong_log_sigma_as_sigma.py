# The reparameterised code scales the noise by log sigma (logvar / 2) instead of sigma = exp(logvar / 2); the
# ELBO it computes then disagrees with L_1.
# expect: partial
# fails: test_elbo test_elbo_hidden test_bound_tightens
# %% answer id=elbo
def bernoulli_log_likelihood(X, logits):
    return (X * logits - F.softplus(logits)).sum(-1)


def bernoulli_elbo(X, mu, logvar, decoder, eps):
    z = mu + 0.5 * logvar * eps
    return bernoulli_log_likelihood(X, decoder(z)) - kl_diag_gaussians(mu, logvar, torch.zeros_like(mu),
                                                                        torch.zeros_like(logvar))
