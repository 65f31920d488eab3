# log_mean_exp exponentiates before taking the mean: a log-weight below about -745 underflows to 0 and the bound
# becomes -inf (the tests' -1000 to -3000; the binarised digits' log-weights, about -20, do not underflow).
# expect: partial
# fails: test_iwae test_iwae_hidden
# %% answer id=iwae
def log_mean_exp(A, dim=0):
    return torch.log(torch.exp(A).mean(dim=dim))


def log_normal_diag(Z, mu, logvar):
    return -0.5 * ((Z - mu) ** 2 / logvar.exp() + logvar + np.log(2 * np.pi)).sum(-1)


def iwae_bound(X, mu, logvar, decoder, eps):
    K, N, k = eps.shape
    Z = mu + torch.exp(0.5 * logvar) * eps
    logits = decoder(Z.reshape(K * N, k)).reshape(K, N, -1)
    log_w = (bernoulli_log_likelihood(X, logits) + log_normal_diag(Z, torch.zeros(()), torch.zeros(()))
             - log_normal_diag(Z, mu, logvar))
    return log_mean_exp(log_w, dim=0)
