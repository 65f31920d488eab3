# The bound averages the log-weights instead of taking the log of their mean: that is the K-sample estimate of
# the ELBO, which does not tighten with K.
# expect: partial
# fails: test_iwae_hidden test_iwae_exact_hidden test_bound_tightens
# %% answer id=iwae
def log_mean_exp(A, dim=0):
    top = A.max(dim=dim, keepdim=True).values
    return (top + torch.log(torch.exp(A - top).mean(dim=dim, keepdim=True))).squeeze(dim)


def log_normal_diag(Z, mu, logvar):
    return -0.5 * ((Z - mu) ** 2 / logvar.exp() + logvar + np.log(2 * np.pi)).sum(-1)


def iwae_bound(X, mu, logvar, decoder, eps):
    K, N, k = eps.shape
    Z = mu + torch.exp(0.5 * logvar) * eps
    logits = decoder(Z.reshape(K * N, k)).reshape(K, N, -1)
    log_w = (bernoulli_log_likelihood(X, logits) + log_normal_diag(Z, torch.zeros(()), torch.zeros(()))
             - log_normal_diag(Z, mu, logvar))
    return log_w.mean(dim=0)
