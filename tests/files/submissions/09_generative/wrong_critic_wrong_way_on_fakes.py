# The critic is updated the wrong way on the fakes: its loss subtracts the fakes' scores as it does the real
# ones', so it learns to score fakes high too.
# expect: partial
# fails: test_wgan_step test_wgan_step_hidden
# %% answer id=wgan
def gradient_penalty(critic, X_real, X_fake, alpha):
    X_hat = (alpha * X_real + (1 - alpha) * X_fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(X_hat).sum(), X_hat, create_graph=True)
    return ((grad.norm(dim=1) - 1) ** 2).mean()


def wgan_gp_step(generator, critic, opt_G, opt_critic, X_real, Z, alpha, lam=10.0):
    X_fake = generator(Z)
    opt_critic.zero_grad()
    fake = X_fake.detach()
    critic_loss = -critic(fake).mean() - critic(X_real).mean() + lam * gradient_penalty(critic, X_real, fake, alpha)
    critic_loss.backward()
    opt_critic.step()
    opt_G.zero_grad()
    generator_loss = -critic(X_fake).mean()
    generator_loss.backward()
    opt_G.step()
    return critic_loss.item(), generator_loss.item()
