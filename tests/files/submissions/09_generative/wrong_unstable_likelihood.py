# The Bernoulli log-likelihood through probabilities: log(sigmoid) and log(1 - sigmoid) overflow to -inf or
# nan for large logits.
# expect: partial
# fails: test_elbo test_elbo_hidden test_iwae_hidden
# %% answer id=elbo
def bernoulli_log_likelihood(X, logits):
    p = torch.sigmoid(logits)
    return (X * torch.log(p) + (1 - X) * torch.log(1 - p)).sum(-1)


def bernoulli_elbo(X, mu, logvar, decoder, eps):
    z = mu + torch.exp(0.5 * logvar) * eps
    return bernoulli_log_likelihood(X, decoder(z)) - kl_diag_gaussians(mu, logvar, torch.zeros_like(mu),
                                                                        torch.zeros_like(logvar))
