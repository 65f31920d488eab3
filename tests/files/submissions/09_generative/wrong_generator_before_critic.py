# Both losses are computed and backpropagated first, then both optimisers step: the generator follows the
# critic as it was before its update, and the critic's gradients also collect the generator loss's.
# expect: partial
# fails: test_wgan_step test_wgan_step_hidden
# %% answer id=wgan
def gradient_penalty(critic, X_real, X_fake, alpha):
    X_hat = (alpha * X_real + (1 - alpha) * X_fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(X_hat).sum(), X_hat, create_graph=True)
    return ((grad.norm(dim=1) - 1) ** 2).mean()


def wgan_gp_step(generator, critic, opt_G, opt_critic, X_real, Z, alpha, lam=10.0):
    X_fake = generator(Z)
    fake = X_fake.detach()
    critic_loss = critic(fake).mean() - critic(X_real).mean() + lam * gradient_penalty(critic, X_real, fake, alpha)
    generator_loss = -critic(X_fake).mean()
    opt_critic.zero_grad()
    critic_loss.backward()
    opt_G.zero_grad()
    generator_loss.backward()
    opt_critic.step()
    opt_G.step()
    return critic_loss.item(), generator_loss.item()
