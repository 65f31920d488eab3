# The code is drawn without the reparameterisation's gradient path (the sample is detached): the values are
# right, but no gradient of the reconstruction reaches the encoder, which learns only to match the prior.
# expect: partial
# fails: test_elbo_hidden test_train_vae test_bound_tightens
# %% answer id=elbo
def bernoulli_log_likelihood(X, logits):
    return (X * logits - F.softplus(logits)).sum(-1)


def bernoulli_elbo(X, mu, logvar, decoder, eps):
    with torch.no_grad():
        z = mu + torch.exp(0.5 * logvar) * eps
    return bernoulli_log_likelihood(X, decoder(z)) - kl_diag_gaussians(mu, logvar, torch.zeros_like(mu),
                                                                        torch.zeros_like(logvar))
