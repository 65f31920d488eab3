# A correct solution written differently: the KL from variance ratios, the Bernoulli log-likelihood from
# torch's binary cross-entropy with logits, log-mean-exp from torch.logsumexp, Gaussian log-densities from
# torch.distributions, the penalty through grad_outputs, and the two steps of WGAN-GP in helper functions.
# expect: full
# %% answer id=kl
def kl_diag_gaussians(mu_q, logvar_q, mu_p, logvar_p):
    var_ratio = torch.exp(logvar_q - logvar_p)
    scaled_gap = (mu_q - mu_p) ** 2 * torch.exp(-logvar_p)
    return 0.5 * torch.sum(var_ratio + scaled_gap - 1.0 - torch.log(var_ratio), dim=-1)


def kl_diag_gaussians_grad(mu_q, logvar_q, mu_p, logvar_p):
    mu_p, logvar_p = torch.broadcast_to(mu_p, mu_q.shape), torch.broadcast_to(logvar_p, logvar_q.shape)
    return (mu_q - mu_p) * torch.exp(-logvar_p), 0.5 * torch.expm1(logvar_q - logvar_p)

# %% answer id=elbo
def bernoulli_log_likelihood(X, logits):
    return -F.binary_cross_entropy_with_logits(logits, X.expand_as(logits), reduction="none").sum(dim=-1)


def bernoulli_elbo(X, mu, logvar, decoder, eps):
    std = torch.exp(logvar / 2)
    Z = torch.addcmul(mu, std, eps)
    kl = kl_diag_gaussians(mu, logvar, torch.zeros(mu.shape[-1]), torch.zeros(mu.shape[-1]))
    return bernoulli_log_likelihood(X, decoder(Z)) - kl

# %% answer id=iwae
def log_mean_exp(A, dim=0):
    return torch.logsumexp(A, dim=dim) - np.log(A.shape[dim])


def log_normal_diag(Z, mu, logvar):
    Z, mu, logvar = torch.broadcast_tensors(Z, torch.as_tensor(mu, dtype=Z.dtype), torch.as_tensor(logvar, dtype=Z.dtype))
    return torch.distributions.Normal(mu, torch.exp(0.5 * logvar)).log_prob(Z).sum(dim=-1)


def iwae_bound(X, mu, logvar, decoder, eps):
    log_w = []
    for e in eps:  # one code per row at a time
        Z = mu + torch.exp(0.5 * logvar) * e
        log_w.append(bernoulli_log_likelihood(X, decoder(Z)) + log_normal_diag(Z, torch.zeros_like(Z), torch.zeros_like(Z))
                     - log_normal_diag(Z, mu, logvar))
    return log_mean_exp(torch.stack(log_w), dim=0)

# %% answer id=wgan
def gradient_penalty(critic, X_real, X_fake, alpha):
    X_hat = torch.lerp(X_fake.detach(), X_real.detach(), alpha).requires_grad_()
    scores = critic(X_hat)
    grads = torch.autograd.grad(scores, X_hat, grad_outputs=torch.ones_like(scores), create_graph=True)[0]
    return torch.mean((torch.sqrt((grads ** 2).sum(dim=1)) - 1.0) ** 2)


def _critic_step(generator_output, critic, opt_critic, X_real, alpha, lam):
    X_fake = generator_output.detach()
    loss = critic(X_fake).mean() - critic(X_real).mean() + lam * gradient_penalty(critic, X_real, X_fake, alpha)
    opt_critic.zero_grad()
    loss.backward()
    opt_critic.step()
    return float(loss)


def _generator_step(generator_output, critic, opt_G):
    loss = -critic(generator_output).mean()
    opt_G.zero_grad()
    loss.backward()
    opt_G.step()
    return float(loss)


def wgan_gp_step(generator, critic, opt_G, opt_critic, X_real, Z, alpha, lam=10.0):
    X_fake = generator(Z)
    return _critic_step(X_fake, critic, opt_critic, X_real, alpha, lam), _generator_step(X_fake, critic, opt_G)
